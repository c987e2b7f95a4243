package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRESTOperationalRoutes(t *testing.T) {
	_, c := newRESTApp(t)
	require.JSONEq(t, `{"status":"ok"}`, string(c.expect(200, "GET", "/healthz", "", nil).Body))
	c.expect(200, "GET", "/readyz", "", nil)
	require.Contains(t, string(c.expect(200, "GET", "/metrics", "", nil).Body), "http_request_duration_seconds")
	spec := c.expect(200, "GET", "/openapi.yaml", "", nil)
	require.Equal(t, "application/yaml", spec.Header.Get("Content-Type"))
	require.Contains(t, string(spec.Body), "openapi: 3.1.0")
}

func TestRESTAccountAndWorkspace(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	me := object(t, c.expect(200, "GET", "/v1/me", tn.OwnerToken, nil))
	require.Equal(t, tn.OwnerID, me["id"])
	require.Equal(t, "owner", me["role"])
	ws := object(t, c.expect(200, "GET", "/v1/workspace", tn.OwnerToken, nil))
	require.Equal(t, tn.WorkspaceID, ws["id"])
	ws = object(t, c.expect(200, "PATCH", "/v1/workspace", tn.OwnerToken, map[string]any{"name": "Acme SAC", "timezone": "America/Bogota"}))
	require.Equal(t, "Acme SAC", ws["name"])
	require.Equal(t, "America/Bogota", ws["timezone"])
	c.expect(400, "PATCH", "/v1/workspace", tn.OwnerToken, map[string]any{"timezone": "Mars/Olympus"})
}

func TestRESTCatalogRoutes(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken

	require.Len(t, listData(t, c.expect(200, "GET", "/v1/queues", tok, nil)), 3, "Ventas, Soporte and General")
	q := object(t, c.expect(200, "PATCH", "/v1/queues/"+w.OtherQueueID, tok, map[string]any{"description": "post-venta"}))
	require.Equal(t, "post-venta", q["description"])
	q = object(t, c.expect(200, "PUT", "/v1/queues/"+w.OtherQueueID+"/members/"+w.AgentID, tok, nil))
	require.Contains(t, q["member_ids"], w.AgentID)
	q = object(t, c.expect(200, "DELETE", "/v1/queues/"+w.OtherQueueID+"/members/"+w.AgentID, tok, nil))
	require.NotContains(t, q["member_ids"], w.AgentID)
	c.expect(200, "GET", "/v1/queues/"+w.QueueID, tok, nil)

	require.Len(t, listData(t, c.expect(200, "GET", "/v1/tags", tok, nil)), 1)
	tag := object(t, c.expect(200, "PATCH", "/v1/tags/"+w.TagID, tok, map[string]any{"name": "VIP", "color": "#00FF00"}))
	require.Equal(t, "VIP", tag["name"])
	c.expect(200, "GET", "/v1/tags/"+w.TagID, tok, nil)

	require.Len(t, listData(t, c.expect(200, "GET", "/v1/channels", tok, nil)), 1)
	ch := object(t, c.expect(200, "PATCH", "/v1/channels/"+w.ChannelID, tok, map[string]any{"mode": "redirect"}))
	require.Equal(t, "redirect", ch["mode"])
	c.expect(200, "GET", "/v1/channels/"+w.ChannelID, tok, nil)

	users := listData(t, c.expect(200, "GET", "/v1/users?role=agent&active=true&queue_id="+w.QueueID, tok, nil))
	require.Len(t, users, 1)
	require.Equal(t, w.AgentID, users[0]["id"])
	u := object(t, c.expect(201, "POST", "/v1/users", tok, map[string]any{"email": "new@example.com", "name": "Nuevo",
		"password": testPassword, "role": "agent", "capacity": 5, "queue_ids": []string{w.QueueID}}))
	require.NotContains(t, u, "password_hash")
	require.Equal(t, float64(5), u["capacity"])
	u = object(t, c.expect(200, "PATCH", "/v1/users/"+u["id"].(string), tok, map[string]any{"name": "Nueva",
		"availability": "online", "capacity": 8, "queue_ids": []string{w.OtherQueueID}}))
	require.Equal(t, "Nueva", u["name"])
	c.expect(200, "GET", "/v1/users/"+u["id"].(string), tok, nil)
	c.expect(204, "DELETE", "/v1/users/"+u["id"].(string), tok, nil)
	require.Equal(t, false, object(t, c.expect(200, "GET", "/v1/users/"+u["id"].(string), tok, nil))["active"])
	c.expect(401, "POST", "/v1/auth/login", "", map[string]string{"email": "new@example.com", "password": testPassword})

	// Deleting: a queue in use is a conflict, an unused one goes.
	c.expect(409, "DELETE", "/v1/queues/"+w.QueueID, tok, nil)
	spare := idOf(t, c.expect(201, "POST", "/v1/queues", tok, map[string]any{"name": "Spare"}))
	c.expect(204, "DELETE", "/v1/queues/"+spare, tok, nil)
	c.expect(404, "GET", "/v1/queues/"+spare, tok, nil)
	c.expect(204, "DELETE", "/v1/tags/"+w.TagID, tok, nil)
	c.expect(404, "GET", "/v1/tags/"+w.TagID, tok, nil)
	spareChannel := idOf(t, c.expect(201, "POST", "/v1/channels", tok, map[string]any{"phone_number_id": "777000111",
		"waba_id": "777", "display_phone_number": "+51 777", "mode": "redirect", "name": "Legacy"}))
	c.expect(204, "DELETE", "/v1/channels/"+spareChannel, tok, nil)
	c.expect(404, "GET", "/v1/channels/"+spareChannel, tok, nil)
}

