package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerConversations(g *gin.RouterGroup) {
	g.GET("/conversations", h.listConversations)
	g.POST("/conversations", h.createConversation)
	g.GET("/conversations/:id", h.getConversation)
	g.PATCH("/conversations/:id", h.updateConversation)
	g.POST("/conversations/:id/claim", h.claimConversation)
	g.POST("/conversations/:id/assign", h.assignConversation)
	g.POST("/conversations/:id/transfer", h.transferConversation)
	g.POST("/conversations/:id/status", h.changeConversationStatus)
	g.PUT("/conversations/:id/tags/:tag_id", h.tagConversation(true))
	g.DELETE("/conversations/:id/tags/:tag_id", h.tagConversation(false))
}

// conversationView renders tags as an array of tag ids: tags are a small
// catalog (GET /v1/tags) that clients cache, so ids keep this lean.
type conversationView struct {
	ID                    string     `json:"id"`
	ContactID             string     `json:"contact_id"`
	ChannelID             *string    `json:"channel_id"`
	QueueID               *string    `json:"queue_id"`
	AssigneeID            *string    `json:"assignee_id"`
	Status                string     `json:"status"`
	Priority              string     `json:"priority"`
	CloseReason           *string    `json:"close_reason"`
	Tags                  []string   `json:"tags"`
	Version               int        `json:"version"`
	CreatedAt             timestamp  `json:"created_at"`
	UpdatedAt             timestamp  `json:"updated_at"`
	LastActivityAt        timestamp  `json:"last_activity_at"`
	FirstHumanResponseAt  *timestamp `json:"first_human_response_at"`
	LastCustomerMessageAt *timestamp `json:"last_customer_message_at"`
	ClosedAt              *timestamp `json:"closed_at"`
	// The 24-hour customer service window: free-form replies only while open.
	ServiceWindowOpen      bool       `json:"service_window_open"`
	ServiceWindowExpiresAt *timestamp `json:"service_window_expires_at"`
	// LeadSource is the first Click-to-WhatsApp ad the conversation came with.
	LeadSource *referralView `json:"lead_source"`
	// PreviousConversationID is the closed conversation this one follows.
	PreviousConversationID *string `json:"previous_conversation_id"`
	// SLA is where it stands against its queue's SLA policy; null without one.
	SLA *conversationSLAView `json:"sla"`
	// Routing says which rule or menu option placed the conversation.
	Routing *routingView `json:"routing"`
}

func viewConversation(c *domain.Conversation) conversationView {
	open, expires := c.ServiceWindow(time.Now())
	return conversationView{ServiceWindowOpen: open, ServiceWindowExpiresAt: optionalStamp(expires),
		LeadSource: viewReferral(c.LeadSource), ID: c.ID, ContactID: c.ContactID, ChannelID: nullable(c.ChannelID),
		QueueID: nullable(c.QueueID), AssigneeID: nullable(c.AssigneeID), Status: string(c.Status),
		Priority: string(c.Priority), CloseReason: nullable(c.CloseReason), Tags: ids(c.TagIDs), Version: c.Version,
		CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt), LastActivityAt: stamp(c.LastActivityAt),
		FirstHumanResponseAt:  optionalStamp(c.FirstHumanResponseAt),
		LastCustomerMessageAt: optionalStamp(c.LastCustomerMessageAt), ClosedAt: optionalStamp(c.ClosedAt),
		PreviousConversationID: nullable(c.PreviousConversationID),
		SLA:                    viewConversationSLA(c.SLA),
		Routing:                viewRouting(c.Routing)}
}

type createConversationRequest struct {
	ContactID *string          `json:"contact_id" required:"true"`
	ChannelID *string          `json:"channel_id"`
	QueueID   *string          `json:"queue_id"`
	Priority  *domain.Priority `json:"priority"`
}

type updateConversationRequest struct {
	Priority *domain.Priority `json:"priority" required:"true"`
}

type assignRequest struct {
	AssigneeID nullableString `json:"assignee_id" required:"true"`
}

// transferRequest names a queue, an agent or both; the domain refuses
// neither, naming queue_id.
type transferRequest struct {
	QueueID    *string `json:"queue_id"`
	AssigneeID *string `json:"assignee_id"`
	Note       *string `json:"note"`
}

