package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Receipts for messages we never sent (another tool on the same number)
// are parked; the housekeeping job, run when workers start and hourly,
// deletes those parked over a week ago and keeps the others.
func TestHousekeepingPrunesReceiptsNoMessageClaimed(t *testing.T) {
	a, _, _, _ := sendingApp(t)
	for _, wamid := range []string{"wamid.other.old", "wamid.other.recent"} {
		body := fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":%q},"statuses":[{"id":%q,"status":"delivered","timestamp":"1795600000","recipient_id":"16505551234"}]}}]}]}`, fakeNumberID, wamid)
		require.Equal(t, http.StatusOK, a.deliver(body).Status)
	}
	require.Equal(t, 2, a.count("parked_statuses"))
	_, err := a.sql().Exec("UPDATE parked_statuses SET parked_at = $1 WHERE provider_message_id = $2",
		time.Now().UTC().Add(-8*24*time.Hour), "wamid.other.old")
	require.NoError(t, err)

	a.startJobs()
	require.Eventually(t, func() bool { return a.count("parked_statuses") == 1 }, 15*time.Second, 50*time.Millisecond)
	var left string
	require.NoError(t, a.sql().QueryRow("SELECT provider_message_id FROM parked_statuses").Scan(&left))
	require.Equal(t, "wamid.other.recent", left)
}

// The housekeeping job also deletes rate counters of windows over an hour
// old, and keeps the current ones.
func TestHousekeepingPrunesOldRateCounters(t *testing.T) {
	a := newTestApp(t)
	now := time.Now().UTC().Truncate(time.Minute)
	for subject, window := range map[string]time.Time{"key:old": now.Add(-2 * time.Hour), "key:current": now} {
		_, err := a.DB.SQLDB().Exec("INSERT INTO rate_counters (window_start, subject, count) VALUES ($1, $2, 3)",
			window.Unix(), subject)
		require.NoError(t, err)
	}
	a.startJobs()
	require.Eventually(t, func() bool { return a.count("rate_counters") == 1 }, 15*time.Second, 50*time.Millisecond)
	var left string
	require.NoError(t, a.DB.SQLDB().QueryRow("SELECT subject FROM rate_counters").Scan(&left))
	require.Equal(t, "key:current", left)
}
