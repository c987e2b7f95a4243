package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// A send acknowledged by a process that dies before any worker ran is not
// lost: the job committed with the message, and the next process on the
// same database delivers it, once.
func TestQueuedSendsSurviveARestart(t *testing.T) {
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: map[string]whatsapp.FakeNumber{
		fakeNumberID: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken}}})
	graph := httptest.NewServer(fake)
	t.Cleanup(graph.Close)
	first := newTestApp(t, func(c *Config) { c.WhatsAppGraphURL = graph.URL })
	tn := first.bootstrap("Restart Co")
	ctx := first.system(tn)
	ch, err := first.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	contact, err := first.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234")})
	require.NoError(t, err)
	conv, err := first.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(t, err)
	_, err = first.Service.RecordInboundText(ctx, conv.ID, "hola", first.Service.Now())
	require.NoError(t, err)
	var ids []string
	for _, text := range []string{"uno", "dos", "tres"} {
		m, err := first.Service.SendText(ctx, conv.ID, text)
		require.NoError(t, err)
		ids = append(ids, m.ID)
	}
	require.Empty(t, fake.SentMessages(), "the first process never ran a worker")

	// A new process on the same database.
	second, err := newApp(context.Background(), first.Config, first.DB, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	restarted := &testApp{t: t, app: second, URL: first.URL, DB: first.DB, Service: second.service, Config: first.Config}
	restarted.startJobs()
	for _, id := range ids {
		restarted.waitForStatus(tn, id, domain.DeliverySent)
	}
	require.Len(t, fake.SentMessages(), 3, "each queued send went out exactly once")
}
