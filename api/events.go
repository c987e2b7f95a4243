package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerEvents(g *gin.RouterGroup) {
	g.GET("/events", h.listEvents)
	g.GET("/audit-log", h.auditLog)
}

// feedEventView is one event as the feed and the audit log show it.
type feedEventView struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	OccurredAt timestamp      `json:"occurred_at"`
	ActorKind  string         `json:"actor_kind"`
	ActorID    *string        `json:"actor_id"`
	SubjectID  *string        `json:"subject_id"`
	Data       map[string]any `json:"data"`
}

func viewFeedEvent(e *domain.Event) feedEventView {
	data := e.Payload
	if data == nil {
		data = map[string]any{}
	}
	return feedEventView{ID: e.ID, Type: e.Type, OccurredAt: stamp(e.CreatedAt), ActorKind: string(e.Actor.Kind),
		ActorID: nullable(e.Actor.ID), SubjectID: nullable(e.SubjectID), Data: data}
}

// listEvents is the pull feed. next_cursor is never null: after the last
// event it is that event's position, on an empty page the cursor the
// client sent, so a poller simply keeps sending what it got back.
func (h *handlers) listEvents(c *gin.Context) {
	var limit *int
	if _, given := c.GetQuery("limit"); given {
		n, err := queryInt(c, "limit")
		if err != nil {
			fail(c, err)
			return
		}
		limit = &n
	}
	var types []string
	if s := c.Query("types"); s != "" {
		for _, t := range strings.Split(s, ",") {
			types = append(types, strings.TrimSpace(t))
		}
	}
	page, err := h.svc.EventFeed(c.Request.Context(), c.Query("after"), types, limit)
	if err != nil {
		fail(c, err)
		return
	}
	next := page.Next.Cursor()
	out := list[feedEventView]{Data: make([]feedEventView, 0, len(page.Events)), NextCursor: &next, HasMore: page.HasMore}
	for _, e := range page.Events {
		out.Data = append(out.Data, viewFeedEvent(e))
	}
	respond(c, http.StatusOK, out)
}

func (h *handlers) auditLog(c *gin.Context) {
	f, err := auditLogFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	csv, err := wantsCSV(c)
	if err != nil {
		fail(c, err)
		return
	}
	if csv {
		h.exportAuditLog(c, f)
		return
	}
	page, err := h.svc.AuditLog(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, page, viewFeedEvent)
}

func auditLogFilter(c *gin.Context) (domain.AuditLogFilter, error) {
	page, err := pageRequest(c)
	if err != nil {
		return domain.AuditLogFilter{}, err
	}
	f := domain.AuditLogFilter{ActorKind: domain.ActorKind(c.Query("actor_kind")), ActorID: c.Query("actor_id"),
		Type: c.Query("type"), Page: page}
	for _, bound := range []struct {
		name string
		dst  **time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		s, ok := c.GetQuery(bound.name)
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return f, domain.FieldError(bound.name,
				"%s must be an RFC 3339 instant, e.g. 2026-01-31T15:04:05Z (a + in an offset is sent as %%2B)", bound.name)
		}
		*bound.dst = &t
	}
	return f, nil
}

// wantsCSV reads the requested format: ?format=csv (or json), else an
// Accept header naming text/csv.
func wantsCSV(c *gin.Context) (bool, error) {
	switch c.Query("format") {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
		return strings.Contains(strings.ToLower(c.GetHeader("Accept")), "text/csv"), nil
	}
	return false, domain.FieldError("format", "format must be csv or json")
}
