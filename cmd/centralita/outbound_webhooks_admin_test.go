package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/webhooks"
)

// During a rotation's overlap every delivery carries both signatures, so
// a receiver holding either secret verifies; after a rotation without
// overlap only the newest signs.
func TestWebhookRotationSignsWithBothSecretsDuringTheOverlap(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Rotating CRM")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	id, first := a.hook(tn, rc.srv.URL, domain.EventMessageCreated)
	rotated := object(t, c.expect(http.StatusOK, http.MethodPost, "/v1/webhook-endpoints/"+id+"/rotate-secret",
		tn.OwnerToken, map[string]any{"overlap_seconds": 3600}))
	second := rotated["secret"].(string)
	require.NotEqual(t, first, second)
	require.NotNil(t, rotated["previous_secret_expires_at"])
	a.startJobs()

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.rot1", "16505551234")).Status)
	got := rc.waitFor("the first message", func(got []receivedWebhook) bool { return len(got) == 1 })
	require.Len(t, strings.Fields(got[0].Signature), 2, "both signatures, space-separated")
	verified(t, first, got[0])
	verified(t, second, got[0])

	third := object(t, c.expect(http.StatusOK, http.MethodPost, "/v1/webhook-endpoints/"+id+"/rotate-secret",
		tn.OwnerToken, map[string]any{"overlap_seconds": 0}))["secret"].(string)
	require.Nil(t, c.endpoint(tn.OwnerToken, id)["previous_secret_expires_at"])
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.rot2", "16505551234")).Status)
	got = rc.waitFor("the second message", func(got []receivedWebhook) bool { return len(got) == 2 })
	require.Len(t, strings.Fields(got[1].Signature), 1)
	verified(t, third, got[1])
	ts := mustUnix(t, got[1].Timestamp)
	for _, old := range []string{first, second} {
		require.False(t, webhooks.Verify(old, got[1].ID, ts, got[1].Body, got[1].Signature), "a retired secret still signs")
	}

	// The overlap is bounded and typed.
	c.expect(http.StatusBadRequest, http.MethodPost, "/v1/webhook-endpoints/"+id+"/rotate-secret", tn.OwnerToken,
		map[string]any{"overlap_seconds": 8 * 24 * 3600})
	c.expect(http.StatusBadRequest, http.MethodPost, "/v1/webhook-endpoints/"+id+"/rotate-secret", tn.OwnerToken,
		map[string]any{"overlap_seconds": -1})
	// Secrets are stored sealed, never as given.
	var stored string
	require.NoError(t, a.sql().QueryRow("SELECT secret_sealed FROM webhook_endpoints WHERE id = $1", id).Scan(&stored))
	require.NotContains(t, stored, strings.TrimPrefix(third, "whsec_"))
}

// Replay sends an event again (same webhook-id), alone or by time range;
// test sends a webhook.test event to that endpoint alone.
func TestWebhookReplayAndTest(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Replay CRM")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	other := newReceiver(t)
	id, secret := a.hook(tn, rc.srv.URL, domain.EventMessageCreated)
	a.hook(tn, other.srv.URL, domain.AllEventTypes)
	a.startJobs()
	start := time.Now().UTC().Add(-time.Second)
	for _, w := range []string{"wamid.r1", "wamid.r2"} {
		require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, w, "16505551234")).Status)
	}
	got := rc.waitFor("two messages", func(got []receivedWebhook) bool { return len(got) == 2 })
	firstID := got[0].ID

	res := object(t, c.expect(http.StatusAccepted, http.MethodPost, "/v1/webhook-endpoints/"+id+"/replay", tn.OwnerToken,
		map[string]any{"event_id": firstID}))
	require.EqualValues(t, 1, res["enqueued"])
	got = rc.waitFor("the replay", func(got []receivedWebhook) bool { return len(got) == 3 })
	require.Equal(t, firstID, got[2].ID, "a replay keeps the event's webhook-id")
	verified(t, secret, got[2])

	res = object(t, c.expect(http.StatusAccepted, http.MethodPost, "/v1/webhook-endpoints/"+id+"/replay", tn.OwnerToken,
		map[string]any{"since": start.Format(time.RFC3339Nano), "until": time.Now().UTC().Add(time.Second).Format(time.RFC3339Nano)}))
	require.EqualValues(t, 2, res["enqueued"], "the range's message.created events, not the endpoint's own")
	rc.waitFor("the range replay", func(got []receivedWebhook) bool { return len(got) == 5 })

	testRes := object(t, c.expect(http.StatusAccepted, http.MethodPost, "/v1/webhook-endpoints/"+id+"/test", tn.OwnerToken, nil))
	got = rc.waitFor("the test event", func([]receivedWebhook) bool { return len(rc.of(domain.EventWebhookTest)) == 1 })
	test := rc.of(domain.EventWebhookTest)[0]
	require.Equal(t, testRes["event_id"], test.ID)
	require.Equal(t, id, test.event(t).Data.Payload["endpoint_id"])
	verified(t, secret, test)

	log := c.waitForDeliveries(tn.OwnerToken, id, "six successes", func(l []webhookDelivery) bool {
		return inState(l, "succeeded") == 6
	})
	replays := 0
	for _, d := range log {
		if d.Replay {
			replays++
		}
	}
	require.Equal(t, 4, replays, "three replays and the test")

	// The other endpoint, subscribed to everything, never gets the test.
	other.waitFor("the messages", func([]receivedWebhook) bool { return len(other.of(domain.EventMessageCreated)) == 2 })
	require.Empty(t, other.of(domain.EventWebhookTest))

	// Bad replays are refused and enqueue nothing.
	for _, body := range []map[string]any{
		{}, {"event_id": "evt_nope"}, {"event_id": firstID, "since": start.Format(time.RFC3339)},
		{"since": start.Format(time.RFC3339), "until": start.Format(time.RFC3339)},
	} {
		c.expect(http.StatusBadRequest, http.MethodPost, "/v1/webhook-endpoints/"+id+"/replay", tn.OwnerToken, body)
	}
	c.expect(http.StatusNotFound, http.MethodPost, "/v1/webhook-endpoints/"+id+"/replay", tn.OwnerToken,
		map[string]any{"event_id": domain.NewID(domain.PrefixEvent)})
}

