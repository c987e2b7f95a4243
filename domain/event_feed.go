package domain

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// EventPosition is an event's place in its workspace's feed: the
// committing transaction (0 on SQLite, which commits one writer at a time)
// and the event's sequence number. Positions order the feed.
type EventPosition struct {
	Tx  int64
	Seq int64
}

// After reports whether p comes after q in the feed.
func (p EventPosition) After(q EventPosition) bool {
	return p.Tx > q.Tx || (p.Tx == q.Tx && p.Seq > q.Seq)
}

const eventCursorPrefix = "ev1."

// Cursor is the position as an opaque cursor for clients.
func (p EventPosition) Cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(eventCursorPrefix +
		strconv.FormatInt(p.Tx, 10) + "." + strconv.FormatInt(p.Seq, 10)))
}

// ParseEventCursor reads a cursor made by Cursor; "" is the feed's start.
func ParseEventCursor(cursor string) (EventPosition, error) {
	if cursor == "" {
		return EventPosition{}, nil
	}
	bad := FieldError("after", "is not a cursor of this feed")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return EventPosition{}, bad
	}
	rest, ok := strings.CutPrefix(string(raw), eventCursorPrefix)
	if !ok {
		return EventPosition{}, bad
	}
	txText, seqText, ok := strings.Cut(rest, ".")
	if !ok {
		return EventPosition{}, bad
	}
	tx, err1 := strconv.ParseInt(txText, 10, 64)
	seq, err2 := strconv.ParseInt(seqText, 10, 64)
	if err1 != nil || err2 != nil || tx < 0 || seq < 0 {
		return EventPosition{}, bad
	}
	return EventPosition{Tx: tx, Seq: seq}, nil
}

// EventFeedQuery selects a page of the feed.
type EventFeedQuery struct {
	After EventPosition
	Types []string // empty: every type
	Limit int
}
