package main

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// A CRM registered for message.created gets every customer message, once
// per event id, signed with its secret in the Standard Webhooks format,
// and the delivery log shows each success.
func TestWebhookDeliversEachCustomerMessageOnceSigned(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Hooks Co")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	id, secret := a.hook(tn, rc.srv.URL+"/crm", domain.EventMessageCreated)
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, secret)
	a.startJobs()

	wamids := []string{"wamid.one", "wamid.two", "wamid.three"}
	for _, w := range wamids {
		require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, w, "16505551234")).Status)
	}
	// Meta retrying a delivery adds no message, so no event.
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.one", "16505551234")).Status)
	rc.waitFor("three messages", func(got []receivedWebhook) bool { return len(got) >= 3 })
	// A later message proves the dispatcher has run since: nothing about
	// the first three is sent again.
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.four", "16505551234")).Status)
	got := rc.waitFor("the fourth message", func(got []receivedWebhook) bool { return len(got) >= 4 })
	time.Sleep(3 * a.Config.WebhookPoll) // a few more dispatcher runs, which must send nothing
	got = rc.requests()
	require.Len(t, got, 4, "one delivery per event")

	seen := map[string]bool{}
	var messageIDs []string
	for _, r := range got {
		verified(t, secret, r)
		e := r.event(t)
		require.Equal(t, domain.EventMessageCreated, e.Type)
		require.Equal(t, r.ID, e.Data.ID, "webhook-id is the event id")
		require.False(t, seen[r.ID], "event %s delivered twice", r.ID)
		seen[r.ID] = true
		require.Equal(t, tn.WorkspaceID, e.Data.WorkspaceID)
		require.Equal(t, "inbound", e.Data.Payload["direction"])
		messageIDs = append(messageIDs, e.Data.Payload["message_id"].(string))
		_, err := time.Parse(time.RFC3339Nano, e.Timestamp)
		require.NoError(t, err)
		sent, err := strconv.ParseInt(r.Timestamp, 10, 64)
		require.NoError(t, err)
		require.WithinDuration(t, r.At, time.Unix(sent, 0), 5*time.Minute,
			"webhook-timestamp is the sending time, within receivers' tolerance")
	}
	for _, w := range append(wamids, "wamid.four") {
		m, err := a.DB.Store().FindMessageByProviderID(a.system(tn), ch.ID, w)
		require.NoError(t, err)
		require.Contains(t, messageIDs, m.ID)
	}
	log := c.waitForDeliveries(tn.OwnerToken, id, "four successes", func(l []webhookDelivery) bool {
		return inState(l, "succeeded") == 4
	})
	require.Len(t, log, 4)
	for _, d := range log {
		require.Equal(t, 1, d.Attempt)
		require.Equal(t, http.StatusOK, *d.StatusCode)
		require.Equal(t, "answer 200", d.ResponseExcerpt)
		require.Nil(t, d.NextRetryAt)
		require.True(t, seen[d.EventID])
	}
}

// A receiver that fails for a while gets the same event, with the same
// webhook-id, once it recovers; the log shows every attempt.
func TestWebhookRetriesUntilTheReceiverRecovers(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Flaky CRM")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	rc.setAnswer(func(n int, _ receivedWebhook) (int, http.Header) {
		if n <= 3 {
			return http.StatusInternalServerError, nil
		}
		return http.StatusNoContent, nil
	})
	id, secret := a.hook(tn, rc.srv.URL, domain.EventMessageCreated)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.flaky", "16505551234")).Status)

	log := c.waitForDeliveries(tn.OwnerToken, id, "the success after three failures", func(l []webhookDelivery) bool {
		return inState(l, "succeeded") == 1
	})
	got := rc.requests()
	require.Len(t, got, 4)
	for _, r := range got {
		require.Equal(t, got[0].ID, r.ID, "the same webhook-id on every attempt")
		require.Equal(t, string(got[0].Body), string(r.Body))
		verified(t, secret, r)
	}
	require.Len(t, log, 4)
	slices.Reverse(log) // oldest first
	for i, d := range log[:3] {
		require.Equal(t, i+1, d.Attempt)
		require.Equal(t, "retrying", d.State)
		require.Equal(t, http.StatusInternalServerError, *d.StatusCode)
		require.Equal(t, "answer 500", d.ResponseExcerpt)
		require.NotNil(t, d.NextRetryAt)
	}
	require.Equal(t, 4, log[3].Attempt)
	require.Equal(t, http.StatusNoContent, *log[3].StatusCode)
	require.Nil(t, c.endpoint(tn.OwnerToken, id)["failing_since"], "a success ends the failure streak")
}