func TestRESTContactRoutes(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken
	for i := range 3 {
		c.expect(201, "POST", "/v1/contacts", tok, map[string]any{"wa_id": fmt.Sprintf("5199000000%d", i),
			"name": fmt.Sprintf("Paginado %d", i), "email": fmt.Sprintf("p%d@example.com", i),
			"custom_attributes": map[string]any{"plan": "gold"}})
	}
	var page struct {
		Data       []map[string]any `json:"data"`
		NextCursor *string          `json:"next_cursor"`
		HasMore    bool             `json:"has_more"`
	}
	c.expect(200, "GET", "/v1/contacts?limit=2", tok, nil).decode(t, &page)
	require.Len(t, page.Data, 2)
	require.True(t, page.HasMore)
	require.NotNil(t, page.NextCursor)
	seen := map[any]bool{page.Data[0]["id"]: true, page.Data[1]["id"]: true}
	c.expect(200, "GET", "/v1/contacts?limit=2&cursor="+*page.NextCursor, tok, nil).decode(t, &page)
	require.Len(t, page.Data, 2)
	require.False(t, page.HasMore)
	require.Nil(t, page.NextCursor)
	for _, ct := range page.Data {
		require.False(t, seen[ct["id"]], "pages must not overlap")
	}
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/contacts?q=Paginado", tok, nil)), 3)
	c.expect(400, "GET", "/v1/contacts?cursor=not-a-cursor", tok, nil)
	c.expect(400, "GET", "/v1/contacts?limit=1000", tok, nil)
	c.expect(400, "GET", "/v1/contacts?limit=abc", tok, nil)

	ct := object(t, c.expect(200, "PATCH", "/v1/contacts/"+w.ContactID, tok, map[string]any{"name": "Renombrado", "email": "R@Example.com"}))
	require.Equal(t, "Renombrado", ct["name"])
	require.Equal(t, "r@example.com", ct["email"])
	ct = object(t, c.expect(200, "PUT", "/v1/contacts/"+w.ContactID+"/tags/"+w.TagID, tok, nil))
	require.Equal(t, []any{w.TagID}, ct["tags"])
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/contacts?tag_id="+w.TagID, tok, nil)), 1)
	ct = object(t, c.expect(200, "DELETE", "/v1/contacts/"+w.ContactID+"/tags/"+w.TagID, tok, nil))
	require.Empty(t, ct["tags"])
	c.expect(200, "GET", "/v1/contacts/"+w.ContactID, tok, nil)
	c.expect(409, "POST", "/v1/contacts", tok, map[string]any{"wa_id": "51990000000"})
}

