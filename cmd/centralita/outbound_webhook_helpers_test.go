package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/webhooks"
)

// withWebhooks lets webhooks reach 127.0.0.1 (where the receivers of the
// tests listen) and runs the delivery schedule at a 1 ms unit.
func withWebhooks(c *Config) {
	c.WebhookAllowHosts = "127.0.0.1"
	c.JobRetryUnit = time.Millisecond
	c.WebhookPoll = 200 * time.Millisecond
}

// receivedWebhook is one request a receiver got.
type receivedWebhook struct {
	ID, Timestamp, Signature string
	Body                     []byte
	At                       time.Time
}

// event decodes the body.
func (r receivedWebhook) event(t *testing.T) webhookEnvelope {
	t.Helper()
	var e webhookEnvelope
	require.NoError(t, json.Unmarshal(r.Body, &e), "%s", r.Body)
	return e
}

type webhookEnvelope struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      struct {
		ID          string         `json:"id"`
		WorkspaceID string         `json:"workspace_id"`
		SubjectID   *string        `json:"subject_id"`
		Actor       map[string]any `json:"actor"`
		Payload     map[string]any `json:"payload"`
	} `json:"data"`
}

// receiver is a CRM's endpoint on loopback: it records every request and
// answers what answer says (200 when nil).
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	got    []receivedWebhook
	answer func(n int, r receivedWebhook) (status int, header http.Header)
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{t: t}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got := receivedWebhook{ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"),
			Signature: r.Header.Get("webhook-signature"), Body: body, At: time.Now()}
		rc.mu.Lock()
		rc.got = append(rc.got, got)
		n, answer := len(rc.got), rc.answer
		rc.mu.Unlock()
		status := http.StatusOK
		if answer != nil {
			var header http.Header
			status, header = answer(n, got)
			for k, v := range header {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("answer " + strconv.Itoa(status)))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) setAnswer(f func(n int, r receivedWebhook) (int, http.Header)) {
	rc.mu.Lock()
	rc.answer = f
	rc.mu.Unlock()
}

func (rc *receiver) requests() []receivedWebhook {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]receivedWebhook(nil), rc.got...)
}

// of lists the requests carrying an event of type typ.
func (rc *receiver) of(typ string) []receivedWebhook {
	var out []receivedWebhook
	for _, r := range rc.requests() {
		if r.event(rc.t).Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// waitFor polls until cond holds over the requests received.
func (rc *receiver) waitFor(what string, cond func([]receivedWebhook) bool) []receivedWebhook {
	rc.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if got := rc.requests(); cond(got) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	rc.t.Fatalf("the receiver never got %s; it got %d requests", what, len(rc.requests()))
	return nil
}

// verified requires a Standard Webhooks signature by secret on r.
func verified(t *testing.T, secret string, r receivedWebhook) {
	t.Helper()
	ts, err := strconv.ParseInt(r.Timestamp, 10, 64)
	require.NoError(t, err, "webhook-timestamp %q", r.Timestamp)
	require.True(t, webhooks.Verify(secret, r.ID, ts, r.Body, r.Signature),
		"signature %q does not verify with the secret for %s", r.Signature, r.ID)
}

// hook registers an endpoint through REST and returns its id and secret.
func (a *testApp) hook(tn tenant, url string, types ...string) (string, string) {
	a.t.Helper()
	res := a.do(http.MethodPost, "/v1/webhook-endpoints", tn.OwnerToken, map[string]any{"url": url, "event_types": types})
	require.Equal(a.t, http.StatusCreated, res.Status, "%s", res.Body)
	var body struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	res.decode(a.t, &body)
	return body.ID, body.Secret
}

// webhookDelivery is one row of the delivery log, as REST shows it.
type webhookDelivery struct {
	ID              string  `json:"id"`
	EventID         string  `json:"event_id"`
	EventType       string  `json:"event_type"`
	Replay          bool    `json:"replay"`
	Attempt         int     `json:"attempt"`
	State           string  `json:"state"`
	StatusCode      *int    `json:"status_code"`
	LatencyMS       int64   `json:"latency_ms"`
	ResponseExcerpt string  `json:"response_excerpt"`
	Error           *string `json:"error"`
	NextRetryAt     *string `json:"next_retry_at"`
	CreatedAt       string  `json:"created_at"`
}

// deliveries reads an endpoint's delivery log (newest first), checking
// the answer against the contract.
func (c *restClient) deliveries(token, endpointID string) []webhookDelivery {
	c.t.Helper()
	res := c.expect(http.StatusOK, http.MethodGet, "/v1/webhook-endpoints/"+endpointID+"/deliveries?limit=100", token, nil)
	var page struct {
		Data []webhookDelivery `json:"data"`
	}
	res.decode(c.t, &page)
	return page.Data
}

// waitForDeliveries polls the delivery log until cond holds.
func (c *restClient) waitForDeliveries(token, endpointID, what string, cond func([]webhookDelivery) bool) []webhookDelivery {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if got := c.deliveries(token, endpointID); cond(got) {
			return got
		}
		time.Sleep(25 * time.Millisecond)
	}
	c.t.Fatalf("the delivery log never showed %s: %+v", what, c.deliveries(token, endpointID))
	return nil
}

// endpoint reads an endpoint through REST.
func (c *restClient) endpoint(token, id string) map[string]any {
	c.t.Helper()
	return object(c.t, c.expect(http.StatusOK, http.MethodGet, "/v1/webhook-endpoints/"+id, token, nil))
}

// inState counts log rows in a state.
func inState(log []webhookDelivery, state string) int {
	n := 0
	for _, d := range log {
		if d.State == state {
			n++
		}
	}
	return n
}

// canaryListener listens on a loopback address that no allow list of the
// tests names and counts the connections that reach it: none may.
func canaryListener(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	require.NoError(t, err, "a second loopback address is needed for the canary")
	connections := &atomic.Int64{}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			conn.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), connections
}
