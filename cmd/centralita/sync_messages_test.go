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

// A message changes after it is stored: receipts move its status forward
// and marking the conversation read stamps marked_read_at on the customer's
// messages. Both move updated_at, the message's and its conversation's, so
// a sync from before sees them.
func TestRESTSyncSeesMessageStatusAndReadMarks(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	c := a.rest()
	path := "/v1/conversations/" + conv.ID + "/messages"
	reply := idOf(t, c.expect(http.StatusCreated, "POST", path, tn.OwnerToken, map[string]any{"text": "hola"}))
	a.startJobs()
	a.sentOK(tn, reply)
	inbound := a.customerWrites(tn, conv, "wamid.sync.inbound")
	before := pastInstant(time.Hour)
	all := c.listIDs(tn.OwnerToken, path) // the reply and two customer messages
	require.Len(t, all, 3)
	a.pinUpdatedAt("messages", before, all...)
	since := before.Add(time.Microsecond)
	ids, _ := syncedIDs(t, c.syncREST(tn.OwnerToken, path, since))
	require.Empty(t, ids, "nothing changed yet")
	// A message changed in place moves its conversation too: syncing the
	// conversations tells which ones to sync the messages of.
	changedConversations := func() []string {
		ids, _ := syncedIDs(t, c.syncREST(tn.OwnerToken, "/v1/conversations", since))
		return ids
	}
	a.pinUpdatedAt("conversations", before, conv.ID)
	require.Empty(t, changedConversations())

	sent := fake.SentMessages()
	require.Len(t, sent, 1)
	status, err := fake.EmitStatuses(context.Background(), a.URL+"/webhooks/whatsapp",
		whatsapp.LifecycleSpecs(sent[0], "delivered", 0, time.Now()))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	a.waitForStatus(tn, reply, domain.DeliveryDelivered)
	require.Equal(t, []string{conv.ID}, changedConversations(), "the receipt moved the conversation")
	a.pinUpdatedAt("conversations", before, conv.ID)
	c.expect(http.StatusOK, "POST", "/v1/conversations/"+conv.ID+"/read", tn.OwnerToken, nil)
	require.Equal(t, []string{conv.ID}, changedConversations(), "marking read moved the conversation")

	var changed []string
	for _, row := range listData(t, c.expect(http.StatusOK, "GET", path, tn.OwnerToken, nil)) {
		if row["id"] == reply || row["marked_read_at"] != nil {
			changed = append(changed, row["id"].(string))
		}
	}
	require.Contains(t, changed, inbound, "marking the conversation read marked the customer's newest message")
	rows := c.syncREST(tn.OwnerToken, path, since)
	ids, _ = syncedIDs(t, rows)
	require.ElementsMatch(t, changed, ids, "the receipt moved the reply; marking read moved what it marked")
	for _, row := range rows {
		if row["id"] == reply {
			require.Equal(t, "delivered", row["status"])
		}
	}
}
