package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// registerAuth adds the session routes; guard (authentication and rate
// limits) applies to the password change only.
func (h *handlers) registerAuth(v1 *gin.RouterGroup, guard ...gin.HandlerFunc) {
	v1.POST("/auth/login", h.login)
	v1.POST("/auth/refresh", h.refresh)
	v1.POST("/auth/logout", h.logout)
	v1.POST("/auth/password", append(guard, h.changePassword)...)
}

type loginRequest struct {
	Email       *string `json:"email" required:"true"`
	Password    *string `json:"password" required:"true"`
	WorkspaceID *string `json:"workspace_id"`
	DeviceToken *string `json:"device_token"`
}

type refreshRequest struct {
	RefreshToken *string `json:"refresh_token" required:"true"`
}

type passwordRequest struct {
	CurrentPassword *string `json:"current_password" required:"true"`
	NewPassword     *string `json:"new_password" required:"true"`
}

// sessionView is the answer of login and refresh.
type sessionView struct {
	AccessToken  string   `json:"access_token"`
	TokenType    string   `json:"token_type"`
	ExpiresIn    int      `json:"expires_in"`
	RefreshToken string   `json:"refresh_token"`
	DeviceToken  string   `json:"device_token,omitempty"`
	User         userView `json:"user"`
}

func (h *handlers) login(c *gin.Context) {
	var req loginRequest
	if !decodeBody(c, &req) {
		return
	}
	u, grant, err := h.svc.Login(c.Request.Context(), domain.LoginInput{Email: *req.Email, Password: *req.Password,
		WorkspaceID: deref(req.WorkspaceID), ClientIP: c.ClientIP(), DeviceToken: deref(req.DeviceToken)})
	if err != nil {
		fail(c, err)
		return
	}
	h.renderSession(c, u, grant)
}

func (h *handlers) refresh(c *gin.Context) {
	var req refreshRequest
	if !decodeBody(c, &req) {
		return
	}
	u, grant, err := h.svc.Refresh(c.Request.Context(), *req.RefreshToken)
	if err != nil {
		fail(c, err)
		return
	}
	h.renderSession(c, u, grant)
}

func (h *handlers) renderSession(c *gin.Context, u *domain.User, grant domain.SessionGrant) {
	access, _, err := h.tokens.Issue(u, grant.SessionID)
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, sessionView{AccessToken: access, TokenType: "Bearer",
		ExpiresIn: int(h.tokens.TTL().Seconds()), RefreshToken: grant.RefreshToken, DeviceToken: grant.DeviceToken,
		User: viewUser(u)})
}

func (h *handlers) logout(c *gin.Context) {
	var req refreshRequest
	if !decodeBody(c, &req) {
		return
	}
	if err := h.svc.Logout(c.Request.Context(), *req.RefreshToken); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *handlers) changePassword(c *gin.Context) {
	var req passwordRequest
	if !decodeBody(c, &req) {
		return
	}
	if err := h.svc.ChangePassword(c.Request.Context(), *req.CurrentPassword, *req.NewPassword); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// deref reads an optional string field.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
