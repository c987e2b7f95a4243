package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

// seedEndpoint stores an endpoint of the tenant in ctx, with one attempt.
func (e *env) seedEndpoint(t *testing.T, ctx context.Context) (*domain.WebhookEndpoint, *domain.Event) {
	t.Helper()
	now := time.Now().UTC()
	ev := &domain.Event{ID: domain.NewID(domain.PrefixEvent), Type: domain.EventMessageCreated, CreatedAt: now,
		Actor: domain.Actor{Kind: domain.ActorSystem}}
	must(t, e.store.AppendEvent(ctx, ev))
	ep := &domain.WebhookEndpoint{ID: domain.NewID(domain.PrefixWebhookEndpoint), URL: "https://crm.example.com/x",
		EventTypes: []string{"*"}, Enabled: true, SealedSecret: "sealed", CreatedAt: now, UpdatedAt: now}
	must(t, e.store.InTx(ctx, func(ctx context.Context) error { return e.store.CreateWebhookEndpoint(ctx, ep) }))
	must(t, e.store.AddWebhookAttempt(ctx, &domain.WebhookDelivery{ID: domain.NewID(domain.PrefixWebhookDelivery),
		EndpointID: ep.ID, EventID: ev.ID, EventType: ev.Type, Attempt: 1, State: domain.WebhookSucceeded,
		StatusCode: 200, CreatedAt: now}))
	return ep, ev
}

// A new endpoint starts after every event already committed; another
// workspace neither reads nor changes it, nor its attempts, nor the
// events they name.
func TestWebhookStoreIsScopedAndStartsAtTheFeedsEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b, s := e.a.ctx, e.b.ctx, e.store
	ep, ev := e.seedEndpoint(t, a)
	empty := func(what string, n int, err error) {
		t.Helper()
		must(t, err)
		if n != 0 {
			t.Errorf("%s: %d rows, want none", what, n)
		}
	}
	after, err := s.ListEventsAfter(a, domain.EventFeedQuery{After: ep.Position, Limit: 10})
	must(t, err)
	if len(after) != 0 {
		t.Fatalf("a new endpoint would receive %d events committed before it", len(after))
	}

	_, err = s.FindWebhookEndpoint(b, ep.ID)
	wantCode(t, err, domain.CodeNotFound)
	list, err := s.FindWebhookEndpoints(b)
	empty("FindWebhookEndpoints", len(list), err)
	wantCode(t, s.UpdateWebhookEndpoint(b, ep), domain.CodeNotFound)
	wantCode(t, s.DeleteWebhookEndpoint(b, ep.ID), domain.CodeNotFound)
	wantCode(t, s.SetWebhookPosition(b, ep.ID, domain.EventPosition{Seq: 1}), domain.CodeNotFound)
	must(t, s.InTx(b, func(ctx context.Context) error {
		_, err := s.LockWebhookEndpoint(ctx, ep.ID)
		wantCode(t, err, domain.CodeNotFound)
		return nil
	}))
	n, err := s.CountWebhookAttempts(b, ep.ID, ev.ID, "")
	empty("CountWebhookAttempts", n, err)
	page, err := s.FindWebhookDeliveries(b, ep.ID, domain.PageQuery{Limit: 10})
	empty("FindWebhookDeliveries", len(page.Items), err)
	_, err = s.FindEventForWebhook(b, ev.ID)
	wantCode(t, err, domain.CodeNotFound)
	replay, err := s.EventsForReplay(b, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), 100)
	must(t, err)
	for _, got := range replay {
		if got.WorkspaceID != e.b.ws.ID || got.ID == ev.ID {
			t.Fatalf("B's replay range holds %s of workspace %s", got.ID, got.WorkspaceID)
		}
	}
	err = s.AddWebhookAttempt(b, &domain.WebhookDelivery{ID: domain.NewID(domain.PrefixWebhookDelivery),
		WorkspaceID: e.a.ws.ID, EndpointID: ep.ID, EventID: ev.ID, State: domain.WebhookSucceeded, CreatedAt: time.Now()})
	wantCode(t, err, domain.CodeForbidden)

	// Only the dispatcher's sweep crosses workspaces, and it names only
	// workspaces with an enabled endpoint.
	ws, err := s.WebhookWorkspaces(context.Background())
	must(t, err)
	if len(ws) != 1 || ws[0] != e.a.ws.ID {
		t.Fatalf("WebhookWorkspaces = %v, want only A", ws)
	}
	disabled, err := s.DisableWebhookEndpoint(b, ep.ID, "B's reason", time.Now())
	if err != nil || disabled {
		t.Fatalf("B disabled A's endpoint: %v %v", disabled, err)
	}
	must(t, s.SetWebhookFailingSince(b, ep.ID, &ep.CreatedAt))
	disabled, err = s.DisableWebhookEndpoint(a, ep.ID, "gone", time.Now())
	must(t, err)
	again, err := s.DisableWebhookEndpoint(a, ep.ID, "gone again", time.Now())
	must(t, err)
	if !disabled || again {
		t.Fatalf("disabling reported %v, then %v; want true, then false", disabled, again)
	}
	got, err := s.FindWebhookEndpoint(a, ep.ID)
	must(t, err)
	if got.Enabled || got.DisabledReason != "gone" || got.FailingSince != nil {
		t.Fatalf("A's endpoint: %+v", got)
	}
	ws, err = s.WebhookWorkspaces(context.Background())
	empty("WebhookWorkspaces with every endpoint disabled", len(ws), err)

	// A's rows are intact; deleting the endpoint takes its log with it.
	page, err = s.FindWebhookDeliveries(a, ep.ID, domain.PageQuery{Limit: 10})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].StatusCode != 200 {
		t.Fatalf("A's log changed: %+v", page.Items)
	}
	must(t, s.DeleteWebhookEndpoint(a, ep.ID))
	n, err = s.CountWebhookAttempts(a, ep.ID, ev.ID, "")
	empty("attempts of a deleted endpoint", n, err)
}

