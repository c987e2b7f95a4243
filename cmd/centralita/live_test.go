package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// liveDesk is a workspace with two queues, a number, an agent and a
// supervisor of the first queue, and a conversation in each queue.
type liveDesk struct {
	tenant
	Phone                string
	SalesID, SupportID   string
	AgentToken           string
	SupervisorToken      string
	SalesConv, OtherConv string
}

func newLiveDesk(t *testing.T, a *testApp, name string) liveDesk {
	t.Helper()
	d := liveDesk{tenant: a.bootstrap(name)}
	ctx := a.system(d.tenant)
	sales, err := a.Service.CreateQueue(ctx, domain.QueueInput{Name: new(name + " Sales")})
	require.NoError(t, err)
	support, err := a.Service.CreateQueue(ctx, domain.QueueInput{Name: new(name + " Support")})
	require.NoError(t, err)
	d.SalesID, d.SupportID = sales.ID, support.ID
	d.Phone = fmt.Sprint(5200000000 + phoneSeq.Add(1))
	ch, err := a.Service.CreateChannel(ctx, domain.ChannelInput{Name: new(name + " line"), PhoneNumberID: new(d.Phone),
		WABAID: new(testWABAID), DisplayPhoneNumber: new("+52 " + d.Phone)})
	require.NoError(t, err)
	slug := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	_, d.AgentToken = a.member(d.tenant, slug+"-agent@example.com", domain.RoleAgent, sales.ID)
	_, d.SupervisorToken = a.member(d.tenant, slug+"-sup@example.com", domain.RoleSupervisor, sales.ID)
	for _, q := range []struct {
		queue string
		conv  *string
	}{{sales.ID, &d.SalesConv}, {support.ID, &d.OtherConv}} {
		ct, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: new(fmt.Sprint(5491100000000 + phoneSeq.Add(1)))})
		require.NoError(t, err)
		c, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: ct.ID, ChannelID: ch.ID, QueueID: q.queue})
		require.NoError(t, err)
		*q.conv = c.ID
	}
	return d
}

// customerSays records an inbound text in a conversation (committed and
// published like a webhook's) and returns its id.
func (a *testApp) customerSays(tn tenant, conversationID, text string) string {
	a.t.Helper()
	m, err := a.Service.RecordInboundText(a.system(tn), conversationID, text, time.Now().UTC())
	require.NoError(a.t, err)
	return m.ID
}

// waitSubscribers waits until this process holds n live subscriptions:
// a subscribe message is answered only by events, so tests wait for the
// server to have registered it before causing any.
func (a *testApp) waitSubscribers(n int) {
	a.t.Helper()
	require.Eventually(a.t, func() bool { return a.Service.LiveSubscriberCount() == n }, liveWait, 10*time.Millisecond,
		"live subscribers: %d, want %d", a.Service.LiveSubscriberCount(), n)
}

const messageAddedQuery = `subscription($c: ID) { messageAdded(conversationId: $c) { id conversationId direction text } }`

// A customer's message delivered through the WhatsApp webhook reaches a
// subscriber of the whole inbox and one of that conversation, over the
// real HTTP stack, with an access token and with an API key.
func TestLiveMessageAddedAfterInboundWebhook(t *testing.T) {
	a := newTestApp(t)
	d := newLiveDesk(t, a, "Live Webhook")
	inbox := a.dialLive(dialOptions{})
	inbox.mustInit(d.OwnerToken)
	inbox.subscribe("inbox", messageAddedQuery, nil)
	byKey := a.dialLive(dialOptions{})
	m, err := byKey.init(map[string]any{"token": d.APIKey}) // the bare key, as some clients send it
	require.NoError(t, err)
	require.Equal(t, "connection_ack", m.Type)
	byKey.subscribe("events", `subscription { events(types: ["message.created"]) { type subjectId conversationId actorKind data } }`, nil)
	a.waitSubscribers(2)

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(d.Phone, "wamid.live-1", "5491199990001")).Status)
	got := inbox.nextData("inbox")["messageAdded"].(map[string]any)
	require.Equal(t, "INBOUND", got["direction"])
	require.Equal(t, "hola", got["text"])
	convID := got["conversationId"].(string)
	ev := byKey.nextData("events")["events"].(map[string]any)
	require.Equal(t, "message.created", ev["type"])
	require.Equal(t, convID, ev["conversationId"])
	require.Equal(t, got["id"], ev["data"].(map[string]any)["message_id"])

	// One conversation only: another conversation's message is not shown,
	// the next one of this conversation is.
	one := a.dialLive(dialOptions{})
	one.mustInit(d.OwnerToken)
	one.subscribe("one", messageAddedQuery, map[string]any{"c": convID})
	a.waitSubscribers(3)
	a.customerSays(d.tenant, d.SalesConv, "elsewhere")
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(d.Phone, "wamid.live-2", "5491199990001")).Status)
	require.Equal(t, convID, one.nextData("one")["messageAdded"].(map[string]any)["conversationId"])
}

