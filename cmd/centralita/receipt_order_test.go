package main

import (
	"context"
	"net/http"
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
	fake := newFakeGraph(whatsapp.FakeGraphOptions{})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Receipts Co")
	ctx := a.system(tn)
	conv := a.openConversation(tn, "Ana", true)

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
	require.NoError(t, a.sql().QueryRow(
		"SELECT count(*) FROM events WHERE type = 'message.status_changed'").Scan(&changes))
	// queued→sent twice (the worker), then read for one and delivered for
	// the other: nothing replayed counted again.
	require.Equal(t, 4, changes)
}
