package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerContacts(g *gin.RouterGroup) {
	g.GET("/contacts", h.listContacts)
	g.POST("/contacts", h.createContact)
	g.GET("/contacts/:id", h.getContact)
	g.PATCH("/contacts/:id", h.updateContact)
	g.DELETE("/contacts/:id", h.deleteContact)
	g.POST("/contacts/upsert", h.upsertContact)
	g.POST("/contacts/:id/merge", h.mergeContacts)
	g.GET("/contacts/export", h.exportContacts)
	g.PUT("/contacts/:id/tags/:tag_id", h.tagContact(true))
	g.DELETE("/contacts/:id/tags/:tag_id", h.tagContact(false))
}

type contactView struct {
	ID               string         `json:"id"`
	WaID             *string        `json:"wa_id"`
	UserID           *string        `json:"user_id"`
	PhoneE164        *string        `json:"phone_e164"`
	Name             string         `json:"name"`
	Email            *string        `json:"email"`
	CustomAttributes map[string]any `json:"custom_attributes"`
	LeadSource       *referralView  `json:"lead_source"`
	Tags             []string       `json:"tags"`
	ExternalRefs     []externalRef  `json:"external_refs"`
	CreatedAt        timestamp      `json:"created_at"`
	UpdatedAt        timestamp      `json:"updated_at"`
}

func viewContact(c *domain.Contact) contactView {
	attrs := c.CustomAttributes
	if attrs == nil {
		attrs = map[string]any{}
	}
	return contactView{ID: c.ID, WaID: nullable(c.WaID), UserID: nullable(c.UserID), PhoneE164: nullable(c.PhoneE164), Name: c.Name,
		Email: nullable(c.Email), CustomAttributes: attrs, LeadSource: viewReferral(c.LeadSource), Tags: ids(c.TagIDs), ExternalRefs: viewExternalRefs(c.ExternalRefs),
		CreatedAt: stamp(c.CreatedAt),
		UpdatedAt: stamp(c.UpdatedAt)}
}

// contactRequest serves create and update: every field is optional and the
// domain decides what a contact needs.
type contactRequest struct {
	WaID             *string         `json:"wa_id"`
	PhoneE164        *string         `json:"phone_e164"`
	Name             *string         `json:"name"`
	Email            *string         `json:"email"`
	CustomAttributes *map[string]any `json:"custom_attributes"`
	// Phone is a number in any format, read in the workspace's
	// default_country.
	Phone        *string        `json:"phone"`
	ExternalRefs *[]externalRef `json:"external_refs"`
}

func (r contactRequest) input() domain.ContactInput {
	return domain.ContactInput{WaID: r.WaID, PhoneE164: r.PhoneE164, Name: r.Name, Email: r.Email,
		CustomAttributes: r.CustomAttributes, Phone: r.Phone, ExternalRefs: domainExternalRefs(r.ExternalRefs)}
}

func (h *handlers) listContacts(c *gin.Context) {
	page, err := syncPageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	f, err := contactFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	f.Page = page
	contacts, err := h.svc.Contacts(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, contacts, viewContact)
}

func (h *handlers) createContact(c *gin.Context) {
	var req contactRequest
	if !decodeBody(c, &req) {
		return
	}
	contact, err := h.svc.CreateContact(c.Request.Context(), req.input())
	renderContact(c, http.StatusCreated, contact, err)
}

func (h *handlers) getContact(c *gin.Context) {
	contact, err := h.svc.Contact(c.Request.Context(), c.Param("id"))
	renderContact(c, http.StatusOK, contact, err)
}

func (h *handlers) updateContact(c *gin.Context) {
	var req contactRequest
	if !decodeBody(c, &req) {
		return
	}
	contact, err := h.svc.UpdateContact(c.Request.Context(), c.Param("id"), req.input())
	renderContact(c, http.StatusOK, contact, err)
}

// tagContact serves PUT (tag) and DELETE (untag).
func (h *handlers) tagContact(tagged bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		contact, err := h.svc.TagContact(c.Request.Context(), c.Param("id"), c.Param("tag_id"), tagged)
		renderContact(c, http.StatusOK, contact, err)
	}
}

func renderContact(c *gin.Context, status int, contact *domain.Contact, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewContact(contact))
}
