package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerUsers(g *gin.RouterGroup) {
	g.GET("/users", h.listUsers)
	g.POST("/users", h.createUser)
	g.GET("/users/:id", h.getUser)
	g.PATCH("/users/:id", h.updateUser)
	g.DELETE("/users/:id", h.deactivateUser)
}

// userView never carries the password hash or the token version.
type userView struct {
	ID           string    `json:"id"`
	WorkspaceID  string    `json:"workspace_id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Availability string    `json:"availability"`
	Capacity     int       `json:"capacity"`
	Active       bool      `json:"active"`
	QueueIDs     []string  `json:"queue_ids"`
	CreatedAt    timestamp `json:"created_at"`
	UpdatedAt    timestamp `json:"updated_at"`
}

func viewUser(u *domain.User) userView {
	return userView{ID: u.ID, WorkspaceID: u.WorkspaceID, Email: u.Email, Name: u.Name, Role: string(u.Role),
		Availability: string(u.Availability), Capacity: u.Capacity, Active: u.Active, QueueIDs: ids(u.QueueIDs),
		CreatedAt: stamp(u.CreatedAt), UpdatedAt: stamp(u.UpdatedAt)}
}

type createUserRequest struct {
	Email    *string      `json:"email" required:"true"`
	Name     *string      `json:"name" required:"true"`
	Password *string      `json:"password" required:"true"`
	Role     *domain.Role `json:"role"`
	Capacity *int         `json:"capacity"`
	QueueIDs []string     `json:"queue_ids"`
}

type updateUserRequest struct {
	Name         *string              `json:"name"`
	Role         *domain.Role         `json:"role"`
	Availability *domain.Availability `json:"availability"`
	Capacity     *int                 `json:"capacity"`
	Active       *bool                `json:"active"`
	QueueIDs     *[]string            `json:"queue_ids"`
}

func (h *handlers) listUsers(c *gin.Context) {
	page, err := pageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	active, err := queryBool(c, "active")
	if err != nil {
		fail(c, err)
		return
	}
	users, err := h.svc.Users(c.Request.Context(), domain.UserFilter{QueueID: c.Query("queue_id"),
		Role: domain.Role(c.Query("role")), Active: active, Page: page})
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, users, viewUser)
}

func (h *handlers) createUser(c *gin.Context) {
	var req createUserRequest
	if !decodeBody(c, &req) {
		return
	}
	u, err := h.svc.CreateUser(c.Request.Context(), domain.NewUser{Email: *req.Email, Name: *req.Name,
		Password: *req.Password, Role: deref(req.Role), Capacity: req.Capacity, QueueIDs: req.QueueIDs})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusCreated, viewUser(u))
}

func (h *handlers) getUser(c *gin.Context) {
	u, err := h.svc.User(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewUser(u))
}

func (h *handlers) updateUser(c *gin.Context) {
	var req updateUserRequest
	if !decodeBody(c, &req) {
		return
	}
	u, err := h.svc.UpdateUser(c.Request.Context(), c.Param("id"), domain.UserUpdate{Name: req.Name, Role: req.Role,
		Availability: req.Availability, Capacity: req.Capacity, Active: req.Active, QueueIDs: req.QueueIDs})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewUser(u))
}

// deactivateUser is DELETE: users are never erased (their history stays),
// only deactivated.
func (h *handlers) deactivateUser(c *gin.Context) {
	inactive := false
	if _, err := h.svc.UpdateUser(c.Request.Context(), c.Param("id"), domain.UserUpdate{Active: &inactive}); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