func TestWebhookStoreFailsClosedWithoutAPrincipal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ep, ev := e.seedEndpoint(t, e.a.ctx)
	ctx, s := context.Background(), e.store
	for name, call := range map[string]func() error{
		"CreateWebhookEndpoint": func() error { return s.CreateWebhookEndpoint(ctx, &domain.WebhookEndpoint{ID: "whe_x"}) },
		"FindWebhookEndpoint":   func() error { _, err := s.FindWebhookEndpoint(ctx, ep.ID); return err },
		"FindWebhookEndpoints":  func() error { _, err := s.FindWebhookEndpoints(ctx); return err },
		"UpdateWebhookEndpoint": func() error { return s.UpdateWebhookEndpoint(ctx, ep) },
		"DeleteWebhookEndpoint": func() error { return s.DeleteWebhookEndpoint(ctx, ep.ID) },
		"SetWebhookPosition":    func() error { return s.SetWebhookPosition(ctx, ep.ID, domain.EventPosition{}) },
		"CountWebhookAttempts":  func() error { _, err := s.CountWebhookAttempts(ctx, ep.ID, ev.ID, ""); return err },
		"AddWebhookAttempt":     func() error { return s.AddWebhookAttempt(ctx, &domain.WebhookDelivery{ID: "whd_x"}) },
		"FindWebhookDeliveries": func() error {
			_, err := s.FindWebhookDeliveries(ctx, ep.ID, domain.PageQuery{Limit: 1})
			return err
		},
		"FindEventForWebhook": func() error { _, err := s.FindEventForWebhook(ctx, ev.ID); return err },
		"EventsForReplay": func() error {
			_, err := s.EventsForReplay(ctx, time.Now().Add(-time.Hour), time.Now(), 1)
			return err
		},
		"EnqueueWebhookDelivery": func() error { return s.EnqueueWebhookDelivery(ctx, domain.WebhookJob{}) },
		"SetWebhookFailingSince": func() error { return s.SetWebhookFailingSince(ctx, ep.ID, nil) },
		"DisableWebhookEndpoint": func() error {
			_, err := s.DisableWebhookEndpoint(ctx, ep.ID, "x", time.Now())
			return err
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s succeeded without a principal", name)
		}
	}
}

// Housekeeping prunes old attempts in every workspace (on Postgres through
// the cross-tenant policy), and only old ones.
func TestPruneWebhookDeliveriesSpansWorkspaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	epA, _ := e.seedEndpoint(t, e.a.ctx)
	epB, _ := e.seedEndpoint(t, e.b.ctx)
	n, err := e.store.PruneWebhookDeliveries(context.Background(), time.Now().Add(-time.Hour))
	must(t, err)
	if n != 0 {
		t.Fatalf("pruned %d recent attempts", n)
	}
	n, err = e.store.PruneWebhookDeliveries(context.Background(), time.Now().Add(time.Hour))
	must(t, err)
	if n != 2 {
		t.Fatalf("pruned %d attempts, want A's and B's", n)
	}
	for _, c := range []struct {
		ctx context.Context
		id  string
	}{{e.a.ctx, epA.ID}, {e.b.ctx, epB.ID}} {
		page, err := e.store.FindWebhookDeliveries(c.ctx, c.id, domain.PageQuery{Limit: 10})
		must(t, err)
		if len(page.Items) != 0 {
			t.Fatalf("attempts left: %+v", page.Items)
		}
	}
}
