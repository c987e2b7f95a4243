package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// An endpoint never receives another workspace's events, and another
// workspace's endpoint ids are unknown (404, like ids that never existed).
func TestWebhookEndpointsNeverSeeAnotherWorkspace(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	alpha, beta := a.bootstrap("Alpha Hooks"), a.bootstrap("Beta Hooks")
	alphaCh, betaCh := a.channel(alpha, "106540352242922"), a.channel(beta, "106540352242933")
	alphaRC, betaRC := newReceiver(t), newReceiver(t)
	alphaID, _ := a.hook(alpha, alphaRC.srv.URL, domain.AllEventTypes)
	betaID, _ := a.hook(beta, betaRC.srv.URL, domain.AllEventTypes)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(alphaCh.PhoneNumberID, "wamid.alpha", "16505551234")).Status)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(betaCh.PhoneNumberID, "wamid.beta", "16505559999")).Status)
	alphaRC.waitFor("alpha's message", func([]receivedWebhook) bool { return len(alphaRC.of(domain.EventMessageCreated)) == 1 })
	betaRC.waitFor("beta's message", func([]receivedWebhook) bool { return len(betaRC.of(domain.EventMessageCreated)) == 1 })
	for _, r := range alphaRC.requests() {
		require.Equal(t, alpha.WorkspaceID, r.event(t).Data.WorkspaceID, "alpha's endpoint got %s", r.Body)
	}
	for _, r := range betaRC.requests() {
		require.Equal(t, beta.WorkspaceID, r.event(t).Data.WorkspaceID, "beta's endpoint got %s", r.Body)
	}
	alphaEvent := alphaRC.of(domain.EventMessageCreated)[0].ID

	for _, probe := range []struct{ method, path string }{
		{http.MethodGet, "/v1/webhook-endpoints/" + alphaID}, {http.MethodGet, "/v1/webhook-endpoints/" + alphaID + "/deliveries"},
		{http.MethodPost, "/v1/webhook-endpoints/" + alphaID + "/test"}, {http.MethodDelete, "/v1/webhook-endpoints/" + alphaID},
	} {
		c.expect(http.StatusNotFound, probe.method, probe.path, beta.OwnerToken, nil)
	}
	// Beta replaying alpha's event on its own endpoint finds no such event.
	c.expect(http.StatusNotFound, http.MethodPost, "/v1/webhook-endpoints/"+betaID+"/replay", beta.OwnerToken,
		map[string]any{"event_id": alphaEvent})
	list := string(c.expect(http.StatusOK, http.MethodGet, "/v1/webhook-endpoints", beta.OwnerToken, nil).Body)
	require.NotContains(t, list, alphaID)
	require.Equal(t, true, c.endpoint(alpha.OwnerToken, alphaID)["enabled"])
}

// The dial guard checks the address a connection actually goes to: a URL
// that passed registration but now leads to a non-allowed address (as a
// name re-resolving to a private one would) is refused at dial time, the
// canary listening there gets no connection, and the log says why without
// echoing anything the address would have answered.
func TestWebhookDialGuardRefusesAddressesAtConnectionTime(t *testing.T) {
	canaryAddr, connections := canaryListener(t)
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Rebinding Co")
	ch := a.channel(tn, "106540352242922")
	id, _ := a.hook(tn, "https://crm.example.com/hooks", domain.EventMessageCreated)
	// What a rebinding name does between the check and the connection.
	_, err := a.sql().Exec("UPDATE webhook_endpoints SET url = $1 WHERE id = $2", "http://"+canaryAddr+"/hooks", id)
	require.NoError(t, err)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.rebind", "16505551234")).Status)
	log := c.waitForDeliveries(tn.OwnerToken, id, "a refused attempt", func(l []webhookDelivery) bool { return len(l) > 0 })
	d := log[len(log)-1]
	require.Nil(t, d.StatusCode)
	require.NotNil(t, d.Error)
	require.Contains(t, *d.Error, "127.0.0.2 is a loopback address")
	require.Equal(t, "retrying", d.State)
	require.Zero(t, connections.Load(), "a connection reached the canary")
}

// An endpoint whose every delivery fails for the failure budget (three
// days at a 1 s unit, here scaled down; the streak's start is moved into
// the past as the clock would) is disabled, and the event says so.
func TestWebhookFailingForDaysDisablesTheEndpoint(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Dead CRM")
	ch := a.channel(tn, "106540352242922")
	dead := newReceiver(t)
	dead.setAnswer(func(int, receivedWebhook) (int, http.Header) { return http.StatusServiceUnavailable, nil })
	id, _ := a.hook(tn, dead.srv.URL, domain.EventMessageCreated)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.dead", "16505551234")).Status)
	c.waitForDeliveries(tn.OwnerToken, id, "a first failure", func(l []webhookDelivery) bool { return len(l) > 0 })
	require.NotNil(t, c.endpoint(tn.OwnerToken, id)["failing_since"])
	budget := time.Duration(float64(72*time.Hour) * float64(a.Config.JobRetryUnit) / float64(time.Second))
	_, err := a.sql().Exec("UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2",
		time.Now().UTC().Add(-budget-time.Minute), id)
	require.NoError(t, err)

	log := c.waitForDeliveries(tn.OwnerToken, id, "the endpoint given up", func(l []webhookDelivery) bool {
		return inState(l, "failed") == 1
	})
	require.Equal(t, "failed", log[0].State)
	view := c.endpoint(tn.OwnerToken, id)
	require.Equal(t, false, view["enabled"])
	require.True(t, strings.HasPrefix(view["disabled_reason"].(string), "every delivery failed"), view["disabled_reason"])
	var events int
	require.NoError(t, a.sql().QueryRow("SELECT count(*) FROM events WHERE type = $1 AND subject_id = $2",
		domain.EventWebhookEndpointDisabled, id).Scan(&events))
	require.Equal(t, 1, events)
}

