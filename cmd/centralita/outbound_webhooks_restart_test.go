package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// Stopping the dispatcher and the delivery workers mid-stream, again and
// again, loses no event: processes that follow on the same database
// deliver every message.created, and a repeat only ever carries an id
// already seen (receivers deduplicate by webhook-id).
func TestWebhookDeliveriesSurviveStoppedProcesses(t *testing.T) {
	first := newTestApp(t, withWebhooks)
	tn := first.bootstrap("Restarted CRM")
	ch := first.channel(tn, "106540352242922")
	rc := newReceiver(t)
	rc.setAnswer(func(n int, _ receivedWebhook) (int, http.Header) {
		time.Sleep(20 * time.Millisecond) // deliveries still in flight when a process stops
		return http.StatusOK, nil
	})
	_, secret := first.hook(tn, rc.srv.URL, domain.EventMessageCreated)

	const rounds, perRound = 4, 5
	current := first
	for round := range rounds {
		ctx, cancel := context.WithCancel(context.Background())
		require.NoError(t, current.app.jobs.Start(ctx))
		for i := range perRound {
			wamid := fmt.Sprintf("wamid.restart.%d.%d", round, i)
			require.Equal(t, http.StatusOK, current.deliver(textDelivery(ch.PhoneNumberID, wamid, "16505551234")).Status)
		}
		stop, done := context.WithTimeout(context.Background(), 5*time.Second)
		_ = current.app.jobs.Stop(stop)
		done()
		cancel()
		next, err := newApp(context.Background(), first.Config, first.DB, slog.New(slog.NewJSONHandler(io.Discard, nil)))
		require.NoError(t, err)
		current = &testApp{t: t, app: next, URL: first.URL, DB: first.DB, Service: next.service, Config: first.Config}
	}
	current.startJobs()

	var want int
	require.NoError(t, first.sql().QueryRow("SELECT count(*) FROM events WHERE workspace_id = $1 AND type = $2",
		tn.WorkspaceID, domain.EventMessageCreated).Scan(&want))
	require.Equal(t, rounds*perRound, want)
	got := rc.waitFor("every message", func(got []receivedWebhook) bool {
		ids := map[string]bool{}
		for _, r := range got {
			ids[r.ID] = true
		}
		return len(ids) == want
	})
	ids := map[string]bool{}
	for _, r := range got {
		verified(t, secret, r)
		ids[r.ID] = true
		require.Equal(t, r.ID, r.event(t).Data.ID)
	}
	rows, err := first.sql().Query("SELECT id FROM events WHERE workspace_id = $1 AND type = $2", tn.WorkspaceID, domain.EventMessageCreated)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		require.True(t, ids[id], "event %s was never delivered", id)
	}
	require.NoError(t, rows.Err())
}
