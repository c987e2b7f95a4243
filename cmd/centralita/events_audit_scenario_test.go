package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// wantEvent is an event the scenario must have caused exactly once.
type wantEvent struct {
	typ, actorKind, actorID, subject string
	messageID                        string // for message.created, whose subject is the conversation
}

// A workspace is configured, used and audited over real HTTP the way an
// admin, an integration, the welcome bot, a routing rule and WhatsApp
// would; every security and configuration change, and the conversation
// it all leads to, shows in the feed once with the right actor and
// subject.
func TestEveryChangeRecordsItsEventOnceWithItsActor(t *testing.T) {
	a, c := newRESTApp(t)
	tn := a.bootstrap("Audit Co")
	owner := tn.OwnerToken
	var want []wantEvent
	by := func(typ, kind, actor, subject string) { want = append(want, wantEvent{typ, kind, actor, subject, ""}) }
	user := func(typ, subject string) { by(typ, "user", tn.OwnerID, subject) }

	// Security: logins (the harness signed the owner in), keys, users.
	by("auth.login_succeeded", "user", tn.OwnerID, tn.OwnerID)
	res := a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": "wrong password!"})
	require.Equal(t, http.StatusUnauthorized, res.Status)
	by("auth.login_failed", "system", "", tn.OwnerID)
	res = a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": "nobody@example.com", "password": "wrong password!"})
	require.Equal(t, http.StatusUnauthorized, res.Status, "an unknown email records nothing")
	key := object(t, c.expect(201, "POST", "/v1/api-keys", owner, map[string]any{"name": "crm"}))
	keyID, keySecret := key["id"].(string), key["secret"].(string)
	user("api_key.created", keyID)
	agentID := idOf(t, c.expect(201, "POST", "/v1/users", owner, map[string]any{"email": "ana@audit.example",
		"name": "Ana", "password": testPassword, "role": "agent"}))
	user("user.created", agentID)
	c.expect(200, "PATCH", "/v1/users/"+agentID, owner, map[string]any{"role": "supervisor"})
	user("user.role_changed", agentID)
	c.expect(204, "DELETE", "/v1/users/"+agentID, owner, nil)
	user("user.deactivated", agentID)
	c.expect(200, "PATCH", "/v1/users/"+agentID, owner, map[string]any{"active": true})
	user("user.reactivated", agentID)

	// Configuration by the integration's key: a tag's whole life.
	tagID := idOf(t, c.expect(201, "POST", "/v1/tags", keySecret, map[string]any{"name": "temporal"}))
	by("tag.created", "api_key", keyID, tagID)
	c.expect(200, "PATCH", "/v1/tags/"+tagID, keySecret, map[string]any{"color": "#aa00ff"})
	by("tag.updated", "api_key", keyID, tagID)
	c.expect(204, "DELETE", "/v1/tags/"+tagID, keySecret, nil)
	by("tag.deleted", "api_key", keyID, tagID)

	// Configuration by the owner.
	queueID := idOf(t, c.expect(201, "POST", "/v1/queues", owner, map[string]any{"name": "Ventas"}))
	user("queue.created", queueID)
	c.expect(200, "PATCH", "/v1/queues/"+queueID, owner, map[string]any{"description": "leads"})
	user("queue.updated", queueID)
	c.expect(200, "PUT", "/v1/queues/"+queueID+"/members/"+agentID, owner, nil)
	user("queue.member_added", queueID)
	c.expect(200, "DELETE", "/v1/queues/"+queueID+"/members/"+agentID, owner, nil)
	user("queue.member_removed", queueID)
	peruTag := idOf(t, c.expect(201, "POST", "/v1/tags", owner, map[string]any{"name": "peru"}))
	channelID := a.postChannelOK(owner, fakeNumberID, "15550783881")
	user("channel.created", channelID)
	c.expect(200, "PATCH", "/v1/channels/"+channelID, owner, map[string]any{"name": "Principal"})
	user("channel.updated", channelID)
	spareID := a.postChannelOK(owner, "106540352200001", "15550783882")
	c.expect(204, "DELETE", "/v1/channels/"+spareID, owner, nil)
	user("channel.deleted", spareID)
	c.expect(200, "PUT", "/v1/channels/"+channelID+"/welcome-bot", owner, map[string]any{
		"enabled": true, "greeting": "¡Hola! ¿En qué te ayudamos?", "style": "text",
		"options":           []any{map[string]any{"key": "ventas", "title": "Ventas", "queue_id": queueID}},
		"fallback_queue_id": queueID})
	user("welcome_bot.updated", channelID)
	ruleID := idOf(t, c.expect(201, "POST", "/v1/routing-rules", owner, map[string]any{"name": "Perú",
		"conditions": []any{map[string]any{"type": "country", "value": "pe"}},
		"actions":    []any{map[string]any{"type": "add_tags", "tag_ids": []string{peruTag}}}, "continue": true}))
	user("routing_rule.created", ruleID)
	slaID := idOf(t, c.expect(201, "POST", "/v1/sla-policies", owner, map[string]any{"name": "Oro",
		"first_response_seconds": 600, "escalation": map[string]any{"action": "raise_priority"}}))
	user("sla_policy.created", slaID)
	c.expect(200, "PATCH", "/v1/sla-policies/"+slaID, owner, map[string]any{"warning_ratio": 0.5})
	user("sla_policy.updated", slaID)
	c.expect(204, "DELETE", "/v1/sla-policies/"+slaID, owner, nil)
	user("sla_policy.deleted", slaID)
	hoursID := idOf(t, c.expect(201, "POST", "/v1/business-hours", owner, map[string]any{"name": "Oficina",
		"timezone": "America/Lima", "weekly": []map[string]any{{"day": "mon", "open": "09:00", "close": "18:00"}}}))
	user("business_hours.created", hoursID)
	c.expect(200, "PATCH", "/v1/business-hours/"+hoursID, owner, map[string]any{"timezone": "America/Bogota"})
	user("business_hours.updated", hoursID)
	c.expect(204, "DELETE", "/v1/business-hours/"+hoursID, owner, nil)
	user("business_hours.deleted", hoursID)
	reasonID := idOf(t, c.expect(201, "POST", "/v1/close-reasons", owner, map[string]any{"key": "venta", "name": "Venta"}))
	user("close_reason.created", reasonID)
	c.expect(200, "PATCH", "/v1/close-reasons/"+reasonID, owner, map[string]any{"name": "Venta cerrada"})
	user("close_reason.updated", reasonID)
	c.expect(204, "DELETE", "/v1/close-reasons/"+reasonID, owner, nil)
	user("close_reason.deleted", reasonID)
	c.expect(200, "PATCH", "/v1/workspace", owner, map[string]any{"event_retention_days": 90})
	user("workspace.updated", tn.WorkspaceID)

	// A Peruvian customer writes: WhatsApp (the system) opens the
	// conversation, the rule routes (tags) it, the bot greets.
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(fakeNumberID, "wamid.audit.1", "51987654321")).Status)
	conv := listData(t, c.expect(200, "GET", "/v1/conversations", owner, nil))[0]
	convID := conv["id"].(string)
	by("conversation.created", "system", "", convID)
	by("conversation.routed", "rule", ruleID, convID)
	msgs := listData(t, c.expect(200, "GET", "/v1/conversations/"+convID+"/messages", owner, nil))
	require.Len(t, msgs, 2, "the customer's message and the bot's greeting")
	for _, m := range msgs {
		w := wantEvent{"message.created", "bot", "welcome_bot", convID, m["id"].(string)}
		if m["direction"] == "inbound" {
			w.actorKind, w.actorID = "system", ""
		}
		want = append(want, w)
	}

	// Afterwards: the rule and the bot go, the key is revoked, the log is
	// exported.
	c.expect(200, "PATCH", "/v1/routing-rules/"+ruleID, owner, map[string]any{"name": "Perú (viejo)"})
	user("routing_rule.updated", ruleID)
	c.expect(204, "DELETE", "/v1/routing-rules/"+ruleID, owner, nil)
	user("routing_rule.deleted", ruleID)
	c.expect(204, "DELETE", "/v1/channels/"+channelID+"/welcome-bot", owner, nil)
	user("welcome_bot.deleted", channelID)
	c.expect(204, "DELETE", "/v1/api-keys/"+keyID, owner, nil)
	user("api_key.revoked", keyID)
	res = a.do(http.MethodGet, "/v1/audit-log?format=csv", owner, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	user("audit_log.exported", tn.WorkspaceID)

	bySubject := func(events []feedEvent, w wantEvent) []feedEvent {
		var out []feedEvent
		for _, e := range events {
			if e.Type == w.typ && deref(e.SubjectID) == w.subject &&
				(w.messageID == "" || e.Data["message_id"] == w.messageID) {
				out = append(out, e)
			}
		}
		return out
	}
	events := a.feedUntil(owner, func(events []feedEvent) bool {
		for _, w := range want {
			if len(bySubject(events, w)) == 0 {
				return false
			}
		}
		return true
	})
	for _, w := range want {
		got := bySubject(events, w)
		require.Len(t, got, 1, "%s on %s: %+v", w.typ, w.subject, got)
		require.Equal(t, w.actorKind, got[0].ActorKind, "%s on %s", w.typ, w.subject)
		require.Equal(t, w.actorID, deref(got[0].ActorID), "%s on %s", w.typ, w.subject)
		require.NotEmpty(t, got[0].Data, "%s carries its ids", w.typ)
	}
	failed := 0
	for _, e := range events {
		if e.Type == "auth.login_failed" {
			failed++
		}
	}
	require.Equal(t, 1, failed, "a failed login for an unknown email records nothing")
	role := bySubject(events, wantEvent{typ: "user.role_changed", subject: agentID})[0]
	require.Equal(t, map[string]any{"user_id": agentID, "from": "agent", "to": "supervisor"}, role.Data)
	changed := bySubject(events, wantEvent{typ: "channel.updated", subject: channelID})[0]
	require.Equal(t, []any{"name"}, changed.Data["fields"], "changed fields are named, never their values")
	require.Equal(t, []any{"event_retention_days"},
		bySubject(events, wantEvent{typ: "workspace.updated", subject: tn.WorkspaceID})[0].Data["fields"])
}

// postChannelOK registers a number through REST and returns its id.
func (a *testApp) postChannelOK(token, phoneNumberID, display string) string {
	a.t.Helper()
	id, _ := a.postChannel(token, phoneNumberID, display, "")
	return id
}