// 410 Gone disables the endpoint at once and records
// webhook_endpoint.disabled (which another endpoint receives); enabling
// it again resumes from where it stopped.
func TestWebhookGoneDisablesTheEndpoint(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Gone CRM")
	ch := a.channel(tn, "106540352242922")
	gone := newReceiver(t)
	gone.setAnswer(func(int, receivedWebhook) (int, http.Header) { return http.StatusGone, nil })
	watcher := newReceiver(t)
	goneID, _ := a.hook(tn, gone.srv.URL, domain.EventMessageCreated)
	a.hook(tn, watcher.srv.URL, domain.EventWebhookEndpointDisabled, domain.EventMessageCreated)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.gone1", "16505551234")).Status)

	disabled := watcher.waitFor("webhook_endpoint.disabled", func([]receivedWebhook) bool {
		return len(watcher.of(domain.EventWebhookEndpointDisabled)) == 1
	})
	_ = disabled
	e := watcher.of(domain.EventWebhookEndpointDisabled)[0].event(t)
	require.Equal(t, goneID, e.Data.Payload["endpoint_id"])
	view := c.endpoint(tn.OwnerToken, goneID)
	require.Equal(t, false, view["enabled"])
	require.Contains(t, view["disabled_reason"], "410")
	log := c.deliveries(tn.OwnerToken, goneID)
	require.Len(t, log, 1)
	require.Equal(t, "failed", log[0].State)
	require.Equal(t, http.StatusGone, *log[0].StatusCode)

	// While disabled it gets nothing: the watcher's copy of the next
	// message shows the dispatcher has been past it.
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.gone2", "16505551234")).Status)
	watcher.waitFor("the second message", func([]receivedWebhook) bool {
		return len(watcher.of(domain.EventMessageCreated)) == 2
	})
	require.Len(t, gone.requests(), 1)

	gone.setAnswer(nil)
	c.expect(http.StatusOK, http.MethodPatch, "/v1/webhook-endpoints/"+goneID, tn.OwnerToken, map[string]any{"enabled": true})
	got := gone.waitFor("the message sent while disabled", func(got []receivedWebhook) bool { return len(got) == 2 })
	second := watcher.of(domain.EventMessageCreated)[1]
	require.Equal(t, second.ID, got[1].ID, "it resumes with the event it missed")
}

// A 3xx is a failure: the redirect is never followed (a canary on another
// loopback address gets no connection), the attempt is retried.
func TestWebhookRedirectIsAFailureNeverFollowed(t *testing.T) {
	canaryAddr, connections := canaryListener(t)
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Redirecting CRM")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	rc.setAnswer(func(n int, _ receivedWebhook) (int, http.Header) {
		if n == 1 {
			return http.StatusMovedPermanently, http.Header{"Location": {"http://" + canaryAddr + "/latest/meta-data"}}
		}
		return http.StatusOK, nil
	})
	id, _ := a.hook(tn, rc.srv.URL, domain.EventMessageCreated)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.redirect", "16505551234")).Status)
	log := c.waitForDeliveries(tn.OwnerToken, id, "the retried success", func(l []webhookDelivery) bool {
		return inState(l, "succeeded") == 1
	})
	require.Len(t, log, 2)
	require.Equal(t, "retrying", log[1].State)
	require.Equal(t, http.StatusMovedPermanently, *log[1].StatusCode)
	require.Len(t, rc.requests(), 2)
	require.Zero(t, connections.Load(), "the redirect target got a connection")
}

// Retry-After is honoured: the next attempt is not due before it.
func TestWebhookHonoursRetryAfter(t *testing.T) {
	a := newTestApp(t, withWebhooks)
	c := a.rest()
	tn := a.bootstrap("Busy CRM")
	ch := a.channel(tn, "106540352242922")
	rc := newReceiver(t)
	rc.setAnswer(func(n int, _ receivedWebhook) (int, http.Header) {
		if n == 1 {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"2"}}
		}
		return http.StatusOK, nil
	})
	id, _ := a.hook(tn, rc.srv.URL, domain.EventMessageCreated)
	a.startJobs()
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(ch.PhoneNumberID, "wamid.busy", "16505551234")).Status)
	log := c.waitForDeliveries(tn.OwnerToken, id, "the success after Retry-After", func(l []webhookDelivery) bool {
		return inState(l, "succeeded") == 1
	})
	require.Len(t, log, 2)
	first := log[1]
	require.Equal(t, http.StatusTooManyRequests, *first.StatusCode)
	at, err := time.Parse(time.RFC3339Nano, first.CreatedAt)
	require.NoError(t, err)
	next, err := time.Parse(time.RFC3339Nano, *first.NextRetryAt)
	require.NoError(t, err)
	require.GreaterOrEqual(t, next.Sub(at), 2*time.Second, "the retry was scheduled before Retry-After")
	got := rc.requests()
	require.GreaterOrEqual(t, got[1].At.Sub(got[0].At), 2*time.Second, "the retry came before Retry-After")
}
