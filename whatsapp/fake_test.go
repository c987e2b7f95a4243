package whatsapp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func requireGraphError(t *testing.T, err error, status, code int) *GraphError {
	t.Helper()
	var ge *GraphError
	require.ErrorAs(t, err, &ge)
	require.Equal(t, status, ge.HTTPStatus, ge.Error())
	require.Equal(t, code, ge.Code, ge.Error())
	return ge
}

func TestFakeRejectsLikeMeta(t *testing.T) {
	env := newFakeEnv(t)
	ctx := context.Background()

	_, err := env.client.SendMessage(ctx, "999", tokenA, text("x"))
	ge := requireGraphError(t, err, 400, 100)
	require.Equal(t, 33, ge.Subcode)

	_, err = env.client.SendMessage(ctx, pnidA, "wrong", text("x"))
	requireGraphError(t, err, 401, 190)
	_, err = env.client.SendMessage(ctx, pnidA, tokenB, text("x"))
	requireGraphError(t, err, 401, 190)

	tpl := OutboundMessage{To: "+" + user, Template: &OutboundTemplate{Name: "order_confirmation", LanguageCode: "es_AR"}}
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, tpl)
	ge = requireGraphError(t, err, 404, 132001)
	require.Contains(t, ge.Details, "does not exist in es_AR")

	_, err = env.client.SendMessage(ctx, pnidA, tokenA, OutboundMessage{To: "0049 151 000", Text: &OutboundText{Body: "x"}})
	requireGraphError(t, err, 400, 100)

	env.fake.ExpireToken(tokenA)
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("x"))
	ge = requireGraphError(t, err, 401, 190)
	require.Equal(t, 463, ge.Subcode)
	require.False(t, ge.Retryable())
}

// Bodies that bypass client validation are still checked by the fake.
func TestFakeValidatesRawBodies(t *testing.T) {
	env := newFakeEnv(t)
	post := func(body string) *GraphError {
		req, _ := http.NewRequest(http.MethodPost, env.url+"/v24.0/"+pnidA+"/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokenA)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == 200 {
			return nil
		}
		return parseGraphError(resp.StatusCode, b)
	}
	require.Equal(t, 100, post(`{"to":"+1","type":"text","text":{"body":"x"}}`).Code, "messaging_product required")
	require.Equal(t, 131009, post(`{"messaging_product":"whatsapp","to":"+1","type":"text","text":{"body":"`+strings.Repeat("a", 4097)+`"}}`).Code)
	four := `{"type":"reply","reply":{"id":"1","title":"a"}},{"type":"reply","reply":{"id":"2","title":"b"}},{"type":"reply","reply":{"id":"3","title":"c"}},{"type":"reply","reply":{"id":"4","title":"d"}}`
	require.Equal(t, 131009, post(`{"messaging_product":"whatsapp","to":"+1","type":"interactive","interactive":{"type":"button","body":{"text":"x"},"action":{"buttons":[`+four+`]}}}`).Code)
	require.Equal(t, 131009, post(`{"messaging_product":"whatsapp","to":"+1","type":"image","text":{"body":"x"}}`).Code, "type must match content")
	require.Equal(t, 100, post(`not json`).Code)
	require.Nil(t, post(`{"messaging_product":"whatsapp","to":"+1","type":"text","text":{"body":"ok"}}`))
}

func TestFakeFailNextPerRecipientAndNumber(t *testing.T) {
	env := newFakeEnv(t)
	ctx := context.Background()
	env.fake.FailNext(FailRule{Recipient: user, Code: 131000, Times: 2})
	env.fake.FailNext(FailRule{PhoneNumberID: pnidB, Code: 131026})

	other := OutboundMessage{To: "+5491100000000", Text: &OutboundText{Body: "x"}}
	_, err := env.client.SendMessage(ctx, pnidA, tokenA, other)
	require.NoError(t, err, "other recipients unaffected")
	for i := 0; i < 2; i++ {
		_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("x"))
		ge := requireGraphError(t, err, 500, 131000)
		require.True(t, ge.Retryable())
	}
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("x"))
	require.NoError(t, err, "rule exhausted after Times")

	_, err = env.client.SendMessage(ctx, pnidB, tokenB, text("x"))
	ge := requireGraphError(t, err, 400, 131026)
	require.NotEmpty(t, ge.Permanent())
	_, err = env.client.SendMessage(ctx, pnidB, tokenB, text("x"))
	require.NoError(t, err)

	env.fake.FailNext(FailRule{Code: 2, Times: -1})
	for i := 0; i < 3; i++ {
		_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("x"))
		requireGraphError(t, err, 503, 2)
	}
	env.fake.ClearFailures()
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("x"))
	require.NoError(t, err)
}

func TestFakeThroughputAndPairRate(t *testing.T) {
	env := newFakeEnv(t, func(o *FakeGraphOptions) {
		o.MessagesPerSecond = 3
		o.PairInterval = 6 * time.Second
		o.PairBurst = 2
	})
	ctx := context.Background()
	to := func(n string) OutboundMessage { return OutboundMessage{To: "+" + n, Text: &OutboundText{Body: "x"}} }

	_, err := env.client.SendMessage(ctx, pnidA, tokenA, to("1001"))
	require.NoError(t, err)
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, to("1001"))
	require.NoError(t, err, "burst of 2 allowed")
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, to("1001"))
	ge := requireGraphError(t, err, 400, 131056)
	require.True(t, ge.Retryable())

	_, err = env.client.SendMessage(ctx, pnidA, tokenA, to("1002"))
	require.NoError(t, err, "pair limit is per recipient")
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, to("1003"))
	requireGraphError(t, err, 400, 130429)
	_, err = env.client.SendMessage(ctx, pnidB, tokenB, to("1003"))
	require.NoError(t, err, "throughput is per number")

	env.clock.Advance(6 * time.Second)
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, to("1001"))
	require.NoError(t, err, "pair token refilled")
}

