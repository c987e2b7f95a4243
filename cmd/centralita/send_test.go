package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

const (
	fakeNumberID = "106540352242922"
	fakeToken    = "EAAG-fake-graph-token"
)

// sendingApp is an app whose sends go to a fake Graph API that behaves like
// Meta's, with one number registered in tenant tn and a conversation with
// a customer who just wrote.
func sendingApp(t *testing.T) (*testApp, tenant, *whatsapp.FakeGraph, *domain.Conversation) {
	fake := newFakeGraph(whatsapp.FakeGraphOptions{})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Sender Co")
	return a, tn, fake, a.openConversation(tn, "Ana", true)
}

// newFakeGraph knows the test number (fakeNumberID with fakeToken) and
// signs the receipts it posts with the tests' app secret.
func newFakeGraph(opts whatsapp.FakeGraphOptions) *whatsapp.FakeGraph {
	opts.AppSecret = testAppSecret
	opts.Numbers = map[string]whatsapp.FakeNumber{
		fakeNumberID: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken}}
	return whatsapp.NewFakeGraph(opts)
}

// withGraph serves h (a FakeGraph, or a wrapper around one) for the test and
// points the app's Graph API client at it.
func withGraph(t *testing.T, h http.Handler) func(*Config) {
	graph := httptest.NewServer(h)
	t.Cleanup(graph.Close)
	return func(c *Config) { c.WhatsAppGraphURL = graph.URL }
}

// openConversation registers the test number in tn and opens a conversation
// with customer 16505551234; customerWrote opens the 24-hour window.
func (a *testApp) openConversation(tn tenant, name string, customerWrote bool) *domain.Conversation {
	a.t.Helper()
	ctx := a.system(tn)
	ch, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(a.t, err)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234"), Name: valuePtr(name)})
	require.NoError(a.t, err)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(a.t, err)
	if customerWrote {
		_, err = a.Service.RecordInboundText(ctx, conv.ID, "hola", time.Now())
		require.NoError(a.t, err)
	}
	return conv
}

func (a *testApp) waitForStatus(tn tenant, messageID string, want domain.DeliveryStatus) *domain.Message {
	a.t.Helper()
	var m *domain.Message
	require.Eventually(a.t, func() bool {
		var err error
		m, err = a.Service.Message(a.system(tn), messageID)
		require.NoError(a.t, err)
		return m.Status == want
	}, 15*time.Second, 20*time.Millisecond, "message %s never became %s", messageID, want)
	return m
}

// A reply is stored queued with its job in one transaction; the worker
// delivers it through the Graph API, stores the wamid, and receipts move
// it forward. Jobs enqueued while no worker runs (a restart) still go out.
func TestSendDeliversThroughTheGraphAPI(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	res := a.do(http.MethodPost, "/v1/conversations/"+conv.ID+"/messages", tn.OwnerToken, map[string]any{"text": "¡Hola Ana!"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var msg struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	res.decode(t, &msg)
	require.Equal(t, "queued", msg.Status)
	require.Empty(t, fake.SentMessages(), "nothing leaves before a worker runs")

	a.startJobs()
	sent := a.waitForStatus(tn, msg.ID, domain.DeliverySent)
	out := fake.SentMessages()
	require.Len(t, out, 1)
	require.Equal(t, "16505551234", out[0].WaID)
	require.Equal(t, msg.ID, out[0].BizOpaqueCallbackData, "our id travels with the send")
	require.Equal(t, out[0].WAMID, sent.ProviderMessageID)

	receipt := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"` + fakeNumberID + `"},"statuses":[{"id":"` + sent.ProviderMessageID + `","status":"read","timestamp":"1795600000","recipient_id":"16505551234"}]}}]}]}`)
	require.Equal(t, http.StatusOK, a.deliver(receipt).Status)
	a.waitForStatus(tn, msg.ID, domain.DeliveryRead)
}

// A permanent Graph error ends the message as failed with Meta's code and a
// readable reason, without retrying.
func TestSendPermanentFailureIsRecorded(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	fake.FailNext(whatsapp.FailRule{PhoneNumberID: fakeNumberID, Code: 131026, Times: 5})
	a.startJobs()
	m, err := a.Service.SendText(a.system(tn), conv.ID, "¿sigues ahí?")
	require.NoError(t, err)
	failed := a.waitForStatus(tn, m.ID, domain.DeliveryFailed)
	require.Equal(t, "131026", failed.ErrorCode)
	require.NotEmpty(t, failed.ErrorTitle)
	require.Len(t, fake.Requests(), 1, "a permanent error is not retried")
}
