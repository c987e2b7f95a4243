package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// Meta does not order or deduplicate receipts. The fake Graph API posts a
// real send's signed receipts back late, shuffled and repeated, split over
// deliveries and batched in one: the message only ever moves forward, ends
// at its furthest status, and each step is recorded once.
func TestShuffledAndRepeatedReceiptsOnlyMoveForward(t *testing.T) {
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{AppSecret: testAppSecret,
		Numbers: map[string]whatsapp.FakeNumber{fakeNumberID: {WABAID: "102290129340398",
			DisplayPhoneNumber: "15550783881", Token: fakeToken}}})
	graph := httptest.NewServer(fake)
	t.Cleanup(graph.Close)
	a := newTestApp(t, func(c *Config) { c.WhatsAppGraphURL = graph.URL })
	tn := a.bootstrap("Receipts Co")
	ctx := a.system(tn)
	ch, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234")})
	require.NoError(t, err)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(t, err)
	_, err = a.Service.RecordInboundText(ctx, conv.ID, "hola", time.Now())
	require.NoError(t, err)

	var ids []string
	for _, text := range []string{"uno", "dos"} {
		res := a.do(http.MethodPost, "/v1/conversations/"+conv.ID+"/messages", tn.OwnerToken, map[string]any{"text": text})
		require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
		var m struct{ ID string }
		res.decode(t, &m)
		ids = append(ids, m.ID)
	}
	a.startJobs()
	for _, id := range ids {
		a.waitForStatus(tn, id, domain.DeliverySent)
	}
	sent := fake.SentMessages()
	require.Len(t, sent, 2)
	hook := a.URL + "/webhooks/whatsapp"
	emit := func(specs ...whatsapp.StatusSpec) {
		t.Helper()
		status, err := fake.EmitStatuses(context.Background(), hook, specs)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
	}

	// First message: read arrives before delivered, then everything again.
	first := whatsapp.LifecycleSpecs(sent[0], "read", 0, time.Now())
	sentStep, delivered, read := first[0], first[1], first[2]
	emit(read)
	emit(sentStep)
	emit(delivered, delivered)
	emit(read, delivered, sentStep, read)
	// Second message: its whole life, reversed and doubled, in one batch.
	second := whatsapp.LifecycleSpecs(sent[1], "delivered", 0, time.Now())
	emit(second[1], second[0], second[1], second[0])

	byWamid := map[string]string{sent[0].WAMID: "", sent[1].WAMID: ""}
	for _, id := range ids {
		m, err := a.Service.Message(ctx, id)
		require.NoError(t, err)
		byWamid[m.ProviderMessageID] = string(m.Status)
	}
	require.Equal(t, map[string]string{sent[0].WAMID: "read", sent[1].WAMID: "delivered"}, byWamid)
	var changes int
	require.NoError(t, a.DB.SQLDB().QueryRow(
		"SELECT count(*) FROM events WHERE type = 'message.status_changed'").Scan(&changes))
	// queued→sent twice (the worker), then read for one and delivered for
	// the other: nothing replayed counted again.
	require.Equal(t, 4, changes)
}