// webhookSink is a stand-in for our webhook endpoint: verifies, parses, keeps.
type webhookSink struct {
	mu         sync.Mutex
	bodies     [][]byte
	deliveries []*Delivery
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !VerifySignature(body, r.Header.Get(SignatureHeader), testSecret) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	d, err := ParseWebhook(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, body)
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
}

func (s *webhookSink) statuses() []StatusUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StatusUpdate
	for _, d := range s.deliveries {
		for _, c := range d.Changes {
			out = append(out, c.Statuses...)
		}
	}
	return out
}

func TestFakeEmitsSignedStatusWebhooks(t *testing.T) {
	env := newFakeEnv(t)
	sink := &webhookSink{}
	hook := httptest.NewServer(sink)
	defer hook.Close()
	ctx := context.Background()

	msg := OutboundMessage{To: "+" + user, Text: &OutboundText{Body: "hola"}, BizOpaqueCallbackData: "outbox/42 café"}
	_, err := env.client.SendMessage(ctx, pnidA, tokenA, msg)
	require.NoError(t, err)
	_, err = env.client.SendMessage(ctx, pnidB, tokenB, text("second"))
	require.NoError(t, err)
	sent := env.fake.SentMessages()
	start := time.Unix(1750000000, 0)

	// In order, one delivery per status.
	for _, spec := range LifecycleSpecs(sent[0], "read", 0, start) {
		status, err := env.fake.EmitStatuses(ctx, hook.URL, []StatusSpec{spec})
		require.NoError(t, err)
		require.Equal(t, 200, status)
	}
	got := sink.statuses()
	require.Equal(t, []string{"sent", "delivered", "read"}, []string{got[0].Status, got[1].Status, got[2].Status})
	require.Equal(t, "outbox/42 café", got[0].BizOpaqueCallbackData)
	require.Equal(t, sent[0].WAMID, got[2].ProviderMessageID)
	require.Equal(t, start.Add(2*time.Second).UTC(), got[2].Timestamp)
	require.True(t, bytes.Contains(sink.bodies[0], []byte(`outbox\/42 caf\u00e9`)), "Meta-style escaping on the wire")

	// Out of order, duplicated, both numbers in ONE batched delivery.
	failed := LifecycleSpecs(sent[1], "failed", 131047, start)
	batch := []StatusSpec{failed[1], failed[0], failed[0]}
	status, err := env.fake.EmitStatuses(ctx, hook.URL, append(batch, LifecycleSpecs(sent[0], "delivered", 0, start)...))
	require.NoError(t, err)
	require.Equal(t, 200, status)
	last := sink.deliveries[len(sink.deliveries)-1]
	require.Len(t, last.Changes, 2, "one change per number")
	require.Equal(t, pnidB, last.Changes[0].PhoneNumberID)
	require.Equal(t, "122951744235903", last.Changes[0].WABAID)
	require.Equal(t, []string{"failed", "sent", "sent"}, []string{last.Changes[0].Statuses[0].Status,
		last.Changes[0].Statuses[1].Status, last.Changes[0].Statuses[2].Status})
	require.Equal(t, 131047, last.Changes[0].Statuses[0].Errors[0].Code)

	// A receiver with another secret rejects the fake's signature.
	other := NewFakeGraph(FakeGraphOptions{Numbers: map[string]FakeNumber{pnidA: {}}, AppSecret: "other"})
	status, err = other.EmitStatuses(ctx, hook.URL, failed[:1])
	require.NoError(t, err)
	require.Equal(t, 401, status)
}

func TestFakeInboundTextWebhookParses(t *testing.T) {
	env := newFakeEnv(t)
	body := env.fake.BuildInboundTextWebhook(InboundTextSpec{PhoneNumberID: pnidA, From: user, ProfileName: "José",
		Text: "¿Tienen envío a Córdoba? 🚚", Timestamp: time.Unix(1750000000, 0)})
	require.False(t, bytes.ContainsRune(body, 'é'), "non-ASCII is escaped like Meta")
	_, m := func() (Change, InboundMessage) {
		d, err := ParseWebhook(body)
		require.NoError(t, err)
		return d.Changes[0], d.Changes[0].Messages[0]
	}()
	require.Equal(t, "¿Tienen envío a Córdoba? 🚚", m.Text)
	require.Equal(t, "José", m.ProfileName)
}

func TestFakeRecordsRequests(t *testing.T) {
	env := newFakeEnv(t)
	_, _ = env.client.SendMessage(context.Background(), pnidA, tokenA, text("one"))
	_, _ = env.client.SendMessage(context.Background(), "nope", tokenA, text("two"))
	reqs := env.fake.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, 200, reqs[0].Status)
	require.Equal(t, pnidA, reqs[0].PhoneNumberID)
	require.Contains(t, string(reqs[0].Body), `"one"`)
	require.Equal(t, 400, reqs[1].Status)
}
