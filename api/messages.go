package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerMessages(g *gin.RouterGroup) {
	g.GET("/conversations/:id/messages", h.listMessages)
	g.POST("/conversations/:id/messages", h.sendMessage)
	g.POST("/conversations/:id/read", h.markConversationRead)
	g.POST("/messages/:id/read", h.markMessageRead)
	g.GET("/conversations/:id/notes", h.listNotes)
	g.POST("/conversations/:id/notes", h.addNote)
}

type messageView struct {
	ID                string        `json:"id"`
	ConversationID    string        `json:"conversation_id"`
	ChannelID         *string       `json:"channel_id"`
	Direction         string        `json:"direction"`
	AuthorKind        string        `json:"author_kind"`
	AuthorID          *string       `json:"author_id"`
	Type              string        `json:"type"`
	Text              string        `json:"text"`
	PreviewURL        bool          `json:"preview_url"`
	Template          *templateView `json:"template"`
	MarkedReadAt      *timestamp    `json:"marked_read_at"`
	Status            string        `json:"status"`
	ProviderMessageID *string       `json:"provider_message_id"`
	ErrorCode         *string       `json:"error_code"`
	ErrorTitle        *string       `json:"error_title"`
	Referral          *referralView `json:"referral"`
	contentView
	CreatedAt timestamp `json:"created_at"`
	UpdatedAt timestamp `json:"updated_at"`
}

func viewMessage(m *domain.Message) messageView {
	return messageView{ID: m.ID, ConversationID: m.ConversationID, ChannelID: nullable(m.ChannelID),
		Direction: string(m.Direction), AuthorKind: string(m.AuthorKind), AuthorID: nullable(m.AuthorID),
		Type: string(m.Type), Text: m.Text, PreviewURL: m.PreviewURL, Template: viewTemplate(m.Template),
		MarkedReadAt: optionalStamp(m.MarkedReadAt), Status: string(m.Status),
		ProviderMessageID: nullable(m.ProviderMessageID), ErrorCode: nullable(m.ErrorCode),
		ErrorTitle: nullable(m.ErrorTitle), Referral: viewReferral(m.Referral), contentView: viewContent(m),
		CreatedAt: stamp(m.CreatedAt),
		UpdatedAt: stamp(m.UpdatedAt)}
}

// referralView is the Click-to-WhatsApp ad (or post) a customer came from.
type referralView struct {
	SourceID   string `json:"source_id"`
	SourceType string `json:"source_type"`
	SourceURL  string `json:"source_url"`
	Headline   string `json:"headline"`
	Body       string `json:"body"`
	CtwaClid   string `json:"ctwa_clid"`
}

func viewReferral(r *domain.Referral) *referralView {
	if r == nil {
		return nil
	}
	v := referralView(*r)
	return &v
}

type noteView struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	AuthorID       string    `json:"author_id"`
	Body           string    `json:"body"`
	CreatedAt      timestamp `json:"created_at"`
}

func viewNote(n *domain.Note) noteView {
	return noteView{ID: n.ID, ConversationID: n.ConversationID, AuthorID: n.AuthorID, Body: n.Body,
		CreatedAt: stamp(n.CreatedAt)}
}

type addNoteRequest struct {
	Body *string `json:"body" required:"true"`
}

func (h *handlers) listMessages(c *gin.Context) {
	page, err := syncPageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	msgs, err := h.svc.Messages(c.Request.Context(), c.Param("id"), page)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, msgs, viewMessage)
}

// sendMessage stores the message as queued; delivery happens later, so the
// answer is 201 with status "queued". With an Idempotency-Key header a
// retried request gets the first message back, marked Idempotent-Replayed.
func (h *handlers) sendMessage(c *gin.Context) {
	var req sendMessageRequest
	if !decodeBody(c, &req) {
		return
	}
	in, err := req.sendInput(c.GetHeader("Idempotency-Key"))
	if err != nil {
		fail(c, err)
		return
	}
	m, replayed, err := h.svc.Send(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		fail(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	respond(c, http.StatusCreated, viewMessage(m))
}

func (h *handlers) listNotes(c *gin.Context) {
	page, err := pageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	notes, err := h.svc.Notes(c.Request.Context(), c.Param("id"), page)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, notes, viewNote)
}

func (h *handlers) addNote(c *gin.Context) {
	var req addNoteRequest
	if !decodeBody(c, &req) {
		return
	}
	n, err := h.svc.AddNote(c.Request.Context(), c.Param("id"), *req.Body)
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusCreated, viewNote(n))
}
