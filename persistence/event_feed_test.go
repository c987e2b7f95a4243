package persistence_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

func appendTestEvent(t *testing.T, e *env, ctx context.Context, typ string) *domain.Event {
	t.Helper()
	ev := &domain.Event{ID: domain.NewID(domain.PrefixEvent), Type: typ, Actor: domain.Actor{Kind: domain.ActorSystem},
		Payload: map[string]any{"n": typ}, CreatedAt: time.Now()}
	must(t, e.store.AppendEvent(ctx, ev))
	return ev
}

func feedIDs(t *testing.T, e *env, ctx context.Context, q domain.EventFeedQuery) ([]string, domain.EventPosition) {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	events, err := e.store.ListEventsAfter(ctx, q)
	must(t, err)
	ids := make([]string, len(events))
	last := q.After
	for i, ev := range events {
		ids[i] = ev.ID
		if !ev.Position.After(last) {
			t.Fatalf("feed out of order: %v after %v", ev.Position, last)
		}
		last = ev.Position
	}
	return ids, last
}

// waitFeed reads the feed until it holds want events: on Postgres a
// transaction still open anywhere on the server (another test's) holds
// newer events back until it ends.
func waitFeed(t *testing.T, e *env, ctx context.Context, q domain.EventFeedQuery, want int) ([]string, domain.EventPosition) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ids, pos := feedIDs(t, e, ctx, q)
		if len(ids) >= want || time.Now().After(deadline) {
			return ids, pos
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEventFeedResumesFromACursorAndFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	types := []string{"test.one", "test.two"}
	one := appendTestEvent(t, e, e.a.ctx, "test.one")
	two := appendTestEvent(t, e, e.a.ctx, "test.two")
	appendTestEvent(t, e, e.b.ctx, "test.one") // another workspace's

	ids, _ := waitFeed(t, e, e.a.ctx, domain.EventFeedQuery{Types: types}, 2)
	if len(ids) != 2 || ids[0] != one.ID || ids[1] != two.ID {
		t.Fatalf("feed = %v, want [%s %s]", ids, one.ID, two.ID)
	}
	firstPage, err := e.store.ListEventsAfter(e.a.ctx, domain.EventFeedQuery{Types: types, Limit: 1})
	must(t, err)
	three := appendTestEvent(t, e, e.a.ctx, "test.one")
	ids, _ = waitFeed(t, e, e.a.ctx, domain.EventFeedQuery{After: firstPage[0].Position, Types: types}, 2)
	if len(ids) != 2 || ids[0] != two.ID || ids[1] != three.ID {
		t.Fatalf("feed after the first = %v, want [%s %s]", ids, two.ID, three.ID)
	}
	ids, _ = feedIDs(t, e, e.a.ctx, domain.EventFeedQuery{Types: []string{"test.two"}})
	if len(ids) != 1 || ids[0] != two.ID {
		t.Fatalf("feed of test.two = %v", ids)
	}
}

// A transaction that began first but commits last must not land behind a
// position a reader already has: the feed holds later events back until
// every older transaction has ended, then shows them in transaction order.
func TestEventFeedNeverSkipsALateCommit(t *testing.T) {
	t.Parallel()
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("SQLite commits one writer at a time")
	}
	e := newEnv(t)
	types := []string{"test.early", "test.late"}
	early, release := make(chan string), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := e.store.InTx(e.a.ctx, func(ctx context.Context) error {
			early <- appendTestEvent(t, e, ctx, "test.early").ID
			<-release
			return nil
		})
		if err != nil {
			t.Errorf("early transaction: %v", err)
		}
	}()
	earlyID := <-early
	late := appendTestEvent(t, e, e.a.ctx, "test.late") // commits while the early one is open

	ids, pos := feedIDs(t, e, e.a.ctx, domain.EventFeedQuery{Types: types})
	if len(ids) != 0 {
		t.Fatalf("feed showed %v while an older transaction was open", ids)
	}
	close(release)
	wg.Wait()
	ids, _ = waitFeed(t, e, e.a.ctx, domain.EventFeedQuery{After: pos, Types: types}, 2)
	if len(ids) != 2 || ids[0] != earlyID || ids[1] != late.ID {
		t.Fatalf("feed = %v, want [%s %s]", ids, earlyID, late.ID)
	}
}

// The sink hears of a transaction's events after it commits, never of a
// rolled-back transaction's or a rolled-back savepoint's.
func TestEventSinkHearsOnlyCommittedEvents(t *testing.T) {
	t.Parallel()
	db := persistencetest.New(t)
	e := &env{db: db, store: db.Store(), svc: domain.NewService(db.Store(), plainHasher{}, domain.Options{})}
	e.a = e.bootstrap(t, "Acme")
	var mu sync.Mutex
	var heard []string
	e.store.AddEventSink(func(events []*domain.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, ev := range events {
			heard = append(heard, ev.Type)
		}
	})
	boom := errors.New("boom")
	err := e.store.InTx(e.a.ctx, func(ctx context.Context) error {
		appendTestEvent(t, e, ctx, "test.kept")
		_ = e.store.Savepoint(ctx, func(ctx context.Context) error {
			appendTestEvent(t, e, ctx, "test.undone")
			return boom
		})
		mu.Lock()
		defer mu.Unlock()
		if len(heard) != 0 {
			t.Errorf("sink heard %v before the commit", heard)
		}
		return nil
	})
	must(t, err)
	_ = e.store.InTx(e.a.ctx, func(ctx context.Context) error {
		appendTestEvent(t, e, ctx, "test.rolled_back")
		return boom
	})
	appendTestEvent(t, e, e.a.ctx, "test.alone")
	mu.Lock()
	defer mu.Unlock()
	if len(heard) != 2 || heard[0] != "test.kept" || heard[1] != "test.alone" {
		t.Fatalf("sink heard %v, want [test.kept test.alone]", heard)
	}
}