// connection_init must carry a valid credential: a missing or bad one is
// refused with graphql-transport-ws's 4403 and nothing is subscribed.
func TestLiveRefusesBadCredentials(t *testing.T) {
	a := newTestApp(t)
	d := newLiveDesk(t, a, "Live Auth")
	for name, payload := range map[string]map[string]any{
		"none":            {},
		"garbage bearer":  {"Authorization": "Bearer not-a-token"},
		"unknown api key": {"authorization": "Bearer ck_" + strings.Repeat("x", 43)},
		"basic scheme":    {"Authorization": "Basic " + d.APIKey},
	} {
		t.Run(name, func(t *testing.T) {
			c := a.dialLive(dialOptions{})
			_, err := c.init(payload)
			require.Error(t, err)
			require.EqualValues(t, 4403, closeCode(err), "close: %v", err)
		})
	}
	require.Equal(t, 0, a.Service.LiveSubscriberCount())

	// Subscriptions are not served over POST: they would hold the request.
	res := a.graphql(d.OwnerToken, messageAddedQuery, nil)
	require.Contains(t, res.errorCodes(), "BAD_USER_INPUT")
}

// Browsers may open a socket from the API's own origin or an allowed one;
// clients that send no Origin (servers, scripts) are not browsers.
func TestLiveOriginChecks(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.GraphQLOrigins = []string{"app.example.com"} })
	d := newLiveDesk(t, a, "Live Origin")
	for origin, allowed := range map[string]bool{"": true, a.URL: true, "https://app.example.com": true,
		"https://evil.example.com": false, "null": false} {
		c, err := a.dialLiveErr(dialOptions{origin: origin})
		if !allowed {
			require.Error(t, err, "origin %q", origin)
			continue
		}
		require.NoError(t, err, "origin %q", origin)
		c.mustInit(d.OwnerToken)
	}
}

// An agent's subscriptions show only conversations the agent may read;
// a supervisor of the same queue sees the same; an admin sees the other
// queue too; another workspace's events never reach anyone here.
func TestLiveFiltersByScopeAndWorkspace(t *testing.T) {
	a := newTestApp(t)
	d := newLiveDesk(t, a, "Live Scope")
	other := newLiveDesk(t, a, "Live Elsewhere")
	sub := func(token string) *liveClient {
		c := a.dialLive(dialOptions{})
		c.mustInit(token)
		c.subscribe("m", messageAddedQuery, nil)
		c.subscribe("e", `subscription { events { type conversationId } }`, nil)
		return c
	}
	agent, supervisor, owner := sub(d.AgentToken), sub(d.SupervisorToken), sub(d.OwnerToken)
	a.waitSubscribers(6)
	// The agent's scope may not even be named.
	for _, conv := range []string{d.OtherConv, other.SalesConv} {
		agent.subscribe("x", messageAddedQuery, map[string]any{"c": conv})
		require.Contains(t, errorCodes(t, agent.next()), "NOT_FOUND")
		require.Equal(t, "complete", agent.next().Type)
	}

	hidden := a.customerSays(d.tenant, d.OtherConv, "support only")
	a.customerSays(other.tenant, other.SalesConv, "another workspace")
	_, err := a.Service.AddNote(a.system(other.tenant), other.SalesConv, "another workspace's note")
	require.NoError(t, err)
	visible := a.customerSays(d.tenant, d.SalesConv, "sales")

	// Events arrive in commit order: what a caller sees before the visible
	// message is everything it was shown of the hidden ones.
	for _, c := range []*liveClient{agent, supervisor} {
		seen := map[string][]string{}
		for len(seen["m"]) == 0 || len(seen["e"]) == 0 {
			m := c.next()
			require.Equal(t, "next", m.Type, "payload %s", m.Payload)
			seen[m.ID] = append(seen[m.ID], string(m.Payload))
		}
		require.Len(t, seen["m"], 1)
		require.Contains(t, seen["m"][0], visible)
		require.NotContains(t, seen["m"][0], hidden)
		for _, e := range seen["e"] {
			require.Contains(t, e, d.SalesConv)
		}
	}
	ids := map[string]bool{}
	for len(ids) < 2 {
		m := owner.next()
		require.Equal(t, "next", m.Type, "payload %s", m.Payload)
		for _, id := range []string{hidden, visible} {
			if m.ID == "m" && strings.Contains(string(m.Payload), id) {
				ids[id] = true
			}
		}
	}
	require.True(t, ids[hidden] && ids[visible], "the owner sees both queues: %v", ids)
}

