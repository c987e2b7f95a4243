package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
)

// Deactivating an agent returns their open conversations to their queues,
// where the queue hands them to whoever is online with room; with nobody,
// they wait unassigned instead of staying with someone who left.
func TestDeactivationReturnsAndReassigns(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "round_robin")
	ana, _ := tm.agent("ana", domain.AvailabilityOnline)
	beto, betoTok := tm.agent("beto", domain.AvailabilityOffline)
	first := tm.open(tm.QueueID)["id"].(string)
	second := tm.open(tm.QueueID)["id"].(string)
	closed := tm.open(tm.QueueID)["id"].(string)
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+closed+"/status", tm.OwnerToken,
		map[string]any{"status": "closed", "close_reason": "resolved"})
	require.Equal(t, ana, tm.assigneeOf(first))
	require.Equal(t, ana, tm.assigneeOf(second))
	tm.setAvailability(betoTok, beto, domain.AvailabilityOnline)
	tm.setCapacity(beto, 1)

	tm.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+ana, tm.OwnerToken, map[string]any{"active": false})
	require.Equal(t, beto, tm.assigneeOf(first), "the oldest goes to beto")
	require.Empty(t, tm.assigneeOf(second), "beto is full: it waits in the queue")
	require.Equal(t, ana, tm.assigneeOf(closed), "closed conversations keep who closed them")

	events := tm.assignedEvents(first)
	require.Len(t, events, 3)
	require.Equal(t, assignedEventActor{"rule", domain.StaffRotationRule}, assignedEventActor{events[1].ActorKind, events[1].ActorID})
	require.Equal(t, assignedEventActor{"rule", domain.AutoAssignRule}, assignedEventActor{events[2].ActorKind, events[2].ActorID})
}

type assignedEventActor struct{ kind, id string }

// offlineGraceTimers lists the offline-grace timers scheduled for a user.
func offlineGraceTimers(t *testing.T, a *testApp, userID string) []time.Time {
	t.Helper()
	query := `SELECT args FROM river_job WHERE kind = 'domain_timer'`
	if a.DB.Dialect() == persistence.DialectSQLite {
		query = `SELECT json(args) FROM river_job WHERE kind = 'domain_timer'` // stored as JSONB
	}
	rows, err := a.sql().Query(query)
	require.NoError(t, err)
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var raw []byte
		require.NoError(t, rows.Scan(&raw))
		var args struct {
			Kind      string    `json:"kind"`
			SubjectID string    `json:"subject_id"`
			At        time.Time `json:"at"`
		}
		require.NoError(t, json.Unmarshal(raw, &args))
		if args.Kind == string(domain.TimerOfflineGrace) && args.SubjectID == userID {
			out = append(out, args.At)
		}
	}
	require.NoError(t, rows.Err())
	return out
}

// An agent who goes offline keeps their conversations through the
// workspace's grace period: a durable timer looks again when it ends and,
// if they are still offline since then, returns them to their queues to
// be handed out again. Coming back in time keeps them.
func TestOfflinePastTheGracePeriodReturnsConversations(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "least_busy")
	ws := object(t, tm.expect(http.StatusOK, http.MethodGet, "/v1/workspace", tm.OwnerToken, nil))
	require.EqualValues(t, domain.DefaultOfflineGraceMinutes, ws["offline_grace_minutes"])
	p := problemOf(t, tm.expect(http.StatusBadRequest, http.MethodPatch, "/v1/workspace", tm.OwnerToken,
		map[string]any{"offline_grace_minutes": 0}))
	require.Equal(t, "offline_grace_minutes", p.Errors[0].Field)
	ws = object(t, tm.expect(http.StatusOK, http.MethodPatch, "/v1/workspace", tm.OwnerToken,
		map[string]any{"offline_grace_minutes": 5}))
	require.EqualValues(t, 5, ws["offline_grace_minutes"])

	ana, anaTok := tm.agent("ana", domain.AvailabilityOnline)
	conv := tm.open(tm.QueueID)["id"].(string)
	require.Equal(t, ana, tm.assigneeOf(conv))
	beto, _ := tm.agent("beto", domain.AvailabilityOnline)

	before := time.Now()
	tm.setAvailability(anaTok, ana, domain.AvailabilityOffline)
	timers := offlineGraceTimers(t, a, ana)
	require.Len(t, timers, 1)
	require.WithinDuration(t, before.Add(5*time.Minute), timers[0], 5*time.Second)
	fire := func(at time.Time) {
		require.NoError(t, a.Service.FireTimer(a.system(tm.tenant), domain.TimerOfflineGrace, ana, at))
	}

	// Fired early (another replica's clock): nothing yet, but a look again.
	fire(timers[0].Add(-time.Minute))
	require.Equal(t, ana, tm.assigneeOf(conv))
	again := offlineGraceTimers(t, a, ana)
	require.Len(t, again, 2, "it looks again when the grace ends")
	for _, at := range again {
		require.WithinDuration(t, timers[0], at, time.Millisecond, "both for the end of this period")
	}

	// Back online within the grace, then the period's timer fires: stale.
	tm.setAvailability(anaTok, ana, domain.AvailabilityOnline)
	longAgo := time.Now().Add(-time.Hour)
	fire(longAgo)
	require.Equal(t, ana, tm.assigneeOf(conv))

	// Offline again, and still offline when the grace has passed.
	tm.setAvailability(anaTok, ana, domain.AvailabilityOffline)
	require.NoError(t, a.DB.Store().SetOfflineSince(a.system(tm.tenant), ana, &longAgo))
	fire(longAgo.Add(5 * time.Minute))
	require.Equal(t, beto, tm.assigneeOf(conv), "returned to the queue and handed to beto")
	fire(longAgo.Add(5 * time.Minute)) // a second run changes nothing
	require.Equal(t, beto, tm.assigneeOf(conv))
}