// GraphQL mirrors REST: register (secret once), list with deliveries,
// update, rotate, test, replay, delete; refusals are userErrors.
func TestWebhookEndpointsOverGraphQL(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	tn := a.bootstrap("GraphQL Hooks")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	created := a.mutate(tn.OwnerToken, "createWebhookEndpoint", "CreateWebhookEndpointInput",
		map[string]any{"url": rc.srv.URL, "eventTypes": []string{domain.EventMessageCreated}, "description": "CRM"},
		"webhookEndpoint { id url enabled eventTypes } secret")
	id := created.str(t, "createWebhookEndpoint.webhookEndpoint.id")
	secret := created.str(t, "createWebhookEndpoint.secret")
	require.True(t, strings.HasPrefix(secret, "whsec_"))

	code, path := a.mutateErr(tn.OwnerToken, "createWebhookEndpoint", "CreateWebhookEndpointInput",
		map[string]any{"url": "http://169.254.169.254/", "eventTypes": []string{"*"}})
	require.Equal(t, "BAD_USER_INPUT", code)
	require.Equal(t, []any{"input", "url"}, path)

	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.gql", "16505551234")).Status)
	got := rc.waitFor("the message", func(got []receivedWebhook) bool { return len(got) == 1 })
	verified(t, secret, got[0])

	rotated := a.mutate(tn.OwnerToken, "rotateWebhookSecret", "RotateWebhookSecretInput",
		map[string]any{"webhookEndpointId": id, "overlapSeconds": 60}, "webhookEndpoint { previousSecretExpiresAt } secret")
	newSecret := rotated.str(t, "rotateWebhookSecret.secret")
	require.NotEqual(t, secret, newSecret)
	require.NotEmpty(t, rotated.str(t, "rotateWebhookSecret.webhookEndpoint.previousSecretExpiresAt"))
	tested := a.mutate(tn.OwnerToken, "testWebhookEndpoint", "TestWebhookEndpointInput",
		map[string]any{"webhookEndpointId": id}, "eventId")
	got = rc.waitFor("the test", func(got []receivedWebhook) bool { return len(got) == 2 })
	require.Equal(t, tested.str(t, "testWebhookEndpoint.eventId"), got[1].ID)
	verified(t, secret, got[1])
	verified(t, newSecret, got[1])
	replayed := a.mutate(tn.OwnerToken, "replayWebhook", "ReplayWebhookInput",
		map[string]any{"webhookEndpointId": id, "eventId": got[0].ID}, "enqueued")
	require.EqualValues(t, 1, replayed.get(t, "replayWebhook.enqueued"))
	rc.waitFor("the replay", func(got []receivedWebhook) bool { return len(got) == 3 })

	deadline := time.Now().Add(30 * time.Second)
	var deliveries []any
	for time.Now().Before(deadline) {
		data := a.gqlOK(tn.OwnerToken, `query($id: ID!) { webhookEndpoint(id: $id) { id deliveries(first: 10) {
			nodes { eventId eventType attempt state statusCode replay latencyMs responseExcerpt error nextRetryAt } } } }`,
			map[string]any{"id": id})
		deliveries = data.list(t, "webhookEndpoint.deliveries.nodes")
		if len(deliveries) == 3 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	require.Len(t, deliveries, 3)
	for _, n := range deliveries {
		d := n.(map[string]any)
		require.Equal(t, "SUCCEEDED", d["state"])
		require.EqualValues(t, 200, d["statusCode"])
		require.Nil(t, d["error"])
	}
	list := a.gqlOK(tn.OwnerToken, `{ webhookEndpoints { id enabled } webhookEventTypes }`, nil)
	require.Len(t, list.list(t, "webhookEndpoints"), 1)
	require.Contains(t, list.list(t, "webhookEventTypes"), domain.EventMessageCreated)

	updated := a.mutate(tn.OwnerToken, "updateWebhookEndpoint", "UpdateWebhookEndpointInput",
		map[string]any{"webhookEndpointId": id, "enabled": false}, "webhookEndpoint { enabled disabledReason }")
	require.Equal(t, false, updated.get(t, "updateWebhookEndpoint.webhookEndpoint.enabled"))
	deleted := a.mutate(tn.OwnerToken, "deleteWebhookEndpoint", "DeleteWebhookEndpointInput",
		map[string]any{"webhookEndpointId": id}, "deletedWebhookEndpointId")
	require.Equal(t, id, deleted.str(t, "deleteWebhookEndpoint.deletedWebhookEndpointId"))

	_, agent := a.member(tn, "agent@gqlhooks.example.com", domain.RoleAgent)
	res := a.graphql(agent, `{ webhookEndpoints { id } }`, nil)
	require.NotEmpty(t, res.Errors)
	require.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])
}