// Registration refuses URLs that name non-public addresses or odd forms
// of them, and schemes other than http(s), with a 400 naming url; the
// secret is shown once; only admins manage endpoints.
func TestWebhookEndpointRegistrationRules(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	tn := a.bootstrap("Rules Co")
	for _, url := range []string{
		"http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x", "http://0.0.0.0/x", "http://10.0.0.8/x",
		"http://172.16.0.1/x", "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/x",
		"http://[fc00::1]/x", "http://[fe80::1]/x", "http://[::ffff:127.0.0.1]/x", "http://2130706433/x",
		"http://0177.0.0.1/x", "http://0x7f000001/x", "file:///etc/passwd", "gopher://crm.example.com:70/_x",
		"http://127.0.0.1:22/", "http://10.0.0.5:5432/", "http://192.168.0.9:6379/", "not a url", "",
	} {
		res := c.expect(http.StatusBadRequest, http.MethodPost, "/v1/webhook-endpoints", tn.OwnerToken,
			map[string]any{"url": url, "event_types": []string{"*"}})
		p := problemOf(t, res)
		require.NotEmpty(t, p.Errors, url)
		require.Equal(t, "url", p.Errors[0].Field, url)
	}
	for _, types := range [][]string{{}, {"message.creatd"}, {"*", "nope"}} {
		res := c.expect(http.StatusBadRequest, http.MethodPost, "/v1/webhook-endpoints", tn.OwnerToken,
			map[string]any{"url": "https://crm.example.com/x", "event_types": types})
		require.Equal(t, "event_types", problemOf(t, res).Errors[0].Field)
	}
	require.Zero(t, a.count("webhook_endpoints"), "refusals write nothing")

	created := object(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/webhook-endpoints", tn.APIKey,
		map[string]any{"url": "https://crm.example.com/x", "event_types": []string{"message.created", "message.created"}}))
	require.Equal(t, []any{"message.created"}, created["event_types"])
	id := created["id"].(string)
	list := string(c.expect(http.StatusOK, http.MethodGet, "/v1/webhook-endpoints", tn.OwnerToken, nil).Body)
	require.NotContains(t, list, created["secret"].(string), "the secret is shown once")
	require.NotContains(t, string(c.expect(http.StatusOK, http.MethodGet, "/v1/webhook-endpoints/"+id, tn.OwnerToken, nil).Body), "whsec_")
	c.expect(http.StatusBadRequest, http.MethodPatch, "/v1/webhook-endpoints/"+id, tn.OwnerToken, map[string]any{"url": "http://127.0.0.1/"})
	c.expect(http.StatusBadRequest, http.MethodPatch, "/v1/webhook-endpoints/"+id, tn.OwnerToken, map[string]any{"secret": "whsec_mine"})
	var types struct {
		Data []string `json:"data"`
	}
	c.expect(http.StatusOK, http.MethodGet, "/v1/webhook-event-types", tn.OwnerToken, nil).decode(t, &types)
	require.Contains(t, types.Data, domain.EventMessageCreated)
	require.NotContains(t, types.Data, domain.EventWebhookTest, "the test event is never subscribed to")

	_, agent := a.member(tn, "agent@rules.example.com", domain.RoleAgent)
	_, supervisor := a.member(tn, "sup@rules.example.com", domain.RoleSupervisor)
	for _, tok := range []string{agent, supervisor} {
		c.expect(http.StatusForbidden, http.MethodGet, "/v1/webhook-endpoints", tok, nil)
		c.expect(http.StatusForbidden, http.MethodPost, "/v1/webhook-endpoints", tok,
			map[string]any{"url": "https://crm.example.com/x", "event_types": []string{"*"}})
		c.expect(http.StatusForbidden, http.MethodPost, "/v1/webhook-endpoints/"+id+"/test", tok, nil)
		c.expect(http.StatusForbidden, http.MethodGet, "/v1/webhook-event-types", tok, nil)
	}
	c.expect(http.StatusNoContent, http.MethodDelete, "/v1/webhook-endpoints/"+id, tn.OwnerToken, nil)
	c.expect(http.StatusNotFound, http.MethodGet, "/v1/webhook-endpoints/"+id, tn.OwnerToken, nil)

	// Production requires https.
	prod := newTestApp(t, func(c *Config) { c.Env = "production" })
	ptn := prod.bootstrap("Prod Co")
	pc := prod.rest()
	res := pc.expect(http.StatusBadRequest, http.MethodPost, "/v1/webhook-endpoints", ptn.OwnerToken,
		map[string]any{"url": "http://crm.example.com/x", "event_types": []string{"*"}})
	require.Contains(t, problemOf(t, res).Errors[0].Message, "https")
	pc.expect(http.StatusCreated, http.MethodPost, "/v1/webhook-endpoints", ptn.OwnerToken,
		map[string]any{"url": "https://crm.example.com/x", "event_types": []string{"*"}})
}

func mustUnix(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	require.NoError(t, err, "webhook-timestamp %q", s)
	return n
}
