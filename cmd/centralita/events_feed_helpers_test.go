package main

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/stretchr/testify/require"
)

// feedEvent is one item of GET /v1/events and GET /v1/audit-log.
type feedEvent struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	OccurredAt string         `json:"occurred_at"`
	ActorKind  string         `json:"actor_kind"`
	ActorID    *string        `json:"actor_id"`
	SubjectID  *string        `json:"subject_id"`
	Data       map[string]any `json:"data"`
}

type feedPage struct {
	Data       []feedEvent `json:"data"`
	NextCursor *string     `json:"next_cursor"`
	HasMore    bool        `json:"has_more"`
}

// feedPage reads one page of the feed after a cursor ("" from the start).
func (a *testApp) feedPage(token, after, types string, limit int) feedPage {
	a.t.Helper()
	q := url.Values{}
	if after != "" {
		q.Set("after", after)
	}
	if types != "" {
		q.Set("types", types)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	res := a.do(http.MethodGet, "/v1/events?"+q.Encode(), token, nil)
	require.Equal(a.t, http.StatusOK, res.Status, string(res.Body))
	var page feedPage
	res.decode(a.t, &page)
	require.NotNil(a.t, page.NextCursor, "the feed's next_cursor is never null")
	return page
}

// drainFeed reads the feed from after until a page says nothing more is
// ready, and returns what it read and where to resume.
func (a *testApp) drainFeed(token, after string, limit int) ([]feedEvent, string) {
	a.t.Helper()
	var out []feedEvent
	for {
		page := a.feedPage(token, after, "", limit)
		out = append(out, page.Data...)
		after = *page.NextCursor
		if !page.HasMore {
			return out, after
		}
	}
}

// feedUntil polls the feed from the start until done accepts everything
// read (on Postgres an event shows once every older transaction ended),
// or 20 seconds pass; it returns the last read for the caller to check.
func (a *testApp) feedUntil(token string, done func([]feedEvent) bool) []feedEvent {
	a.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		events, _ := a.drainFeed(token, "", 100)
		if done(events) || time.Now().After(deadline) {
			return events
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
