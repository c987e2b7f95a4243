package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// Meta's transient errors (a 5xx, throughput 130429, "temporarily
// unavailable" 2) are retried with growing waits until the send goes
// through; the message ends sent with no error, once. The retry unit is
// 20 ms here, so River's attempt⁴ schedule runs in about 2 s.
func TestTransientGraphErrorsAreRetriedWithBackoffUntilSent(t *testing.T) {
	fake := newFakeGraph(whatsapp.FakeGraphOptions{})
	a := newTestApp(t, withGraph(t, fake), func(c *Config) { c.JobRetryUnit = 20 * time.Millisecond })
	tn := a.bootstrap("Retry Co")
	conv := a.openConversation(tn, "Ana", true)
	for _, code := range []int{131000, whatsapp.CodeThroughput, 2} {
		fake.FailNext(whatsapp.FailRule{PhoneNumberID: fakeNumberID, Code: code, IsTransient: true})
	}
	a.startJobs()
	m, err := a.Service.SendText(a.system(tn), conv.ID, "¿Seguimos?")
	require.NoError(t, err)
	sent := a.waitForStatus(tn, m.ID, domain.DeliverySent)
	require.Empty(t, sent.ErrorCode)
	require.Len(t, fake.SentMessages(), 1, "delivered once")

	var attempts []whatsapp.RecordedRequest
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/messages") {
			attempts = append(attempts, r)
		}
	}
	require.Len(t, attempts, 4, "three refusals, then the send")
	for i, want := range []int{500, 400, 503, 200} {
		require.Equal(t, want, attempts[i].Status, "attempt %d", i+1)
	}
	first := attempts[1].ReceivedAt.Sub(attempts[0].ReceivedAt)
	third := attempts[3].ReceivedAt.Sub(attempts[2].ReceivedAt)
	require.Greater(t, third, first, "waits grow between attempts")
	require.GreaterOrEqual(t, third, 81*20*time.Millisecond*9/10, "the third retry waits 3⁴ units, less jitter")
}
