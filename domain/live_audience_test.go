package domain

import (
	"context"
	"testing"
)

func TestLiveEventVisible(t *testing.T) {
	agent := Principal{WorkspaceID: "ws_1", UserID: "usr_a", Role: RoleAgent, QueueIDs: []string{"que_sales"}}
	supervisor := Principal{WorkspaceID: "ws_1", UserID: "usr_s", Role: RoleSupervisor, QueueIDs: []string{"que_sales"}}
	admin := Principal{WorkspaceID: "ws_1", UserID: "usr_x", Role: RoleAdmin}
	apiKey := Principal{WorkspaceID: "ws_1", APIKeyID: "key_1", Role: RoleAgent}
	stranger := Principal{WorkspaceID: "ws_2", UserID: "usr_z", Role: RoleOwner}
	placed := func(queue, assignee string) map[string]any {
		return map[string]any{"conversation_id": "conv_1", payloadConversationQueue: queue, payloadConversationAssignee: assignee}
	}
	cases := []struct {
		name    string
		typ     string
		payload map[string]any
		who     Principal
		want    bool
	}{
		{"agent: unassigned in their queue", EventMessageCreated, placed("que_sales", ""), agent, true},
		{"agent: their own elsewhere", EventMessageCreated, placed("que_other", "usr_a"), agent, true},
		{"agent: a colleague's in their queue", EventConversationAssigned, placed("que_sales", "usr_b"), agent, true},
		{"agent: another queue", EventMessageCreated, placed("que_other", ""), agent, false},
		{"agent: no queue", EventMessageCreated, placed("", ""), agent, false},
		{"supervisor: another queue", EventMessageCreated, placed("que_other", "usr_b"), supervisor, false},
		{"supervisor: their queue", EventNoteCreated, placed("que_sales", "usr_b"), supervisor, true},
		{"admin: anywhere", EventMessageCreated, placed("que_other", "usr_b"), admin, true},
		{"agent-role key: no user, no queues", EventMessageCreated, placed("que_sales", ""), apiKey, false},
		{"contacts: everyone", EventContactCreated, map[string]any{"contact_id": "ctc_1"}, agent, true},
		{"task on a contact only: everyone", EventTaskCreated, map[string]any{"task_id": "tsk_1", "conversation_id": ""}, agent, true},
		{"configuration: admins", "routing_rule.created", map[string]any{"rule_id": "rr_1"}, admin, true},
		{"configuration: not agents", "routing_rule.created", map[string]any{"rule_id": "rr_1"}, agent, false},
		{"configuration: not supervisors", "welcome_bot.updated", map[string]any{}, supervisor, false},
		{"another workspace: never", EventContactCreated, map[string]any{"contact_id": "ctc_1"}, stranger, false},
		{"another workspace's conversation: never", EventMessageCreated, placed("que_sales", ""), stranger, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			le := &LiveEvent{Event: &Event{WorkspaceID: "ws_1", Type: c.typ, Payload: c.payload}}
			if got := le.Visible(WithPrincipal(context.Background(), c.who)); got != c.want {
				t.Fatalf("Visible = %v, want %v", got, c.want)
			}
		})
	}
}
