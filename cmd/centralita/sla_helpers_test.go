package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

// slaEvent is one recorded event of a conversation, as stored.
type slaEvent struct {
	Type, ActorKind, ActorID string
	Payload                  map[string]any
}

// eventsOf reads a conversation's events in order, straight from the table.
func (a *testApp) eventsOf(conversationID string) []slaEvent {
	a.t.Helper()
	rows, err := a.sql().Query("SELECT type, actor_kind, actor_id, CAST(payload AS text) FROM events"+
		" WHERE subject_id = $1 ORDER BY id", conversationID)
	require.NoError(a.t, err)
	defer rows.Close()
	var out []slaEvent
	for rows.Next() {
		var e slaEvent
		var payload string
		require.NoError(a.t, rows.Scan(&e.Type, &e.ActorKind, &e.ActorID, &payload))
		require.NoError(a.t, json.Unmarshal([]byte(payload), &e.Payload))
		out = append(out, e)
	}
	require.NoError(a.t, rows.Err())
	return out
}

// eventsTyped keeps the events of one type.
func eventsTyped(events []slaEvent, typ string) []slaEvent {
	var out []slaEvent
	for _, e := range events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// waitForEvent waits until the conversation has an event of typ.
func (a *testApp) waitForEvent(conversationID, typ string) slaEvent {
	a.t.Helper()
	var found []slaEvent
	require.Eventually(a.t, func() bool {
		found = eventsTyped(a.eventsOf(conversationID), typ)
		return len(found) > 0
	}, 15*time.Second, 25*time.Millisecond, "no %s on %s", typ, conversationID)
	return found[0]
}

// slaDesk is a workspace answering on the fake number, as its owner.
type slaDesk struct {
	a         *testApp
	c         *restClient
	tn        tenant
	channelID string
}

var slaCustomerSeq atomic.Int64

// newSLADesk registers the fake number in a fresh workspace of a.
func newSLADesk(t *testing.T, a *testApp, name string) slaDesk {
	tn := a.bootstrap(name)
	c := a.rest()
	ch := idOf(t, c.expect(201, "POST", "/v1/channels", tn.OwnerToken, map[string]any{
		"phone_number_id": fakeNumberID, "waba_id": "102290129340398", "display_phone_number": "15550783881",
		"access_token": fakeToken}))
	return slaDesk{a: a, c: c, tn: tn, channelID: ch}
}

// queueWithPolicy creates a policy (its body) and a queue measured by it.
func (d slaDesk) queueWithPolicy(name string, policy map[string]any) (queueID, policyID string) {
	d.a.t.Helper()
	policy["name"] = name
	policyID = idOf(d.a.t, d.c.expect(201, "POST", "/v1/sla-policies", d.tn.OwnerToken, policy))
	queueID = idOf(d.a.t, d.c.expect(201, "POST", "/v1/queues", d.tn.OwnerToken,
		map[string]any{"name": name, "sla_policy_id": policyID}))
	return queueID, policyID
}

// customerWritesTo has a new customer write to the fake number, landing in
// the number's default queue, and returns the conversation.
func (d slaDesk) customerWritesTo(queueID string) string {
	d.a.t.Helper()
	d.c.expect(200, "PATCH", "/v1/channels/"+d.channelID, d.tn.OwnerToken, map[string]any{"default_queue_id": queueID})
	n := slaCustomerSeq.Add(1)
	from := fmt.Sprintf("5491100%06d", n)
	require.Equal(d.a.t, http.StatusOK, d.a.deliver(textDelivery(fakeNumberID, fmt.Sprintf("wamid.sla.%d", n), from)).Status)
	convs := listData(d.a.t, d.c.expect(200, "GET", "/v1/conversations?queue_id="+queueID, d.tn.OwnerToken, nil))
	for _, conv := range convs {
		contact := object(d.a.t, d.c.expect(200, "GET", "/v1/contacts/"+conv["contact_id"].(string), d.tn.OwnerToken, nil))
		if contact["wa_id"] == from {
			return conv["id"].(string)
		}
	}
	d.a.t.Fatalf("no conversation of %s in %s", from, queueID)
	return ""
}

// conversation reads a conversation as the owner.
func (d slaDesk) conversation(id string) map[string]any {
	d.a.t.Helper()
	return object(d.a.t, d.c.expect(200, "GET", "/v1/conversations/"+id, d.tn.OwnerToken, nil))
}

// slaApp is an app that sends to a fake Graph API.
func slaApp(t *testing.T) *testApp {
	return newTestApp(t, withGraph(t, newFakeGraph(whatsapp.FakeGraphOptions{})))
}

// customerWritesAgain has the customer of a conversation write once more.
func (d slaDesk) customerWritesAgain(conversationID string) {
	d.a.t.Helper()
	contact := object(d.a.t, d.c.expect(200, "GET", "/v1/contacts/"+d.conversation(conversationID)["contact_id"].(string),
		d.tn.OwnerToken, nil))
	wamid := fmt.Sprintf("wamid.sla.%d", slaCustomerSeq.Add(1))
	require.Equal(d.a.t, http.StatusOK, d.a.deliver(textDelivery(fakeNumberID, wamid, contact["wa_id"].(string))).Status)
}
