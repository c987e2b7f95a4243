package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerAPIKeys(g *gin.RouterGroup) {
	g.GET("/api-keys", h.listAPIKeys)
	g.POST("/api-keys", h.createAPIKey)
	g.DELETE("/api-keys/:id", h.revokeAPIKey)
}

// apiKeyView never carries the secret or its hash; prefix lets a human
// recognise a key.
type apiKeyView struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Prefix     string     `json:"prefix"`
	CreatedBy  *string    `json:"created_by"`
	ExpiresAt  *timestamp `json:"expires_at"`
	RevokedAt  *timestamp `json:"revoked_at"`
	LastUsedAt *timestamp `json:"last_used_at"`
	CreatedAt  timestamp  `json:"created_at"`
}

func viewAPIKey(k *domain.APIKey) apiKeyView {
	return apiKeyView{ID: k.ID, Name: k.Name, Role: string(k.Role), Prefix: k.Prefix, CreatedBy: nullable(k.CreatedBy),
		ExpiresAt: optionalStamp(k.ExpiresAt), RevokedAt: optionalStamp(k.RevokedAt),
		LastUsedAt: optionalStamp(k.LastUsedAt), CreatedAt: stamp(k.CreatedAt)}
}

// createdAPIKeyView is the only answer that ever shows a secret.
type createdAPIKeyView struct {
	apiKeyView
	Secret string `json:"secret"`
}

type createAPIKeyRequest struct {
	Name      *string      `json:"name" required:"true"`
	Role      *domain.Role `json:"role"`
	ExpiresAt *jsonTime    `json:"expires_at"`
}

func (h *handlers) listAPIKeys(c *gin.Context) {
	keys, err := h.svc.APIKeys(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, keys, viewAPIKey)
}

func (h *handlers) createAPIKey(c *gin.Context) {
	var req createAPIKeyRequest
	if !decodeBody(c, &req) {
		return
	}
	created, err := h.svc.CreateAPIKey(c.Request.Context(), domain.NewAPIKey{Name: *req.Name, Role: deref(req.Role),
		ExpiresAt: timePtr(req.ExpiresAt)})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusCreated, createdAPIKeyView{apiKeyView: viewAPIKey(&created.Key), Secret: created.Secret})
}

func (h *handlers) revokeAPIKey(c *gin.Context) {
	if _, err := h.svc.RevokeAPIKey(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
