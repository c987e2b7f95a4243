package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A policy is created with its targets and escalation, read, changed and
// deleted; while a queue uses it, it cannot go.
func TestSLAPoliciesOverREST(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Politica")
	tok := w.OwnerToken
	created := object(t, c.expect(201, "POST", "/v1/sla-policies", tok, map[string]any{
		"name": "Soporte oro", "first_response_seconds": 600, "resolution_seconds": 86400,
		"escalation": map[string]any{"action": "notify", "notify_user_ids": []string{w.SupervisorID}}}))
	id := created["id"].(string)
	require.EqualValues(t, 600, created["first_response_seconds"])
	require.Nil(t, created["next_response_seconds"])
	require.EqualValues(t, 0.8, created["warning_ratio"], "the default warning ratio")
	require.Equal(t, map[string]any{"action": "notify", "queue_id": nil, "tag_id": nil,
		"notify_user_ids": []any{w.SupervisorID}}, created["escalation"])
	require.Equal(t, created, object(t, c.expect(200, "GET", "/v1/sla-policies/"+id, w.AgentToken, nil)))
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/sla-policies", tok, nil)), 2)

	changed := object(t, c.expect(200, "PATCH", "/v1/sla-policies/"+id, tok, map[string]any{
		"next_response_seconds": 1200, "warning_ratio": 0.5,
		"escalation": map[string]any{"action": "move_queue", "queue_id": w.OtherQueueID}}))
	require.EqualValues(t, 1200, changed["next_response_seconds"])
	require.EqualValues(t, 600, changed["first_response_seconds"], "left out is kept")
	require.EqualValues(t, 0.5, changed["warning_ratio"])
	require.Equal(t, map[string]any{"action": "move_queue", "queue_id": w.OtherQueueID, "tag_id": nil,
		"notify_user_ids": []any{}}, changed["escalation"])

	c.expect(200, "PATCH", "/v1/queues/"+w.QueueID, tok, map[string]any{"sla_policy_id": id})
	require.Contains(t, problemOf(t, c.expect(409, "DELETE", "/v1/sla-policies/"+id, tok, nil)).Detail, "queues")
	c.expect(200, "PATCH", "/v1/queues/"+w.QueueID, tok, map[string]any{"sla_policy_id": nil})
	c.expect(204, "DELETE", "/v1/sla-policies/"+id, tok, nil)
	c.expect(404, "GET", "/v1/sla-policies/"+id, tok, nil)
	c.expect(403, "POST", "/v1/sla-policies", w.SupervisorToken, map[string]any{"name": "x",
		"first_response_seconds": 60, "escalation": map[string]any{"action": "reassign"}})
}

// A bad policy is a 400 naming the field and writes nothing; ids of
// another workspace are refused like ids that never existed.
func TestSLAPolicyRefusalsWriteNothing(t *testing.T) {
	_, c := newRESTApp(t)
	a := c.populate("Politica A")
	b := c.populate("Politica B")
	tok := b.OwnerToken
	esc := func(e map[string]any) map[string]any {
		return map[string]any{"name": "x", "first_response_seconds": 60, "escalation": e}
	}
	before := string(c.expect(200, "GET", "/v1/sla-policies", tok, nil).Body)
	for _, tc := range []struct {
		field string
		body  map[string]any
	}{
		{"name", map[string]any{"first_response_seconds": 60, "escalation": map[string]any{"action": "reassign"}}},
		{"escalation", map[string]any{"name": "x", "first_response_seconds": 60}},
		{"first_response_seconds", map[string]any{"name": "y", "escalation": map[string]any{"action": "reassign"}}},
		{"first_response_seconds", map[string]any{"name": "x", "first_response_seconds": 0,
			"escalation": map[string]any{"action": "reassign"}}},
		{"resolution_seconds", map[string]any{"name": "x", "resolution_seconds": -5,
			"escalation": map[string]any{"action": "reassign"}}},
		{"warning_ratio", map[string]any{"name": "x", "first_response_seconds": 60, "warning_ratio": 1,
			"escalation": map[string]any{"action": "reassign"}}},
		{"warning_ratio", map[string]any{"name": "x", "first_response_seconds": 60, "warning_ratio": 0,
			"escalation": map[string]any{"action": "reassign"}}},
		{"escalation.action", esc(map[string]any{"action": "panic"})},
		{"escalation.queue_id", esc(map[string]any{"action": "move_queue"})},
		{"escalation.tag_id", esc(map[string]any{"action": "tag"})},
		{"escalation.notify_user_ids", esc(map[string]any{"action": "notify"})},
		{"escalation.queue_id", esc(map[string]any{"action": "reassign", "queue_id": b.QueueID})},
		{"escalation.queue_id", esc(map[string]any{"action": "move_queue", "queue_id": a.QueueID})},
		{"escalation.tag_id", esc(map[string]any{"action": "tag", "tag_id": a.TagID})},
		{"escalation.notify_user_ids", esc(map[string]any{"action": "notify", "notify_user_ids": []string{a.AgentID}})},
		{"when", esc(map[string]any{"action": "notify", "when": "now"})},
	} {
		res := c.expect(400, "POST", "/v1/sla-policies", tok, tc.body)
		p := problemOf(t, res)
		require.NotEmpty(t, p.Errors, "%s", res.Body)
		require.Equal(t, tc.field, p.Errors[0].Field, "%v: %s", tc.body, res.Body)
		if tc.body["name"] == "x" && tc.body["escalation"] != nil { // the others are only wrong for a new policy
			res = c.expect(400, "PATCH", "/v1/sla-policies/"+b.SLAPolicyID, tok, tc.body)
			require.Equal(t, tc.field, problemOf(t, res).Errors[0].Field, "PATCH %v", tc.body)
		}
	}
	require.Equal(t, before, string(c.expect(200, "GET", "/v1/sla-policies", tok, nil).Body))
}
