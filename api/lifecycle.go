package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// registerLifecycle adds close reasons, a conversation's events timeline
// and the board.
func (h *handlers) registerLifecycle(g *gin.RouterGroup) {
	g.GET("/close-reasons", h.listCloseReasons)
	g.POST("/close-reasons", h.createCloseReason)
	g.GET("/close-reasons/:id", h.getCloseReason)
	g.PATCH("/close-reasons/:id", h.updateCloseReason)
	g.DELETE("/close-reasons/:id", h.deleteCloseReason)
	g.GET("/conversations/:id/events", h.listConversationEvents)
	g.GET("/board", h.board)
}

type closeReasonView struct {
	ID        string    `json:"id"`
	Key       string    `json:"key"`
	Name      string    `json:"name"`
	CreatedAt timestamp `json:"created_at"`
	UpdatedAt timestamp `json:"updated_at"`
}

func viewCloseReason(r *domain.CloseReason) closeReasonView {
	return closeReasonView{ID: r.ID, Key: r.Key, Name: r.Name, CreatedAt: stamp(r.CreatedAt), UpdatedAt: stamp(r.UpdatedAt)}
}

type createCloseReasonRequest struct {
	Key  *string `json:"key" required:"true"`
	Name *string `json:"name" required:"true"`
}

type updateCloseReasonRequest struct {
	Key  *string `json:"key"`
	Name *string `json:"name"`
}

func (h *handlers) listCloseReasons(c *gin.Context) {
	reasons, err := h.svc.CloseReasons(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, reasons, viewCloseReason)
}

func (h *handlers) createCloseReason(c *gin.Context) {
	var req createCloseReasonRequest
	if !decodeBody(c, &req) {
		return
	}
	r, err := h.svc.CreateCloseReason(c.Request.Context(), domain.CloseReasonInput{Key: req.Key, Name: req.Name})
	renderCloseReason(c, http.StatusCreated, r, err)
}

func (h *handlers) getCloseReason(c *gin.Context) {
	r, err := h.svc.CloseReason(c.Request.Context(), c.Param("id"))
	renderCloseReason(c, http.StatusOK, r, err)
}

func (h *handlers) updateCloseReason(c *gin.Context) {
	var req updateCloseReasonRequest
	if !decodeBody(c, &req) {
		return
	}
	r, err := h.svc.UpdateCloseReason(c.Request.Context(), c.Param("id"),
		domain.CloseReasonInput{Key: req.Key, Name: req.Name})
	renderCloseReason(c, http.StatusOK, r, err)
}

func (h *handlers) deleteCloseReason(c *gin.Context) {
	if err := h.svc.DeleteCloseReason(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func renderCloseReason(c *gin.Context, status int, r *domain.CloseReason, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewCloseReason(r))
}

type eventView struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	ActorKind string         `json:"actor_kind"`
	ActorID   *string        `json:"actor_id"`
	CreatedAt timestamp      `json:"created_at"`
	Data      map[string]any `json:"data"`
}

func viewEvent(e *domain.Event) eventView {
	return eventView{ID: e.ID, Type: e.Type, ActorKind: string(e.Actor.Kind), ActorID: nullable(e.Actor.ID),
		CreatedAt: stamp(e.CreatedAt), Data: e.Payload}
}

func (h *handlers) listConversationEvents(c *gin.Context) {
	page, err := pageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	events, err := h.svc.ConversationEvents(c.Request.Context(), c.Param("id"), page)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, events, viewEvent)
}

type boardView struct {
	Columns []boardColumnView `json:"columns"`
}

type boardColumnView struct {
	Status        string             `json:"status"`
	Count         int                `json:"count"`
	Conversations []conversationView `json:"conversations"`
	// NextCursor continues the column in GET /v1/conversations?status=….
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
}

func (h *handlers) board(c *gin.Context) {
	f := domain.BoardFilter{QueueID: c.Query("queue_id"), AssigneeID: c.Query("assignee_id")}
	if _, given := c.GetQuery("limit"); given {
		n, err := queryInt(c, "limit")
		if err != nil {
			fail(c, err)
			return
		}
		f.Limit = &n
	}
	if s, ok := c.GetQuery("closed_since"); ok {
		since, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			fail(c, domain.FieldError("closed_since",
				"closed_since must be an RFC 3339 instant, e.g. 2026-01-31T15:04:05Z (a + in an offset is sent as %%2B)"))
			return
		}
		f.ClosedSince = &since
	}
	columns, err := h.svc.Board(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := boardView{Columns: make([]boardColumnView, len(columns))}
	for i, col := range columns {
		v := boardColumnView{Status: string(col.Status), Count: col.Count,
			Conversations: make([]conversationView, len(col.Conversations.Items)),
			NextCursor:    nullable(col.Conversations.NextCursor), HasMore: col.Conversations.HasMore}
		for j, conv := range col.Conversations.Items {
			v.Conversations[j] = viewConversation(conv)
		}
		out.Columns[i] = v
	}
	respond(c, http.StatusOK, out)
}
