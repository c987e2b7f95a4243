package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// lifecycleApp is a workspace with the test number, a customer who wrote
// (conversation convID) and an agent of the default queue.
type lifecycleApp struct {
	*testApp
	c        *restClient
	tn       tenant
	agentTok string
	convID   string
}

func newLifecycleApp(t *testing.T, name string) lifecycleApp {
	t.Helper()
	a := newTestApp(t, withGraph(t, newFakeGraph(whatsapp.FakeGraphOptions{})))
	tn := a.bootstrap(name)
	a.channel(tn, fakeNumberID)
	_, agentTok := a.member(tn, "agent@"+name+".example.com", domain.RoleAgent, a.defaultQueueOf(tn))
	l := lifecycleApp{testApp: a, c: a.rest(), tn: tn, agentTok: agentTok}
	l.convID = l.customerWrites("16505551234", "wamid.first")
	return l
}

// customerWrites delivers a text from the customer and returns the id of
// the conversation it landed in.
func (l lifecycleApp) customerWrites(from, wamid string) string {
	l.t.Helper()
	require.Equal(l.t, http.StatusOK, l.deliver(textDelivery(fakeNumberID, wamid, from)).Status)
	m, err := l.DB.Store().FindMessageByProviderID(l.system(l.tn), l.channelID(), wamid)
	require.NoError(l.t, err)
	return m.ConversationID
}

func (l lifecycleApp) channelID() string {
	l.t.Helper()
	chs, err := l.Service.Channels(l.system(l.tn))
	require.NoError(l.t, err)
	return chs[0].ID
}

func (l lifecycleApp) settings(body map[string]any) map[string]any {
	l.t.Helper()
	return object(l.t, l.c.expect(http.StatusOK, http.MethodPatch, "/v1/workspace", l.tn.OwnerToken, body))
}

func (l lifecycleApp) conversation(id string) map[string]any {
	l.t.Helper()
	return object(l.t, l.c.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+id, l.tn.OwnerToken, nil))
}

func (l lifecycleApp) reply(token, convID string) {
	l.t.Helper()
	l.c.expect(http.StatusCreated, http.MethodPost, "/v1/conversations/"+convID+"/messages", token,
		map[string]any{"text": "Te respondo enseguida"})
}

// Lifecycle settings have defaults, are validated naming the field (and
// then change nothing), and show in REST and GraphQL. With
// pending_after_reply a person's reply leaves the conversation waiting for
// the customer, whose next message opens it again; without it, it stays open.
func TestPendingAfterReplyWaitsForTheCustomer(t *testing.T) {
	l := newLifecycleApp(t, "pending")
	ws := object(t, l.c.expect(http.StatusOK, http.MethodGet, "/v1/workspace", l.agentTok, nil))
	require.Equal(t, false, ws["pending_after_reply"])
	require.Equal(t, 72.0, ws["reopen_window_hours"])
	require.Equal(t, 0.0, ws["auto_close_pending_hours"])

	l.reply(l.agentTok, l.convID)
	require.Equal(t, "open", l.conversation(l.convID)["status"], "off by default: a reply leaves it open")

	for field, bad := range map[string]any{"reopen_window_hours": -1, "auto_close_pending_hours": 9000.0} {
		p := problemOf(t, l.c.expect(http.StatusBadRequest, http.MethodPatch, "/v1/workspace", l.tn.OwnerToken,
			map[string]any{field: bad, "pending_after_reply": true}))
		require.Equal(t, field, p.Errors[0].Field)
	}
	require.Equal(t, false, object(t, l.c.expect(http.StatusOK, http.MethodGet, "/v1/workspace", l.tn.OwnerToken, nil))["pending_after_reply"],
		"a refused change writes nothing")
	l.c.expect(http.StatusForbidden, http.MethodPatch, "/v1/workspace", l.agentTok, map[string]any{"pending_after_reply": true})

	ws = l.settings(map[string]any{"pending_after_reply": true, "reopen_window_hours": 0.5})
	require.Equal(t, true, ws["pending_after_reply"])
	require.Equal(t, 0.5, ws["reopen_window_hours"])
	l.reply(l.agentTok, l.convID)
	require.Equal(t, "pending_customer", l.conversation(l.convID)["status"])
	l.customerWrites("16505551234", "wamid.second")
	require.Equal(t, "open", l.conversation(l.convID)["status"], "the customer's answer opens it again")

	var changes []string
	for _, e := range timeline(t, l.c, l.tn.OwnerToken, l.convID) {
		if e.Type == domain.EventConversationStatusChanged {
			changes = append(changes, e.Data["from"].(string)+">"+e.Data["to"].(string)+" by "+e.ActorKind)
		}
	}
	require.Equal(t, []string{"new>open by user", "open>pending_customer by user", "pending_customer>open by system"}, changes)

	d := l.gqlOK(l.tn.OwnerToken, `mutation { updateWorkspace(input: {pendingAfterReply: false, autoClosePendingHours: 24}) {
		workspace { pendingAfterReply reopenWindowHours autoClosePendingHours } userErrors { code } } }`, nil)
	require.Equal(t, false, d.get(t, "updateWorkspace.workspace.pendingAfterReply"))
	require.Equal(t, 0.5, d.get(t, "updateWorkspace.workspace.reopenWindowHours"))
	require.Equal(t, 24.0, d.get(t, "updateWorkspace.workspace.autoClosePendingHours"))
}

