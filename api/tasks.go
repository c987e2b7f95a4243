package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerTasks(g *gin.RouterGroup) {
	g.GET("/conversations/:id/tasks", h.listConversationTasks)
	g.POST("/conversations/:id/tasks", h.createTask)
	g.GET("/tasks", h.listTasks)
	g.PATCH("/tasks/:id", h.completeTask)
}

type taskView struct {
	ID             string     `json:"id"`
	ConversationID *string    `json:"conversation_id"`
	ContactID      string     `json:"contact_id"`
	Title          string     `json:"title"`
	DueAt          *timestamp `json:"due_at"`
	AssigneeID     *string    `json:"assignee_id"`
	CreatedByID    string     `json:"created_by_id"`
	Done           bool       `json:"done"`
	DoneAt         *timestamp `json:"done_at"`
	CreatedAt      timestamp  `json:"created_at"`
	UpdatedAt      timestamp  `json:"updated_at"`
}

func viewTask(t *domain.Task) taskView {
	return taskView{ID: t.ID, ConversationID: nullable(t.ConversationID), ContactID: t.ContactID, Title: t.Title,
		DueAt: optionalStamp(t.DueAt), AssigneeID: nullable(t.AssigneeID), CreatedByID: t.CreatedByID,
		Done: t.Done, DoneAt: optionalStamp(t.DoneAt), CreatedAt: stamp(t.CreatedAt), UpdatedAt: stamp(t.UpdatedAt)}
}

type createTaskRequest struct {
	Title      *string   `json:"title" required:"true"`
	DueAt      *jsonTime `json:"due_at"`
	AssigneeID *string   `json:"assignee_id"`
}

type completeTaskRequest struct {
	Done *bool `json:"done" required:"true"`
}

func (h *handlers) listConversationTasks(c *gin.Context) {
	page, err := syncPageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	tasks, err := h.svc.Tasks(c.Request.Context(), domain.TaskFilter{ConversationID: c.Param("id")}, page)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, tasks, viewTask)
}

func (h *handlers) listTasks(c *gin.Context) {
	page, err := syncPageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	done, err := queryBool(c, "done")
	if err != nil {
		fail(c, err)
		return
	}
	tasks, err := h.svc.Tasks(c.Request.Context(), domain.TaskFilter{AssigneeID: c.Query("assignee_id"),
		ContactID: c.Query("contact_id"), Done: done}, page)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, tasks, viewTask)
}

func (h *handlers) createTask(c *gin.Context) {
	var req createTaskRequest
	if !decodeBody(c, &req) {
		return
	}
	t, err := h.svc.CreateTask(c.Request.Context(), domain.NewTask{ConversationID: c.Param("id"), Title: *req.Title,
		DueAt: timePtr(req.DueAt), AssigneeID: deref(req.AssigneeID)})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusCreated, viewTask(t))
}

func (h *handlers) completeTask(c *gin.Context) {
	var req completeTaskRequest
	if !decodeBody(c, &req) {
		return
	}
	t, err := h.svc.CompleteTask(c.Request.Context(), c.Param("id"), *req.Done)
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewTask(t))
}
