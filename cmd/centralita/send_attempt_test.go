package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// firstAnswerLost lets Meta (the fake) accept the first send, then drops
// the connection before the answer leaves: the sender cannot tell whether
// the message went out.
type firstAnswerLost struct {
	fake    *whatsapp.FakeGraph
	dropped atomic.Bool
}

func (g *firstAnswerLost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.dropped.Load() {
		g.fake.ServeHTTP(w, r)
		return
	}
	g.fake.ServeHTTP(httptest.NewRecorder(), r)
	g.dropped.Store(true)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// lostAnswerApp is sendingApp with the first Graph answer lost and the
// given receipt wait.
func lostAnswerApp(t *testing.T, receiptWait time.Duration) (*testApp, tenant, *whatsapp.FakeGraph, *domain.Conversation) {
	fake := newFakeGraph(whatsapp.FakeGraphOptions{})
	a := newTestApp(t, withGraph(t, &firstAnswerLost{fake: fake}), func(c *Config) { c.WhatsAppReceiptWait = receiptWait })
	tn := a.bootstrap("Lost Answer Co")
	conv := a.openConversation(tn, "", true)
	a.startJobs()
	return a, tn, fake, conv
}

// waitForAWaitingRetry waits until the send job, after its first run lost
// Meta's answer, ran again and put itself off (for the receipt wait, an
// hour here) without calling Meta again.
func (a *testApp) waitForAWaitingRetry(fake *whatsapp.FakeGraph) {
	a.t.Helper()
	require.Eventually(a.t, func() bool {
		var state string
		require.NoError(a.t, a.sql().QueryRow("SELECT state FROM river_job WHERE kind = 'whatsapp_send'").Scan(&state))
		return state == "scheduled"
	}, 15*time.Second, 10*time.Millisecond, "the retry never waited for a receipt")
	require.Len(a.t, fake.Requests(), 1, "Meta was called once")
}

// hourPasses moves the waiting send job, and the attempt it waits on, an
// hour into the past.
func (a *testApp) hourPasses() {
	a.t.Helper()
	_, err := a.sql().Exec("UPDATE send_attempts SET attempted_at = '2000-01-01 00:00:00+00:00'")
	require.NoError(a.t, err)
	_, err = a.sql().Exec("UPDATE river_job SET state = 'available', scheduled_at = attempted_at WHERE kind = 'whatsapp_send' AND state = 'scheduled'")
	require.NoError(a.t, err)
}

// waitForJobs waits until no job is left to run.
func (a *testApp) waitForJobs() {
	a.t.Helper()
	require.Eventually(a.t, func() bool {
		var pending int
		require.NoError(a.t, a.sql().QueryRow("SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'discarded', 'cancelled')").Scan(&pending))
		return pending == 0
	}, 15*time.Second, 20*time.Millisecond)
}

// Meta accepted a send but its answer was lost: the retry waits for the
// receipt carrying our id, which gives the message its wamid, and the
// customer gets it once.
func TestALostSendAnswerIsRecoveredFromItsReceipt(t *testing.T) {
	a, tn, fake, conv := lostAnswerApp(t, time.Hour)
	m, err := a.Service.SendText(a.system(tn), conv.ID, "¿Recibiste el catálogo?")
	require.NoError(t, err)
	a.waitForAWaitingRetry(fake)

	// Meta's "sent" receipt, echoing our id, arrives while the retry waits.
	status, err := fake.EmitStatuses(context.Background(), a.URL+"/webhooks/whatsapp",
		whatsapp.LifecycleSpecs(fake.SentMessages()[0], "sent", 0, time.Now()))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	a.hourPasses()
	a.waitForJobs()

	sent := a.waitForStatus(tn, m.ID, domain.DeliverySent)
	require.Len(t, fake.SentMessages(), 1, "not sent again")
	require.Equal(t, fake.SentMessages()[0].WAMID, sent.ProviderMessageID)
	require.Equal(t, 0, a.count("send_attempts"), "the attempt is settled")
}

// Without a receipt within the wait, the message goes again: the one
// window in which a customer can get a message twice.
func TestALostSendAnswerWithoutReceiptIsSentAgainAfterTheWait(t *testing.T) {
	a, tn, fake, conv := lostAnswerApp(t, time.Hour)
	m, err := a.Service.SendText(a.system(tn), conv.ID, "¿Recibiste el catálogo?")
	require.NoError(t, err)
	a.waitForAWaitingRetry(fake)
	a.hourPasses()
	sent := a.waitForStatus(tn, m.ID, domain.DeliverySent)
	a.waitForJobs()
	out := fake.SentMessages()
	require.Len(t, out, 2)
	require.Equal(t, m.ID, out[0].BizOpaqueCallbackData)
	require.Equal(t, m.ID, out[1].BizOpaqueCallbackData)
	require.Equal(t, out[1].WAMID, sent.ProviderMessageID, "the answered send names the message")
}
