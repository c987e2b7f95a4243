package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerSLAPolicies(g *gin.RouterGroup) {
	g.GET("/sla-policies", h.listSLAPolicies)
	g.POST("/sla-policies", h.createSLAPolicy)
	g.GET("/sla-policies/:id", h.getSLAPolicy)
	g.PATCH("/sla-policies/:id", h.updateSLAPolicy)
	g.DELETE("/sla-policies/:id", h.deleteSLAPolicy)
}

type escalationBody struct {
	Action        string    `json:"action"`
	QueueID       *string   `json:"queue_id"`
	TagID         *string   `json:"tag_id"`
	NotifyUserIDs *[]string `json:"notify_user_ids"`
}

type escalationView struct {
	Action        string   `json:"action"`
	QueueID       *string  `json:"queue_id"`
	TagID         *string  `json:"tag_id"`
	NotifyUserIDs []string `json:"notify_user_ids"`
}

type slaPolicyView struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	FirstResponseSeconds *int64         `json:"first_response_seconds"`
	NextResponseSeconds  *int64         `json:"next_response_seconds"`
	ResolutionSeconds    *int64         `json:"resolution_seconds"`
	WarningRatio         float64        `json:"warning_ratio"`
	Escalation           escalationView `json:"escalation"`
	CreatedAt            timestamp      `json:"created_at"`
	UpdatedAt            timestamp      `json:"updated_at"`
}

// targetSeconds renders a target; null when it is not measured.
func targetSeconds(d time.Duration) *int64 {
	if d <= 0 {
		return nil
	}
	s := int64(d / time.Second)
	return &s
}

func viewSLAPolicy(p *domain.SLAPolicy) slaPolicyView {
	e := p.Escalation
	return slaPolicyView{ID: p.ID, Name: p.Name, FirstResponseSeconds: targetSeconds(p.FirstResponse),
		NextResponseSeconds: targetSeconds(p.NextResponse), ResolutionSeconds: targetSeconds(p.Resolution),
		WarningRatio: p.WarningRatio,
		Escalation: escalationView{Action: string(e.Action), QueueID: nullable(e.QueueID), TagID: nullable(e.TagID),
			NotifyUserIDs: ids(e.NotifyUserIDs)},
		CreatedAt: stamp(p.CreatedAt), UpdatedAt: stamp(p.UpdatedAt)}
}

type slaPolicyRequest struct {
	Name                 *string         `json:"name"`
	FirstResponseSeconds *int64          `json:"first_response_seconds"`
	NextResponseSeconds  *int64          `json:"next_response_seconds"`
	ResolutionSeconds    *int64          `json:"resolution_seconds"`
	WarningRatio         *float64        `json:"warning_ratio"`
	Escalation           *escalationBody `json:"escalation"`
}

func (r slaPolicyRequest) input() domain.SLAPolicyInput {
	in := domain.SLAPolicyInput{Name: r.Name, FirstResponseSeconds: r.FirstResponseSeconds,
		NextResponseSeconds: r.NextResponseSeconds, ResolutionSeconds: r.ResolutionSeconds,
		WarningRatio: r.WarningRatio}
	if e := r.Escalation; e != nil {
		in.Escalation = &domain.Escalation{Action: domain.EscalationAction(e.Action)}
		if e.QueueID != nil {
			in.Escalation.QueueID = *e.QueueID
		}
		if e.TagID != nil {
			in.Escalation.TagID = *e.TagID
		}
		if e.NotifyUserIDs != nil {
			in.Escalation.NotifyUserIDs = *e.NotifyUserIDs
		}
	}
	return in
}

func (h *handlers) listSLAPolicies(c *gin.Context) {
	all, err := h.svc.SLAPolicies(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, all, viewSLAPolicy)
}

func (h *handlers) createSLAPolicy(c *gin.Context) {
	var req slaPolicyRequest
	if !decodeBody(c, &req) {
		return
	}
	p, err := h.svc.CreateSLAPolicy(c.Request.Context(), req.input())
	renderSLAPolicy(c, http.StatusCreated, p, err)
}

func (h *handlers) getSLAPolicy(c *gin.Context) {
	p, err := h.svc.SLAPolicy(c.Request.Context(), c.Param("id"))
	renderSLAPolicy(c, http.StatusOK, p, err)
}

func (h *handlers) updateSLAPolicy(c *gin.Context) {
	var req slaPolicyRequest
	if !decodeBody(c, &req) {
		return
	}
	p, err := h.svc.UpdateSLAPolicy(c.Request.Context(), c.Param("id"), req.input())
	renderSLAPolicy(c, http.StatusOK, p, err)
}

func (h *handlers) deleteSLAPolicy(c *gin.Context) {
	if err := h.svc.DeleteSLAPolicy(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func renderSLAPolicy(c *gin.Context, status int, p *domain.SLAPolicy, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewSLAPolicy(p))
}