func TestRESTConversationRoutes(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken
	base := "/v1/conversations/" + w.ConversationID

	conv := object(t, c.expect(200, "GET", base, tok, nil))
	require.Equal(t, "new", conv["status"])
	require.Nil(t, conv["assignee_id"])
	require.Equal(t, w.QueueID, conv["queue_id"])

	list := listData(t, c.expect(200, "GET", "/v1/conversations?status=new,open&queue_id="+w.QueueID+"&unassigned=true", tok, nil))
	require.Len(t, list, 1)
	c.expect(200, "GET", "/v1/conversations?contact_id="+w.ContactID+"&channel_id="+w.ChannelID+"&q=Cliente", tok, nil)
	c.expect(400, "GET", "/v1/conversations?status=bogus", tok, nil)
	c.expect(400, "GET", "/v1/conversations?unassigned=maybe", tok, nil)

	conv = object(t, c.expect(200, "PATCH", base, tok, map[string]any{"priority": "urgent"}))
	require.Equal(t, "urgent", conv["priority"])
	conv = object(t, c.expect(200, "PUT", base+"/tags/"+w.TagID, tok, nil))
	require.Equal(t, []any{w.TagID}, conv["tags"])
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/conversations?tag_id="+w.TagID, tok, nil)), 1)
	conv = object(t, c.expect(200, "DELETE", base+"/tags/"+w.TagID, tok, nil))
	require.Empty(t, conv["tags"])

	conv = object(t, c.expect(200, "POST", base+"/assign", tok, map[string]any{"assignee_id": w.AgentID}))
	require.Equal(t, w.AgentID, conv["assignee_id"])
	require.Equal(t, "open", conv["status"])
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/conversations?assignee_id="+w.AgentID, tok, nil)), 1)
	conv = object(t, c.expect(200, "POST", base+"/assign", tok, map[string]any{"assignee_id": nil}))
	require.Nil(t, conv["assignee_id"])
	conv = object(t, c.expect(200, "POST", base+"/claim", w.AgentToken, nil))
	require.Equal(t, w.AgentID, conv["assignee_id"])
	c.expect(409, "POST", base+"/claim", w.SupervisorToken, nil)

	msg := object(t, c.expect(201, "POST", base+"/messages", w.AgentToken, map[string]any{"text": "Hola, ¿en qué te ayudo?"}))
	require.Equal(t, "queued", msg["status"])
	require.Equal(t, "outbound", msg["direction"])
	require.Equal(t, "agent", msg["author_kind"])
	require.Equal(t, w.AgentID, msg["author_id"])
	require.Nil(t, msg["provider_message_id"])
	msgs := listData(t, c.expect(200, "GET", base+"/messages?limit=10", w.AgentToken, nil))
	require.Len(t, msgs, 2, "the customer's message and the reply")
	require.Equal(t, msg["id"], msgs[0]["id"], "newest first")
	require.NotNil(t, object(t, c.expect(200, "GET", base, tok, nil))["first_human_response_at"])

	note := object(t, c.expect(201, "POST", base+"/notes", w.AgentToken, map[string]any{"body": "pidió cotización"}))
	require.Equal(t, w.AgentID, note["author_id"])
	require.Len(t, listData(t, c.expect(200, "GET", base+"/notes", tok, nil)), 2)

	task := object(t, c.expect(201, "POST", base+"/tasks", tok, map[string]any{"title": "enviar propuesta",
		"due_at": "2099-01-01T15:00:00Z", "assignee_id": w.AgentID}))
	require.Equal(t, w.ContactID, task["contact_id"])
	require.Len(t, listData(t, c.expect(200, "GET", base+"/tasks", tok, nil)), 2)
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/tasks?assignee_id="+w.AgentID+"&done=false", tok, nil)), 1)
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/tasks?contact_id="+w.ContactID, tok, nil)), 2)
	task = object(t, c.expect(200, "PATCH", "/v1/tasks/"+task["id"].(string), tok, map[string]any{"done": true}))
	require.Equal(t, true, task["done"])
	require.NotNil(t, task["done_at"])

	conv = object(t, c.expect(200, "POST", base+"/transfer", tok, map[string]any{"queue_id": w.OtherQueueID}))
	require.Equal(t, w.OtherQueueID, conv["queue_id"])
	require.Nil(t, conv["assignee_id"])
	conv = object(t, c.expect(200, "POST", base+"/status", tok, map[string]any{"status": "pending_customer"}))
	require.Equal(t, "pending_customer", conv["status"])
	conv = object(t, c.expect(200, "POST", base+"/status", tok, map[string]any{"status": "closed", "close_reason": "follow_up"}))
	require.Equal(t, "closed", conv["status"])
	require.Equal(t, "follow_up", conv["close_reason"])
	require.NotNil(t, conv["closed_at"])
	c.expect(409, "POST", base+"/messages", tok, map[string]any{"text": "¿sigues ahí?"})
	conv = object(t, c.expect(200, "POST", base+"/status", tok, map[string]any{"status": "open"}))
	require.Nil(t, conv["closed_at"])
	require.Nil(t, conv["close_reason"])

	fresh := object(t, c.expect(201, "POST", "/v1/conversations", tok, map[string]any{"contact_id": w.ContactID, "priority": "high"}))
	require.Equal(t, w.ChannelID, fresh["channel_id"], "the official number by default")
	require.Equal(t, "high", fresh["priority"])
}
