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
	// Sort and UpdatedSince serve incremental sync; only the syncable
	// listings (conversations, contacts, messages, tasks) read them, through
	// Query.
	Sort         Sort
	UpdatedSince *time.Time
}

// Sort is the order of a listing. The zero value is the listing's own
// order (newest activity first for the inbox, and so on).
type Sort string

// SortUpdatedAt orders ascending by (updated_at, id): a sync that pages
// with it sees a row changed meanwhile again, later, instead of missing it.
const SortUpdatedAt Sort = "updated_at"

// Cursor is the decoded position after which the next page starts.
type Cursor struct {
	Time time.Time
	ID   string
	// Sort is the order the cursor was issued for: resuming a listing in
	// another order would silently skip rows, so it is refused.
	Sort Sort
}

// Page is one page of results.
type Page[T any] struct {
	Items []T
	// Cursors holds each item's cursor, for connections that expose one
	// per edge.
	Cursors    []string
	NextCursor string
	HasMore    bool
}

// EncodeCursor renders a cursor as an opaque string.
func EncodeCursor(c Cursor) string {
	raw := strconv.FormatInt(c.Time.UnixNano(), 10) + "|" + c.ID
	if c.Sort != "" {
		raw += "|" + string(c.Sort)
	}
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
	ts, rest, ok := strings.Cut(string(raw), "|")
	id, sort, _ := strings.Cut(rest, "|")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || IDPrefix(id) == "" || (sort != "" && Sort(sort) != SortUpdatedAt) {
		return nil, FieldError("cursor", "cursor is not valid")
	}
	return &Cursor{Time: time.Unix(0, n).UTC(), ID: id, Sort: Sort(sort)}, nil
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

// Query validates a page request of a listing that can be synced
// incrementally: limit and cursor as Normalize does, plus the sort and a
// cursor issued for that same sort.
func (r PageRequest) Query() (PageQuery, error) {
	pr, cur, err := r.Normalize()
	if err != nil {
		return PageQuery{}, err
	}
	if r.Sort != "" && r.Sort != SortUpdatedAt {
		return PageQuery{}, FieldError("sort", "sort must be updated_at (or absent for the listing's own order)")
	}
	if cur != nil && cur.Sort != r.Sort {
		return PageQuery{}, FieldError("cursor", "cursor belongs to another sort order; keep the sort of the page it came from")
	}
	q := PageQuery{Limit: pr, After: cur, Sort: r.Sort}
	if r.UpdatedSince != nil {
		since := r.UpdatedSince.UTC()
		q.UpdatedSince = &since
	}
	return q, nil
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
	p.Cursors = make([]string, len(p.Items))
	for i, item := range p.Items {
		p.Cursors[i] = EncodeCursor(key(item))
	}
	return p
}
