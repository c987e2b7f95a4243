package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerBusinessHours(g *gin.RouterGroup) {
	g.GET("/business-hours", h.listBusinessHours)
	g.POST("/business-hours", h.createBusinessHours)
	g.GET("/business-hours/:id", h.getBusinessHours)
	g.PATCH("/business-hours/:id", h.updateBusinessHours)
	g.DELETE("/business-hours/:id", h.deleteBusinessHours)
}

type shiftBody struct {
	Day   string `json:"day"`
	Open  string `json:"open"`
	Close string `json:"close"`
}

type holidayBody struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

type businessHoursView struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Timezone  string        `json:"timezone"`
	Weekly    []shiftBody   `json:"weekly"`
	Holidays  []holidayBody `json:"holidays"`
	CreatedAt timestamp     `json:"created_at"`
	UpdatedAt timestamp     `json:"updated_at"`
}

func viewBusinessHours(b *domain.BusinessHours) businessHoursView {
	v := businessHoursView{ID: b.ID, Name: b.Name, Timezone: b.Timezone,
		Weekly: make([]shiftBody, len(b.Weekly)), Holidays: make([]holidayBody, len(b.Holidays)),
		CreatedAt: stamp(b.CreatedAt), UpdatedAt: stamp(b.UpdatedAt)}
	for i, s := range b.Weekly {
		v.Weekly[i] = shiftBody(s)
	}
	for i, d := range b.Holidays {
		v.Holidays[i] = holidayBody(d)
	}
	return v
}

type businessHoursRequest struct {
	Name     *string        `json:"name"`
	Timezone *string        `json:"timezone"`
	Weekly   *[]shiftBody   `json:"weekly"`
	Holidays *[]holidayBody `json:"holidays"`
}

func (r businessHoursRequest) input() domain.BusinessHoursInput {
	in := domain.BusinessHoursInput{Name: r.Name, Timezone: r.Timezone}
	if r.Weekly != nil {
		weekly := make([]domain.Shift, len(*r.Weekly))
		for i, s := range *r.Weekly {
			weekly[i] = domain.Shift(s)
		}
		in.Weekly = &weekly
	}
	if r.Holidays != nil {
		holidays := make([]domain.Holiday, len(*r.Holidays))
		for i, d := range *r.Holidays {
			holidays[i] = domain.Holiday(d)
		}
		in.Holidays = &holidays
	}
	return in
}

func (h *handlers) listBusinessHours(c *gin.Context) {
	all, err := h.svc.AllBusinessHours(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, all, viewBusinessHours)
}

func (h *handlers) createBusinessHours(c *gin.Context) {
	var req businessHoursRequest
	if !decodeBody(c, &req) {
		return
	}
	b, err := h.svc.CreateBusinessHours(c.Request.Context(), req.input())
	renderBusinessHours(c, http.StatusCreated, b, err)
}

func (h *handlers) getBusinessHours(c *gin.Context) {
	b, err := h.svc.BusinessHours(c.Request.Context(), c.Param("id"))
	renderBusinessHours(c, http.StatusOK, b, err)
}

func (h *handlers) updateBusinessHours(c *gin.Context) {
	var req businessHoursRequest
	if !decodeBody(c, &req) {
		return
	}
	b, err := h.svc.UpdateBusinessHours(c.Request.Context(), c.Param("id"), req.input())
	renderBusinessHours(c, http.StatusOK, b, err)
}

func (h *handlers) deleteBusinessHours(c *gin.Context) {
	if err := h.svc.DeleteBusinessHours(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func renderBusinessHours(c *gin.Context, status int, b *domain.BusinessHours, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewBusinessHours(b))
}
