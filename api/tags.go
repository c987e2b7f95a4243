package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerTags(g *gin.RouterGroup) {
	g.GET("/tags", h.listTags)
	g.POST("/tags", h.createTag)
	g.GET("/tags/:id", h.getTag)
	g.PATCH("/tags/:id", h.updateTag)
	g.DELETE("/tags/:id", h.deleteTag)
}

type tagView struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Color     *string   `json:"color"`
	CreatedAt timestamp `json:"created_at"`
	UpdatedAt timestamp `json:"updated_at"`
}

func viewTag(t *domain.Tag) tagView {
	return tagView{ID: t.ID, Name: t.Name, Color: nullable(t.Color), CreatedAt: stamp(t.CreatedAt),
		UpdatedAt: stamp(t.UpdatedAt)}
}

type createTagRequest struct {
	Name  *string `json:"name" required:"true"`
	Color *string `json:"color"`
}

type updateTagRequest struct {
	Name  *string `json:"name"`
	Color *string `json:"color"`
}

func (h *handlers) listTags(c *gin.Context) {
	tags, err := h.svc.Tags(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, tags, viewTag)
}

func (h *handlers) createTag(c *gin.Context) {
	var req createTagRequest
	if !decodeBody(c, &req) {
		return
	}
	t, err := h.svc.CreateTag(c.Request.Context(), domain.TagInput{Name: req.Name, Color: req.Color})
	renderTag(c, http.StatusCreated, t, err)
}

func (h *handlers) getTag(c *gin.Context) {
	t, err := h.svc.Tag(c.Request.Context(), c.Param("id"))
	renderTag(c, http.StatusOK, t, err)
}

func (h *handlers) updateTag(c *gin.Context) {
	var req updateTagRequest
	if !decodeBody(c, &req) {
		return
	}
	t, err := h.svc.UpdateTag(c.Request.Context(), c.Param("id"), domain.TagInput{Name: req.Name, Color: req.Color})
	renderTag(c, http.StatusOK, t, err)
}

func (h *handlers) deleteTag(c *gin.Context) {
	if err := h.svc.DeleteTag(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func renderTag(c *gin.Context, status int, t *domain.Tag, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewTag(t))
}
