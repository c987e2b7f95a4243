package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerQueues(g *gin.RouterGroup) {
	g.GET("/queues", h.listQueues)
	g.POST("/queues", h.createQueue)
	g.GET("/queues/:id", h.getQueue)
	g.PATCH("/queues/:id", h.updateQueue)
	g.DELETE("/queues/:id", h.deleteQueue)
	g.PUT("/queues/:id/members/:user_id", h.setQueueMember(true))
	g.DELETE("/queues/:id/members/:user_id", h.setQueueMember(false))
}

type queueView struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	MemberIDs   []string  `json:"member_ids"`
	CreatedAt   timestamp `json:"created_at"`
	UpdatedAt   timestamp `json:"updated_at"`
	// AssignmentMode: manual, round_robin or least_busy.
	AssignmentMode string `json:"assignment_mode"`
	// The plan and the policy the queue follows; null for none.
	BusinessHoursID *string `json:"business_hours_id"`
	SLAPolicyID     *string `json:"sla_policy_id"`
}

func viewQueue(q *domain.Queue) queueView {
	return queueView{ID: q.ID, Name: q.Name, Description: q.Description, MemberIDs: ids(q.MemberIDs),
		CreatedAt: stamp(q.CreatedAt), UpdatedAt: stamp(q.UpdatedAt), AssignmentMode: string(q.AssignmentMode),
		BusinessHoursID: nullable(q.BusinessHoursID), SLAPolicyID: nullable(q.SLAPolicyID)}
}

type createQueueRequest struct {
	Name            *string                `json:"name" required:"true"`
	Description     *string                `json:"description"`
	AssignmentMode  *domain.AssignmentMode `json:"assignment_mode"`
	BusinessHoursID *string                `json:"business_hours_id"`
	SLAPolicyID     *string                `json:"sla_policy_id"`
}

type updateQueueRequest struct {
	Name           *string                `json:"name"`
	Description    *string                `json:"description"`
	AssignmentMode *domain.AssignmentMode `json:"assignment_mode"`
	// null takes the queue off its plan or policy.
	BusinessHoursID nullableString `json:"business_hours_id"`
	SLAPolicyID     nullableString `json:"sla_policy_id"`
}

func (h *handlers) listQueues(c *gin.Context) {
	queues, err := h.svc.Queues(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, queues, viewQueue)
}

func (h *handlers) createQueue(c *gin.Context) {
	var req createQueueRequest
	if !decodeBody(c, &req) {
		return
	}
	q, err := h.svc.CreateQueue(c.Request.Context(), domain.QueueInput{Name: req.Name, Description: req.Description,
		AssignmentMode:  req.AssignmentMode,
		BusinessHoursID: req.BusinessHoursID, SLAPolicyID: req.SLAPolicyID})
	renderQueue(c, http.StatusCreated, q, err)
}

func (h *handlers) getQueue(c *gin.Context) {
	q, err := h.svc.Queue(c.Request.Context(), c.Param("id"))
	renderQueue(c, http.StatusOK, q, err)
}

func (h *handlers) updateQueue(c *gin.Context) {
	var req updateQueueRequest
	if !decodeBody(c, &req) {
		return
	}
	q, err := h.svc.UpdateQueue(c.Request.Context(), c.Param("id"),
		domain.QueueInput{Name: req.Name, Description: req.Description,
			AssignmentMode:  req.AssignmentMode,
			BusinessHoursID: req.BusinessHoursID.given(), SLAPolicyID: req.SLAPolicyID.given()})
	renderQueue(c, http.StatusOK, q, err)
}

func (h *handlers) deleteQueue(c *gin.Context) {
	if err := h.svc.DeleteQueue(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// setQueueMember serves PUT (add) and DELETE (remove) of a membership.
func (h *handlers) setQueueMember(member bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		q, err := h.svc.SetQueueMember(c.Request.Context(), c.Param("id"), c.Param("user_id"), member)
		renderQueue(c, http.StatusOK, q, err)
	}
}

func renderQueue(c *gin.Context, status int, q *domain.Queue, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewQueue(q))
}
