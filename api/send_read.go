package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// markMessageRead sends the customer a read receipt for an inbound message
// (and, as WhatsApp does, every earlier one). Repeating it is harmless:
// a message already marked is returned without sending again.
func (h *handlers) markMessageRead(c *gin.Context) {
	m, err := h.svc.MarkMessageRead(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewMessage(m))
}

// markConversationRead marks the conversation's newest inbound message
// read; 204 when the customer sent nothing WhatsApp can mark.
func (h *handlers) markConversationRead(c *gin.Context) {
	m, err := h.svc.MarkConversationRead(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	if m == nil {
		c.Status(http.StatusNoContent)
		return
	}
	respond(c, http.StatusOK, viewMessage(m))
}
