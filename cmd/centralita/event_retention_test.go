package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// ageEvents adds n events to the workspace and backdates them by age.
func (a *testApp) ageEvents(tn tenant, n int, age time.Duration) {
	a.t.Helper()
	store := a.DB.Store()
	at := time.Now().UTC().Add(-age)
	require.NoError(a.t, store.InTx(a.system(tn), func(ctx context.Context) error {
		for range n {
			err := store.AppendEvent(ctx, &domain.Event{ID: domain.NewID(domain.PrefixEvent), Type: domain.EventTagUpdated,
				Actor: domain.Actor{Kind: domain.ActorSystem}, SubjectID: "aged", Payload: map[string]any{}, CreatedAt: at})
			if err != nil {
				return err
			}
		}
		return nil
	}))
}

func (a *testApp) eventsWhere(workspaceID, subject string) int {
	a.t.Helper()
	var n int
	require.NoError(a.t, a.sql().QueryRow("SELECT COUNT(*) FROM events WHERE workspace_id = $1 AND subject_id = $2",
		workspaceID, subject).Scan(&n))
	return n
}

// Each workspace keeps its events event_retention_days (400 by default, at
// least 30): the housekeeping job deletes older ones, in batches, and
// leaves younger ones and other workspaces' alone.
func TestHousekeepingDeletesEventsPastTheirWorkspacesRetention(t *testing.T) {
	a := newTestApp(t)
	short, long := a.bootstrap("Short Memory"), a.bootstrap("Long Memory")
	ws := a.do(http.MethodGet, "/v1/workspace", short.OwnerToken, nil)
	require.Equal(t, http.StatusOK, ws.Status)
	require.EqualValues(t, 400, object(t, ws)["event_retention_days"], "the default")
	for _, bad := range []any{29, 0, 3651, "90"} {
		res := a.do(http.MethodPatch, "/v1/workspace", short.OwnerToken, map[string]any{"event_retention_days": bad})
		require.Equal(t, http.StatusBadRequest, res.Status, "%v: %s", bad, res.Body)
		require.Equal(t, "event_retention_days", problemOf(t, res).Errors[0].Field)
	}
	agentID, agentToken := a.member(short, "agent@short.example", domain.RoleAgent)
	require.NotEmpty(t, agentID)
	require.Equal(t, http.StatusForbidden, a.do(http.MethodPatch, "/v1/workspace", agentToken,
		map[string]any{"event_retention_days": 30}).Status)
	res := a.do(http.MethodPatch, "/v1/workspace", short.OwnerToken, map[string]any{"event_retention_days": 30})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.EqualValues(t, 30, object(t, res)["event_retention_days"])

	// Past short's 30 days but within long's 400; and young ones.
	a.ageEvents(short, 2500, 31*24*time.Hour) // more than one batch
	a.ageEvents(long, 3, 31*24*time.Hour)
	require.NoError(t, a.DB.Store().InTx(a.system(short), func(ctx context.Context) error {
		return a.DB.Store().AppendEvent(ctx, &domain.Event{ID: domain.NewID(domain.PrefixEvent), Type: domain.EventTagUpdated,
			Actor: domain.Actor{Kind: domain.ActorSystem}, SubjectID: "young", Payload: map[string]any{},
			CreatedAt: time.Now().Add(-29 * 24 * time.Hour)})
	}))

	a.startJobs()
	require.Eventually(t, func() bool { return a.eventsWhere(short.WorkspaceID, "aged") == 0 },
		30*time.Second, 50*time.Millisecond)
	require.Equal(t, 1, a.eventsWhere(short.WorkspaceID, "young"))
	require.Equal(t, 3, a.eventsWhere(long.WorkspaceID, "aged"), "another workspace keeps its own retention")
	updated := listData(t, a.rest().expect(200, "GET", "/v1/audit-log?type=workspace.updated", short.OwnerToken, nil))
	require.Len(t, updated, 1, "changing retention is itself audited")
}

// Failed logins of a workspace's user are recorded, but a flood costs no
// more than the throttle lets through: refused attempts (429) record
// nothing.
func TestAFailedLoginFloodRecordsOnlyWhatTheThrottleLetsThrough(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Flooded Co")
	let, refused := 0, 0
	for range 40 {
		res := a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": "not the password"})
		switch res.Status {
		case http.StatusUnauthorized:
			let++
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("login answered %d: %s", res.Status, res.Body)
		}
	}
	require.Positive(t, refused, "the throttle refused part of the flood")
	var failed int
	require.NoError(t, a.sql().QueryRow("SELECT COUNT(*) FROM events WHERE workspace_id = $1 AND type = $2",
		tn.WorkspaceID, domain.EventLoginFailed).Scan(&failed))
	require.Equal(t, let, failed, "one event per attempt the throttle let through, none for refused ones")
}
