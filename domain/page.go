package domain

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Page sizes for every listing.
const (
	DefaultPageSize = 50
	MaxPageSize     = 100
)

// PageRequest asks for one page of a listing ordered by (sort time, id).
type PageRequest struct {
	// Limit is the page size asked for, 1 to MaxPageSize; nil (not given)
	// means DefaultPageSize. 0 is refused like any other size out of range.
	Limit *int
	// After is an opaque cursor from a previous page, "" for the first page.
	After string
}

// Cursor is the decoded position after which the next page starts.
type Cursor struct {
	Time time.Time
	ID   string
}

// Page is one page of results.
type Page[T any] struct {
	Items      []T
	NextCursor string
	HasMore    bool
}

// EncodeCursor renders a cursor as an opaque string.
func EncodeCursor(c Cursor) string {
	raw := strconv.FormatInt(c.Time.UnixNano(), 10) + "|" + c.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor parses an opaque cursor; a malformed one is invalid input.
func DecodeCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, FieldError("cursor", "cursor is not valid")
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || IDPrefix(id) == "" {
		return nil, FieldError("cursor", "cursor is not valid")
	}
	return &Cursor{Time: time.Unix(0, n).UTC(), ID: id}, nil
}

// Normalize validates the page request: it returns the page size (the
// default when none was asked for) and where the page starts.
func (r PageRequest) Normalize() (limit int, after *Cursor, err error) {
	limit = DefaultPageSize
	if r.Limit != nil {
		limit = *r.Limit
	}
	if limit < 1 || limit > MaxPageSize {
		return 0, nil, FieldError("limit", "limit must be between 1 and %d", MaxPageSize)
	}
	after, err = DecodeCursor(r.After)
	return limit, after, err
}

// MakePage trims a result fetched with limit+1 rows into a page.
func MakePage[T any](items []T, limit int, key func(T) Cursor) Page[T] {
	p := Page[T]{Items: items}
	if len(items) > limit {
		p.Items = items[:limit]
		p.HasMore = true
		p.NextCursor = EncodeCursor(key(p.Items[limit-1]))
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}
