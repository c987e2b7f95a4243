package main

// What the metrics count, end to end: each scenario moves exactly the
// series it should, by exactly the expected amount.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// ofKind keeps the moved series of one job kind (the hourly housekeeping
// job runs when the workers start, whenever River elects its leader).
func ofKind(moved map[string]float64, kind string) map[string]float64 {
	out := map[string]float64{}
	for k, v := range moved {
		if strings.HasPrefix(k, "kind="+kind+",") {
			out[k] = v
		}
	}
	return out
}

// waitForRuns scrapes until the runs of kind moved as much as want in
// total (River reports finished jobs asynchronously), and returns that
// scrape.
func (a *testApp) waitForRuns(before scrape, kind string, want float64) scrape {
	a.t.Helper()
	var now scrape
	require.Eventually(a.t, func() bool {
		now = a.scrape()
		var total float64
		for _, v := range ofKind(now.moved(before, "centralita_job_runs_total"), kind) {
			total += v
		}
		return total >= want
	}, 15*time.Second, 20*time.Millisecond, "%s runs never reached %v", kind, want)
	return now
}

// A queued send shows in the job gauges; a permanent Meta error, a
// retryable one and a success are counted by outcome and Meta's code, and
// the job runs by outcome.
func TestMetricsCountSendsAndJobs(t *testing.T) {
	fake := newFakeGraph(whatsapp.FakeGraphOptions{})
	a := newTestApp(t, withGraph(t, fake), func(c *Config) { c.JobRetryUnit = 20 * time.Millisecond })
	tn := a.bootstrap("Sender Co")
	conv := a.openConversation(tn, "Ana", true)
	before := a.scrape()

	undeliverable, err := a.Service.SendText(a.system(tn), conv.ID, "¿sigues ahí?")
	require.NoError(t, err)
	require.Equal(t, map[string]float64{"kind=whatsapp_send,state=available": 1},
		a.scrape().moved(before, "centralita_jobs"), "a queued send waits in the job table")

	fake.FailNext(whatsapp.FailRule{PhoneNumberID: fakeNumberID, Code: whatsapp.CodeUndeliverable})
	a.startJobs()
	a.waitForStatus(tn, undeliverable.ID, domain.DeliveryFailed)
	fake.FailNext(whatsapp.FailRule{PhoneNumberID: fakeNumberID, Code: 131000})
	retried, err := a.Service.SendText(a.system(tn), conv.ID, "¿y ahora?")
	require.NoError(t, err)
	a.sentOK(tn, retried.ID)

	after := a.waitForRuns(before, "whatsapp_send", 3)
	require.Equal(t, map[string]float64{
		"error_code=131026,outcome=failed":   1,
		"error_code=131000,outcome=retrying": 1,
		"error_code=none,outcome=sent":       1,
	}, after.moved(before, "centralita_whatsapp_sends_total"))
	require.Equal(t, map[string]float64{
		"kind=whatsapp_send,outcome=completed": 2, // a failed message is a job done
		"kind=whatsapp_send,outcome=retried":   1,
	}, ofKind(after.moved(before, "centralita_job_runs_total"), "whatsapp_send"))
	require.Empty(t, ofKind(after.moved(before, "centralita_jobs"), "whatsapp_send"), "no send left in the queue")
}

// Each delivery is counted once by what it became, its items by kind and
// outcome, and each dead letter by reason.
func TestMetricsCountWebhookDeliveries(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Inbound Co")
	a.channel(tn, fakeNumberID)
	before := a.scrape()

	message := textDelivery(fakeNumberID, "wamid.metrics.1", "16505551234")
	require.Equal(t, http.StatusOK, a.deliver(message).Status)
	require.Equal(t, http.StatusOK, a.deliver(message).Status, "Meta's redelivery")
	require.Equal(t, http.StatusUnauthorized, a.deliver(message, "sha256="+strings.Repeat("0", 64)).Status)
	require.Equal(t, http.StatusOK, a.deliver([]byte(`{"object": "whatsapp_business_account", "entry": [`)).Status)
	require.Equal(t, http.StatusOK, a.deliver(deliveryOf(inboundChange("999999999999999", fakeNumberID, "wamid.metrics.q"))).Status)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery("100000000000001", "wamid.metrics.x", "16505551234")).Status)
	require.Equal(t, http.StatusRequestEntityTooLarge, a.deliver(make([]byte, 5<<20)).Status)
	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"wrong"}, "hub.challenge": {"1"}}
	require.Equal(t, http.StatusForbidden, a.do(http.MethodGet, "/webhooks/whatsapp?"+q.Encode(), "", nil).Status)

	after := a.scrape()
	require.Equal(t, map[string]float64{
		"outcome=applied":           1,
		"outcome=duplicate":         1,
		"outcome=refused_signature": 1,
		"outcome=dead_lettered":     1,
		"outcome=quarantined":       1,
		"outcome=ignored":           1, // a number nobody registered
		"outcome=too_large":         1,
	}, after.moved(before, "centralita_whatsapp_webhook_deliveries_total"))
	require.Equal(t, map[string]float64{"kind=message,outcome=applied": 1, "kind=message,outcome=duplicate": 1},
		after.moved(before, "centralita_whatsapp_webhook_items_total"))
	require.Equal(t, map[string]float64{"reason=unparseable": 1, "reason=quarantined": 1},
		after.moved(before, "centralita_whatsapp_dead_letters_total"))
	require.Equal(t, map[string]float64{"outcome=refused": 1},
		after.moved(before, "centralita_whatsapp_webhook_verifications_total"))
	require.Equal(t, 2, a.count("webhook_dead_letters"), "the counters match what was kept")
}

// A media download is counted when the file is stored, and when Meta no
// longer has it, under Meta's code.
func TestMetricsCountMediaDownloads(t *testing.T) {
	w := newMediaWorld(t)
	before := w.scrape()
	stored := w.receive("wamid.metrics.media", "image", map[string]any{
		"id": w.fake.AddMedia(fakeNumberID, "image/png", pngBytes(t)), "mime_type": "image/png"})
	gone := w.receive("wamid.metrics.gone", "image", map[string]any{"id": "1003383421387256", "mime_type": "image/jpeg"})
	require.Equal(t, map[string]float64{"kind=whatsapp_media_download,state=available": 2},
		w.scrape().moved(before, "centralita_jobs"))

	w.startJobs()
	w.waitForMedia(stored.ID, domain.MediaReady)
	w.waitForMedia(gone.ID, domain.MediaFailed)
	after := w.waitForRuns(before, "whatsapp_media_download", 2)
	require.Equal(t, map[string]float64{"error_code=none,outcome=stored": 1, "error_code=100,outcome=failed": 1},
		after.moved(before, "centralita_whatsapp_media_downloads_total"))
	require.Equal(t, map[string]float64{"kind=whatsapp_media_download,outcome=completed": 2},
		ofKind(after.moved(before, "centralita_job_runs_total"), "whatsapp_media_download"))
	require.Equal(t, map[string]float64{"kind=message,outcome=applied": 2},
		after.moved(before, "centralita_whatsapp_webhook_items_total"))
}
