package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// firedTimer is what a test handler saw.
type firedTimer struct {
	workspaceID, subjectID string
	at                     time.Time
}

// recordTimers makes kind's handler remember every run.
func recordTimers(svc *domain.Service, kind domain.TimerKind) func() []firedTimer {
	var mu sync.Mutex
	var fired []firedTimer
	svc.HandleTimer(kind, func(ctx context.Context, subjectID string, at time.Time) error {
		p, _ := domain.PrincipalFrom(ctx)
		mu.Lock()
		defer mu.Unlock()
		fired = append(fired, firedTimer{p.WorkspaceID, subjectID, at})
		return nil
	})
	return func() []firedTimer {
		mu.Lock()
		defer mu.Unlock()
		return append([]firedTimer(nil), fired...)
	}
}

// Timers are jobs in the database: one committed with its change fires at
// its instant in whichever process runs the workers next, as the system of
// its workspace; one whose transaction rolled back never fires.
func TestTimersFireAtTheirInstantAcrossARestart(t *testing.T) {
	const kind domain.TimerKind = "test_ping"
	first := newTestApp(t)
	tn := first.bootstrap("Timer Co")
	store := first.DB.Store()
	due := time.Now().Add(1500 * time.Millisecond).UTC().Truncate(time.Microsecond)
	require.NoError(t, store.InTx(first.system(tn), func(ctx context.Context) error {
		return store.ScheduleTimer(ctx, domain.Timer{Kind: kind, SubjectID: "conv_subject", At: due})
	}))
	rolledBack := store.InTx(first.system(tn), func(ctx context.Context) error {
		if err := store.ScheduleTimer(ctx, domain.Timer{Kind: kind, SubjectID: "conv_never", At: time.Now()}); err != nil {
			return err
		}
		return domain.Errorf(domain.CodeConflict, "the change failed")
	})
	require.Error(t, rolledBack)

	// The process that scheduled it goes away before it is due; the next
	// one on the same database fires it.
	second, err := newApp(context.Background(), first.Config, first.DB, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	fired := recordTimers(second.service, kind)
	restarted := &testApp{t: t, app: second, URL: first.URL, DB: first.DB, Service: second.service, Config: first.Config}
	restarted.startJobs()
	require.Eventually(t, func() bool { return len(fired()) == 1 }, 10*time.Second, 20*time.Millisecond)
	got := fired()[0]
	require.Equal(t, firedTimer{tn.WorkspaceID, "conv_subject", due}, firedTimer{got.workspaceID, got.subjectID, got.at.UTC()})
	require.False(t, time.Now().Before(due), "fired before its instant")
	time.Sleep(300 * time.Millisecond)
	require.Len(t, fired(), 1, "once, and never the rolled-back one")
}

// A timer of a kind no handler knows is an error (the job retries and is
// eventually dropped), and only the system may fire timers.
func TestFireTimerRefusesUnknownKindsAndCallers(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Timer Refusals Co")
	err := a.Service.FireTimer(a.system(tn), "no_such_timer", "conv_x", time.Now())
	require.Equal(t, domain.CodeNotFound, domain.ErrorCode(err))
	user := domain.WithPrincipal(context.Background(), domain.Principal{WorkspaceID: tn.WorkspaceID,
		UserID: tn.OwnerID, Role: domain.RoleOwner})
	err = a.Service.FireTimer(user, "no_such_timer", "conv_x", time.Now())
	require.Equal(t, domain.CodeForbidden, domain.ErrorCode(err))
}

// Every event names who caused it: the user behind a token, the API key of
// an integration, or the system for what WhatsApp delivered.
func TestEventsNameTheirActor(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Actor Co")
	a.channel(tn, fakeNumberID)
	require.Equal(t, 200, a.deliver(textDelivery(fakeNumberID, "wamid.actor", "16505551234")).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	conv := page.Items[0]
	require.Equal(t, 200, a.do("POST", "/v1/conversations/"+conv.ID+"/claim", tn.OwnerToken, nil).Status)
	tag := idOf(t, a.do("POST", "/v1/tags", tn.OwnerToken, map[string]any{"name": "vip"}))
	res := a.do("PUT", "/v1/conversations/"+conv.ID+"/tags/"+tag, tn.APIKey, nil)
	require.Equal(t, 200, res.Status, string(res.Body))

	actors := map[string][2]string{}
	rows, err := a.sql().Query("SELECT type, actor_kind, actor_id FROM events WHERE subject_id = $1", conv.ID)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var typ, kind, id string
		require.NoError(t, rows.Scan(&typ, &kind, &id))
		actors[typ] = [2]string{kind, id}
	}
	require.NoError(t, rows.Err())
	require.Equal(t, [2]string{"system", ""}, actors[domain.EventConversationCreated])
	require.Equal(t, [2]string{"user", tn.OwnerID}, actors[domain.EventConversationAssigned])
	require.Equal(t, "api_key", actors[domain.EventConversationTagged][0])
	require.NotEmpty(t, actors[domain.EventConversationTagged][1])
}