// A customer writing within the reopen window reopens their closed
// conversation; after it, they start a new one linked to the closed one,
// which stays closed.
func TestCustomerWritingAfterCloseReopensOrStartsALinkedConversation(t *testing.T) {
	l := newLifecycleApp(t, "reopen")
	base := "/v1/conversations/" + l.convID
	l.c.expect(http.StatusOK, http.MethodPost, base+"/status", l.tn.OwnerToken, map[string]any{"status": "closed", "close_reason": "resolved"})

	require.Equal(t, l.convID, l.customerWrites("16505551234", "wamid.within"), "within 72 hours: the same conversation")
	conv := l.conversation(l.convID)
	require.Equal(t, "open", conv["status"])
	require.Nil(t, conv["close_reason"])
	require.Nil(t, conv["closed_at"])
	last := timeline(t, l.c, l.tn.OwnerToken, l.convID)
	reopened := last[len(last)-2] // then the message itself
	require.Equal(t, domain.EventConversationStatusChanged, reopened.Type)
	require.Equal(t, map[string]any{"from": "closed", "to": "open", "cause": "customer_wrote", "close_reason": "resolved"},
		pick(reopened.Data, "from", "to", "cause", "close_reason"))

	// A window of about a second, then the customer writes after it.
	l.settings(map[string]any{"reopen_window_hours": 0.0003})
	l.c.expect(http.StatusOK, http.MethodPost, base+"/status", l.tn.OwnerToken, map[string]any{"status": "closed", "close_reason": "follow_up"})
	time.Sleep(1500 * time.Millisecond)
	next := l.customerWrites("16505551234", "wamid.after")
	require.NotEqual(t, l.convID, next, "after the window: a new conversation")
	conv = l.conversation(next)
	require.Equal(t, l.convID, conv["previous_conversation_id"])
	require.Equal(t, "new", conv["status"])
	require.Equal(t, "closed", l.conversation(l.convID)["status"])
	require.Equal(t, "follow_up", l.conversation(l.convID)["close_reason"])
	require.Nil(t, l.conversation(l.convID)["previous_conversation_id"])
	d := l.gqlOK(l.tn.OwnerToken, `query($id: ID!) { conversation(id: $id) { previousConversationId } }`,
		map[string]any{"id": next})
	require.Equal(t, l.convID, d.str(t, "conversation.previousConversationId"))

	// A window of 0 never reopens.
	l.settings(map[string]any{"reopen_window_hours": 0})
	l.c.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+next+"/status", l.tn.OwnerToken,
		map[string]any{"status": "closed", "close_reason": "spam"})
	third := l.customerWrites("16505551234", "wamid.never")
	require.NotEqual(t, next, third)
	require.Equal(t, next, l.conversation(third)["previous_conversation_id"])
}

// completedTimers counts the timers the workers have run.
func (a *testApp) completedTimers() int {
	a.t.Helper()
	var n int
	require.NoError(a.t, a.sql().QueryRow(
		"SELECT count(*) FROM river_job WHERE kind = 'domain_timer' AND state = 'completed'").Scan(&n))
	return n
}

// A conversation left waiting for the customer closes as no_response when
// the auto-close period passes, by a durable timer acting as the system;
// one whose customer answered meanwhile is left alone when its timer fires.
func TestPendingConversationsAutoCloseAsNoResponse(t *testing.T) {
	l := newLifecycleApp(t, "autoclose")
	l.settings(map[string]any{"pending_after_reply": true, "auto_close_pending_hours": 0.0005}) // 1.8 s
	answered := l.customerWrites("16505559999", "wamid.other")
	l.reply(l.agentTok, answered)
	l.reply(l.agentTok, l.convID)
	require.Equal(t, "pending_customer", l.conversation(answered)["status"])
	require.Equal(t, "pending_customer", l.conversation(l.convID)["status"])
	l.customerWrites("16505559999", "wamid.other.answer")
	require.Equal(t, "open", l.conversation(answered)["status"])
	l.startJobs()

	require.Eventually(t, func() bool { return l.completedTimers() >= 2 }, 15*time.Second, 50*time.Millisecond,
		"both timers fire")
	silent := l.conversation(l.convID)
	require.Equal(t, "closed", silent["status"])
	require.Equal(t, "no_response", silent["close_reason"])
	require.Equal(t, "open", l.conversation(answered)["status"], "the customer answered: nothing to close")

	events := timeline(t, l.c, l.tn.OwnerToken, l.convID)
	closing := events[len(events)-1]
	require.Equal(t, domain.EventConversationStatusChanged, closing.Type)
	require.Equal(t, "system", closing.ActorKind)
	require.Equal(t, string(domain.TimerAutoClosePending), closing.ActorID)
	require.Equal(t, map[string]any{"from": "pending_customer", "to": "closed", "close_reason": "no_response"},
		pick(closing.Data, "from", "to", "close_reason"))
	opened, err := time.Parse(time.RFC3339Nano, silent["closed_at"].(string))
	require.NoError(t, err)
	pendedAt := events[len(events)-2].At
	// The pending instant is a hair before its event's.
	require.GreaterOrEqual(t, opened.Sub(pendedAt), 1790*time.Millisecond, "not before the period")
}
