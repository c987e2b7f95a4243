package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// externalRef is another system's id for a record.
type externalRef struct {
	System string `json:"system"`
	ID     string `json:"id"`
}

func viewExternalRefs(refs []domain.ExternalRef) []externalRef {
	out := make([]externalRef, 0, len(refs))
	for _, r := range refs {
		out = append(out, externalRef{System: r.System, ID: r.ID})
	}
	return out
}

func domainExternalRefs(refs *[]externalRef) *[]domain.ExternalRef {
	if refs == nil {
		return nil
	}
	out := make([]domain.ExternalRef, 0, len(*refs))
	for _, r := range *refs {
		out = append(out, domain.ExternalRef{System: r.System, ID: r.ID})
	}
	return &out
}

// contactFilter reads a contact listing's (or export's) filters.
// Attributes are attr=key:value, repeatable.
func contactFilter(c *gin.Context) (domain.ContactFilter, error) {
	f := domain.ContactFilter{Text: c.Query("q"), TagID: c.Query("tag_id"),
		MovedFromChannelID: c.Query("moved_from_channel_id"), Name: c.Query("name"),
		Email: c.Query("email"), Phone: c.Query("phone")}
	if v, ok := c.GetQuery("external_ref"); ok {
		ref, err := domain.ParseExternalRef("external_ref", v)
		if err != nil {
			return f, err
		}
		f.ExternalRef = &ref
	}
	for _, a := range c.QueryArray("attr") {
		key, value, ok := strings.Cut(a, ":")
		if !ok {
			return f, domain.FieldError("attr", "attr must be key:value, such as attr=plan:gold")
		}
		if f.Attributes == nil {
			f.Attributes = map[string]string{}
		}
		f.Attributes[key] = value
	}
	return f, nil
}

// upsertRequest is a contact's fields plus the key to find it by.
type upsertRequest struct {
	Match *struct {
		WaID        string       `json:"wa_id"`
		Phone       string       `json:"phone"`
		Email       string       `json:"email"`
		ExternalRef *externalRef `json:"external_ref"`
	} `json:"match"`
	contactRequest
}

func (h *handlers) upsertContact(c *gin.Context) {
	var req upsertRequest
	if !decodeBody(c, &req) {
		return
	}
	if req.Match == nil {
		fail(c, domain.FieldError("match", "match is required: one of wa_id, phone, email and external_ref"))
		return
	}
	m := domain.ContactMatch{WaID: req.Match.WaID, Phone: req.Match.Phone, Email: req.Match.Email}
	if r := req.Match.ExternalRef; r != nil {
		m.ExternalRef = &domain.ExternalRef{System: r.System, ID: r.ID}
	}
	contact, created, err := h.svc.UpsertContact(c.Request.Context(), m, req.input())
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	renderContact(c, status, contact, err)
}

func (h *handlers) deleteContact(c *gin.Context) {
	if err := h.svc.DeleteContact(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type mergeRequest struct {
	ContactID string `json:"contact_id"`
}

func (h *handlers) mergeContacts(c *gin.Context) {
	var req mergeRequest
	if !decodeBody(c, &req) {
		return
	}
	contact, err := h.svc.MergeContacts(c.Request.Context(), c.Param("id"), req.ContactID)
	renderContact(c, http.StatusOK, contact, err)
}