// A subscriber that stops reading is dropped once its buffer is full and
// told so when it reads again; the publisher and a subscriber that keeps
// reading are not held back by it.
func TestLiveDropsSlowSubscriber(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.LiveBuffer = 8 })
	d := newLiveDesk(t, a, "Live Slow")
	slow := a.dialLive(dialOptions{readBuffer: 4096, noReader: true})
	fast := a.dialLive(dialOptions{})
	fast.mustInit(d.OwnerToken)
	fast.subscribe("f", messageAddedQuery, nil)
	b := []byte(`{"type":"connection_init","payload":{"Authorization":"Bearer ` + d.OwnerToken + `"}}`)
	require.NoError(t, slow.conn.Write(slow.ctx, 1, b))
	slow.subscribe("s", messageAddedQuery, nil)
	a.waitSubscribers(2)

	sent := 0
	// Until the hub gives up on the slow socket; each message is read by
	// the fast subscriber before the next is sent.
	for a.Service.LiveSubscriberCount() == 2 {
		require.Less(t, sent, 2000, "the slow subscriber was never dropped")
		// Random text: the socket compresses, and a repeated one would
		// take thousands of messages to fill the buffers.
		id := a.customerSays(d.tenant, d.SalesConv, randomText(3000))
		sent++
		require.Equal(t, id, fast.nextData("f")["messageAdded"].(map[string]any)["id"])
	}
	slow.startReading()
	require.Equal(t, "connection_ack", slow.next().Type)
	var got int
	for {
		m := slow.next()
		if m.Type == "next" {
			got++
			continue
		}
		require.Equal(t, "error", m.Type, "payload %s", m.Payload)
		require.Equal(t, []string{"SUBSCRIPTION_DROPPED"}, errorCodes(t, m))
		break
	}
	t.Logf("sent %d, the slow subscriber received %d before it was dropped", sent, got)
	require.Less(t, got, sent)
	// The fast one is still subscribed and served.
	id := a.customerSays(d.tenant, d.SalesConv, "after the drop")
	require.Equal(t, id, fast.nextData("f")["messageAdded"].(map[string]any)["id"])
}

// conversationUpdated resolves the conversation as it stands: an
// assignment shows the new assignee and the status, a message the last
// message.
func TestLiveConversationUpdated(t *testing.T) {
	a := newTestApp(t)
	d := newLiveDesk(t, a, "Live Updated")
	c := a.dialLive(dialOptions{})
	c.mustInit(d.SupervisorToken)
	c.subscribe("u", `subscription($c: ID) { conversationUpdated(conversationId: $c) { id status assignee { id } queue { id } lastMessage { text } } }`,
		map[string]any{"c": d.SalesConv})
	a.waitSubscribers(1)
	a.customerSays(d.tenant, d.SalesConv, "first words")
	conv := c.nextData("u")["conversationUpdated"].(map[string]any)
	require.Equal(t, d.SalesConv, conv["id"])
	require.Equal(t, "first words", conv["lastMessage"].(map[string]any)["text"])
	_, err := a.Service.Claim(domain.WithPrincipal(context.Background(), mustPrincipal(t, a, d.SupervisorToken)), d.SalesConv)
	require.NoError(t, err)
	conv = c.nextData("u")["conversationUpdated"].(map[string]any)
	require.NotNil(t, conv["assignee"])
	a.customerSays(d.tenant, d.SalesConv, "second words")
	conv = c.nextData("u")["conversationUpdated"].(map[string]any)
	require.Equal(t, "second words", conv["lastMessage"].(map[string]any)["text"], "fresh loads for each event")
}

