package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

// Past the bound on deliveries in progress a delivery is refused at once
// with 503 and Retry-After, and nothing of it is written; Meta's retry,
// once there is room, is stored.
func TestWebhookRefusesDeliveriesBeyondTheInFlightBound(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.WebhookMaxInFlight = 1 })
	tn := a.bootstrap("Busy Co")
	a.channel(tn, testNumber)

	// The first delivery holds the only slot while its body trickles in.
	held := textDelivery(testNumber, "wamid.held", "51911111111")
	body, feed := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, a.URL+"/webhooks/whatsapp", body)
	require.NoError(t, err)
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign(held, testAppSecret))
	req.ContentLength = int64(len(held))
	t.Cleanup(func() { feed.CloseWithError(io.ErrUnexpectedEOF) }) // never leave it hanging
	answered := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	_, err = feed.Write(held[:10])
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return strings.Contains(string(a.do(http.MethodGet, "/metrics", "", nil).Body),
			"centralita_whatsapp_webhook_in_flight 1")
	}, 5*time.Second, 10*time.Millisecond, "the first delivery holds the slot")

	second := textDelivery(testNumber, "wamid.second", "51922222222")
	res := a.deliver(second)
	require.Equal(t, http.StatusServiceUnavailable, res.Status, "%s", res.Body)
	require.Equal(t, "1", res.Header.Get("Retry-After"))
	require.Contains(t, res.Header.Get("Content-Type"), "application/problem+json")
	require.Equal(t, 0, a.count("messages"), "a refused delivery writes nothing")

	_, err = feed.Write(held[10:])
	require.NoError(t, err)
	require.NoError(t, feed.Close())
	require.Equal(t, http.StatusOK, <-answered)
	require.Equal(t, http.StatusOK, a.deliver(second).Status, "the retry finds room")
	require.Equal(t, 2, a.count("messages"))

	metrics := string(a.do(http.MethodGet, "/metrics", "", nil).Body)
	require.True(t, strings.Contains(metrics, `centralita_whatsapp_webhook_deliveries_total{outcome="overloaded"} 1`),
		"the refusal is counted as overloaded")
}
