package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRESTRoleMatrix checks what agents, supervisors and admins may do.
func TestRESTRoleMatrix(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	agent, sup, owner := w.AgentToken, w.SupervisorToken, w.OwnerToken
	_, admin := c.app.member(w.tenant, "acme-admin@example.com", "admin")

	// Administration is for admins.
	for _, tok := range []string{agent, sup} {
		c.expect(403, "POST", "/v1/queues", tok, map[string]any{"name": "Nope"})
		c.expect(403, "POST", "/v1/tags", tok, map[string]any{"name": "nope"})
		c.expect(403, "POST", "/v1/channels", tok, map[string]any{"phone_number_id": "999", "waba_id": "999",
			"display_phone_number": "+1 999", "mode": "official"})
		c.expect(403, "POST", "/v1/users", tok, map[string]any{"email": "x@example.com", "name": "X",
			"password": testPassword, "role": "agent"})
		c.expect(403, "GET", "/v1/api-keys", tok, nil)
		c.expect(403, "POST", "/v1/api-keys", tok, map[string]any{"name": "mine"})
		c.expect(403, "DELETE", "/v1/api-keys/"+w.APIKeyID, tok, nil)
		c.expect(403, "PATCH", "/v1/workspace", tok, map[string]any{"name": "Hijacked"})
		c.expect(403, "DELETE", "/v1/queues/"+w.OtherQueueID, tok, nil)
		c.expect(403, "PATCH", "/v1/users/"+w.OwnerID, tok, map[string]any{"name": "Pwned"})
		// Reading the shared catalogs is fine.
		c.expect(200, "GET", "/v1/queues", tok, nil)
		c.expect(200, "GET", "/v1/users", tok, nil)
		c.expect(200, "GET", "/v1/contacts", tok, nil)
	}
	c.expect(201, "POST", "/v1/tags", admin, map[string]any{"name": "by-admin"})
	c.expect(200, "GET", "/v1/api-keys", admin, nil)
	// Only owners create owners, and a user cannot raise their own role.
	c.expect(403, "POST", "/v1/users", admin, map[string]any{"email": "o2@example.com", "name": "O2",
		"password": testPassword, "role": "owner"})
	c.expect(403, "PATCH", "/v1/users/"+w.AgentID, agent, map[string]any{"role": "admin"})
	self := object(t, c.expect(200, "PATCH", "/v1/users/"+w.AgentID, agent, map[string]any{"availability": "online"}))
	require.Equal(t, "online", self["availability"])

	// Visibility: an agent of queue A does not see a conversation of queue B.
	hidden := idOf(t, c.expect(201, "POST", "/v1/conversations", owner, map[string]any{"contact_id": w.ContactID,
		"queue_id": w.OtherQueueID}))
	for _, tok := range []string{agent, sup} {
		c.expect(404, "GET", "/v1/conversations/"+hidden, tok, nil)
		c.expect(404, "POST", "/v1/conversations/"+hidden+"/claim", tok, nil)
		c.expect(404, "GET", "/v1/conversations/"+hidden+"/messages", tok, nil)
		for _, conv := range listData(t, c.expect(200, "GET", "/v1/conversations", tok, nil)) {
			require.NotEqual(t, hidden, conv["id"])
		}
	}
	c.expect(200, "GET", "/v1/conversations/"+hidden, admin, nil)

	// Assignment: supervisors of the queue and admins, never agents.
	base := "/v1/conversations/" + w.ConversationID
	c.expect(403, "POST", base+"/assign", agent, map[string]any{"assignee_id": w.AgentID})
	c.expect(200, "POST", base+"/assign", sup, map[string]any{"assignee_id": w.AgentID})
	c.expect(200, "POST", base+"/assign", admin, map[string]any{"assignee_id": w.SupervisorID})
	// An agent cannot act on a conversation assigned to someone else.
	c.expect(403, "POST", base+"/messages", agent, map[string]any{"text": "hola"})
	c.expect(403, "POST", base+"/status", agent, map[string]any{"status": "closed", "close_reason": "resolved"})
	c.expect(409, "POST", base+"/claim", agent, nil)

	// API keys act with their role.
	key := object(t, c.expect(201, "POST", "/v1/api-keys", owner, map[string]any{"name": "agent-key", "role": "agent"}))
	c.expect(403, "POST", "/v1/queues", key["secret"].(string), map[string]any{"name": "Nope"})
	// A non-admin key belongs to no queue, so it sees no conversation.
	c.expect(404, "POST", base+"/claim", key["secret"].(string), nil)
}

// TestRESTDeactivatedUserLosesAccess checks a deactivated user's access
// token and refresh token stop working at once.
func TestRESTDeactivatedUserLosesAccess(t *testing.T) {
	app, c := newRESTApp(t)
	w := c.populate("Acme")
	s := loginSession(t, c, "acme-agent@example.com", testPassword)
	c.expect(200, "GET", "/v1/me", w.AgentToken, nil)
	c.expect(403, "DELETE", "/v1/users/"+w.OwnerID, w.OwnerToken, nil)
	c.expect(204, "DELETE", "/v1/users/"+w.AgentID, w.OwnerToken, nil)
	c.expect(401, "GET", "/v1/me", w.AgentToken, nil)
	c.expect(401, "GET", "/v1/me", s.AccessToken, nil)
	c.expect(401, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken})
	_ = app
}