// mustPrincipal authenticates a token as HTTP does.
func mustPrincipal(t *testing.T, a *testApp, token string) domain.Principal {
	t.Helper()
	var me struct {
		ID          string `json:"id"`
		WorkspaceID string `json:"workspace_id"`
	}
	res := a.do(http.MethodGet, "/v1/me", token, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	res.decode(t, &me)
	u, err := a.Service.User(a.system(tenant{WorkspaceID: me.WorkspaceID}), me.ID)
	require.NoError(t, err)
	return domain.Principal{WorkspaceID: me.WorkspaceID, UserID: u.ID, Role: u.Role, QueueIDs: u.QueueIDs}
}

// A revoked API key's open subscriptions end with UNAUTHENTICATED.
func TestLiveEndsRevokedKeys(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.LiveRecheck = time.Second })
	d := newLiveDesk(t, a, "Live Revoked")
	k, err := a.Service.CreateAPIKey(a.system(d.tenant), domain.NewAPIKey{Name: "crm", Role: domain.RoleAdmin})
	require.NoError(t, err)
	c := a.dialLive(dialOptions{})
	c.mustInit(k.Secret)
	c.subscribe("e", `subscription { events { type } }`, nil)
	a.waitSubscribers(1)
	_, err = a.Service.RevokeAPIKey(a.system(d.tenant), k.Key.ID)
	require.NoError(t, err)
	m := c.next()
	for m.Type == "next" { // the revocation's own event may come first
		m = c.next()
	}
	require.Equal(t, "error", m.Type, "payload %s", m.Payload)
	require.Equal(t, []string{"UNAUTHENTICATED"}, errorCodes(t, m))
}

// A subscription opened with a user's access token ends with
// UNAUTHENTICATED when the token expires, as the revoked key's does.
func TestLiveEndsExpiredAccessTokens(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.LiveRecheck = 200 * time.Millisecond; c.AccessTokenTTL = 5 * time.Second })
	d := newLiveDesk(t, a, "Live Expiry")
	c := a.dialLive(dialOptions{})
	c.mustInit(d.SupervisorToken)
	c.subscribe("e", `subscription { events { type } }`, nil)
	a.waitSubscribers(1)
	m := c.next()
	for m.Type == "next" {
		m = c.next()
	}
	require.Equal(t, "error", m.Type, "payload %s", m.Payload)
	require.Equal(t, []string{"UNAUTHENTICATED"}, errorCodes(t, m))
}

// randomText is n letters that do not compress.
func randomText(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(rand.IntN(26))
	}
	return string(b)
}

// The README's `centralita subscribe` prints each event as a JSON line and
// refuses a bad token.
func TestSubscribeCommand(t *testing.T) {
	a := newTestApp(t)
	d := newLiveDesk(t, a, "Live CLI")
	var out, errOut strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"subscribe", "--url", a.URL, "--token", d.APIKey, "--count", "1"}, &out, &errOut)
	}()
	a.waitSubscribers(1)
	id := a.customerSays(d.tenant, d.SalesConv, "hola CLI")
	select {
	case err := <-done:
		require.NoError(t, err, errOut.String())
	case <-time.After(liveWait):
		t.Fatal("subscribe did not return after one event")
	}
	require.Contains(t, out.String(), `"id":"`+id+`"`)
	require.Contains(t, out.String(), `"text":"hola CLI"`)

	err := run(context.Background(), []string{"subscribe", "--url", a.URL, "--token", "ck_nope"}, &out, &errOut)
	require.ErrorContains(t, err, "refused the token")
}