type statusRequest struct {
	Status      *domain.ConversationStatus `json:"status" required:"true"`
	CloseReason *string                    `json:"close_reason"`
}

// conversationFilter reads the inbox filters from the query string.
func conversationFilter(c *gin.Context) (domain.ConversationFilter, error) {
	page, err := syncPageRequest(c)
	if err != nil {
		return domain.ConversationFilter{}, err
	}
	unassigned, err := queryBool(c, "unassigned")
	if err != nil {
		return domain.ConversationFilter{}, err
	}
	f := domain.ConversationFilter{QueueID: c.Query("queue_id"), AssigneeID: c.Query("assignee_id"),
		Unassigned: deref(unassigned), TagID: c.Query("tag_id"), ChannelID: c.Query("channel_id"),
		ContactID: c.Query("contact_id"), Text: c.Query("q"), Page: page,
		SLAState: domain.SLAState(c.Query("sla_state"))}
	if s := c.Query("status"); s != "" {
		for _, st := range strings.Split(s, ",") {
			f.Status = append(f.Status, domain.ConversationStatus(strings.TrimSpace(st)))
		}
	}
	return f, nil
}

func (h *handlers) listConversations(c *gin.Context) {
	f, err := conversationFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := h.svc.Conversations(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, page, viewConversation)
}

func (h *handlers) createConversation(c *gin.Context) {
	var req createConversationRequest
	if !decodeBody(c, &req) {
		return
	}
	conv, err := h.svc.CreateConversation(c.Request.Context(), domain.NewConversation{ContactID: *req.ContactID,
		ChannelID: deref(req.ChannelID), QueueID: deref(req.QueueID), Priority: deref(req.Priority)})
	renderConversation(c, http.StatusCreated, conv, err)
}

func (h *handlers) getConversation(c *gin.Context) {
	conv, err := h.svc.Conversation(c.Request.Context(), c.Param("id"))
	renderConversation(c, http.StatusOK, conv, err)
}

func (h *handlers) updateConversation(c *gin.Context) {
	var req updateConversationRequest
	if !decodeBody(c, &req) {
		return
	}
	conv, err := h.svc.SetPriority(c.Request.Context(), c.Param("id"), *req.Priority)
	renderConversation(c, http.StatusOK, conv, err)
}

func (h *handlers) claimConversation(c *gin.Context) {
	conv, err := h.svc.Claim(c.Request.Context(), c.Param("id"))
	renderConversation(c, http.StatusOK, conv, err)
}

func (h *handlers) assignConversation(c *gin.Context) {
	var req assignRequest
	if !decodeBody(c, &req) {
		return
	}
	conv, err := h.svc.Assign(c.Request.Context(), c.Param("id"), req.AssigneeID.Value)
	renderConversation(c, http.StatusOK, conv, err)
}

func (h *handlers) transferConversation(c *gin.Context) {
	var req transferRequest
	if !decodeBody(c, &req) {
		return
	}
	conv, err := h.svc.Transfer(c.Request.Context(), c.Param("id"), domain.TransferInput{
		QueueID: deref(req.QueueID), AssigneeID: deref(req.AssigneeID), Note: deref(req.Note)})
	renderConversation(c, http.StatusOK, conv, err)
}

func (h *handlers) changeConversationStatus(c *gin.Context) {
	var req statusRequest
	if !decodeBody(c, &req) {
		return
	}
	conv, err := h.svc.ChangeStatus(c.Request.Context(), c.Param("id"),
		domain.StatusChange{Status: *req.Status, CloseReason: deref(req.CloseReason)})
	renderConversation(c, http.StatusOK, conv, err)
}

// tagConversation serves PUT (tag) and DELETE (untag); both are idempotent.
func (h *handlers) tagConversation(tagged bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		conv, err := h.svc.TagConversation(c.Request.Context(), c.Param("id"), c.Param("tag_id"), tagged)
		renderConversation(c, http.StatusOK, conv, err)
	}
}

func renderConversation(c *gin.Context, status int, conv *domain.Conversation, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewConversation(conv))
}
