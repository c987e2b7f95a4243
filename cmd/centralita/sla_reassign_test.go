package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// In a queue that assigns automatically, a reassign escalation takes the
// conversation from the agent who did not answer and hands it to another
// online agent, never back to the same one.
func TestSLAReassignGoesToAnotherAgent(t *testing.T) {
	a := slaApp(t)
	d := newSLADesk(t, a, "Reassign Co")
	tok := d.tn.OwnerToken
	queueID, _ := d.queueWithPolicy("Soporte", map[string]any{"first_response_seconds": 2, "warning_ratio": 0.5,
		"escalation": map[string]any{"action": "reassign"}})
	d.c.expect(200, "PATCH", "/v1/queues/"+queueID, tok, map[string]any{"assignment_mode": "least_busy"})
	first, _ := a.member(d.tn, "uno@reassign.test", "agent", queueID)
	second, _ := a.member(d.tn, "dos@reassign.test", "agent", queueID)
	online := func(id string) {
		d.c.expect(200, "PATCH", "/v1/users/"+id, tok, map[string]any{"availability": "online", "capacity": 5})
	}
	online(first)
	online(second)
	a.startJobs()

	conv := d.customerWritesTo(queueID)
	before := d.conversation(conv)["assignee_id"]
	require.Contains(t, []any{first, second}, before, "assigned at once")
	a.waitForEvent(conv, "sla.breached")
	after := d.conversation(conv)["assignee_id"]
	require.NotNil(t, after, "handed on, not left waiting")
	require.NotEqual(t, before, after, "never back to the agent who did not answer")
}
