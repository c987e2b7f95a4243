package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerAccount(g *gin.RouterGroup) {
	g.GET("/me", h.me)
	g.GET("/workspace", h.workspace)
	g.PATCH("/workspace", h.updateWorkspace)
}

type workspaceView struct {
	ID        string  `json:"id"`
	PartnerID *string `json:"partner_id"`
	Name      string  `json:"name"`
	Timezone  string  `json:"timezone"`
	Locale    string  `json:"locale"`
	// DefaultQueueID is null only for a workspace being created.
	DefaultQueueID *string   `json:"default_queue_id"`
	CreatedAt      timestamp `json:"created_at"`
	UpdatedAt      timestamp `json:"updated_at"`
	// Lifecycle settings.
	PendingAfterReply     bool    `json:"pending_after_reply"`
	ReopenWindowHours     float64 `json:"reopen_window_hours"`
	AutoClosePendingHours float64 `json:"auto_close_pending_hours"`
	// OfflineGraceMinutes: how long an agent may stay offline before their
	// open conversations return to their queues.
	OfflineGraceMinutes int `json:"offline_grace_minutes"`
	// DefaultCountry reads phone numbers typed without a country code.
	DefaultCountry string `json:"default_country"`
	// EventRetentionDays: how long events (feed, audit log) are kept.
	EventRetentionDays int `json:"event_retention_days"`
}

func viewWorkspace(w *domain.Workspace) workspaceView {
	return workspaceView{ID: w.ID, PartnerID: nullable(w.PartnerID), Name: w.Name, Timezone: w.Timezone,
		Locale: w.Locale, DefaultQueueID: nullable(w.DefaultQueueID), CreatedAt: stamp(w.CreatedAt),
		UpdatedAt: stamp(w.UpdatedAt), PendingAfterReply: w.Lifecycle.PendingAfterReply,
		ReopenWindowHours:     w.Lifecycle.ReopenWindow.Hours(),
		AutoClosePendingHours: w.Lifecycle.AutoClosePending.Hours(), OfflineGraceMinutes: w.OfflineGraceMinutes,
		EventRetentionDays: w.EventRetentionDays, DefaultCountry: w.DefaultCountry}
}

type workspaceUpdateRequest struct {
	Name     *string `json:"name"`
	Timezone *string `json:"timezone"`
	Locale   *string `json:"locale"`
	// DefaultQueueID names another queue as the catch-all; it cannot be
	// cleared.
	DefaultQueueID        *string  `json:"default_queue_id"`
	PendingAfterReply     *bool    `json:"pending_after_reply"`
	ReopenWindowHours     *float64 `json:"reopen_window_hours"`
	AutoClosePendingHours *float64 `json:"auto_close_pending_hours"`
	OfflineGraceMinutes   *int     `json:"offline_grace_minutes"`
	DefaultCountry        *string  `json:"default_country"`
	EventRetentionDays    *int     `json:"event_retention_days"`
}

func (h *handlers) me(c *gin.Context) {
	u, err := h.svc.Me(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewUser(u))
}

func (h *handlers) workspace(c *gin.Context) {
	w, err := h.svc.Workspace(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewWorkspace(w))
}

func (h *handlers) updateWorkspace(c *gin.Context) {
	var req workspaceUpdateRequest
	if !decodeBody(c, &req) {
		return
	}
	w, err := h.svc.UpdateWorkspace(c.Request.Context(),
		domain.WorkspaceUpdate{Name: req.Name, Timezone: req.Timezone, Locale: req.Locale,
			DefaultQueueID: req.DefaultQueueID, Lifecycle: domain.LifecycleUpdate{
				PendingAfterReply: req.PendingAfterReply, ReopenWindowHours: req.ReopenWindowHours,
				AutoClosePendingHours: req.AutoClosePendingHours},
			OfflineGraceMinutes: req.OfflineGraceMinutes, EventRetentionDays: req.EventRetentionDays, DefaultCountry: req.DefaultCountry})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewWorkspace(w))
}
