package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
)

// A database that cannot serve us now (the statement's deadline passed, the
// pool is closed, SQLite's file turned read-only) answers unavailable, so
// REST says 503 and Meta retries a webhook, rather than internal (T12).
func TestOutagesAreUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	expired, cancel := context.WithDeadline(e.a.ctx, time.Now().Add(-time.Second))
	defer cancel()
	_, err := e.store.FindChannels(expired)
	wantCode(t, err, domain.CodeUnavailable)
	// A transaction that cannot begin is the same outage.
	err = e.store.InTx(expired, func(ctx context.Context) error { return nil })
	wantCode(t, err, domain.CodeUnavailable)

	if e.db.Dialect() == persistence.DialectSQLite {
		// One connection: the pragma applies to every statement after it.
		_, err := e.db.SQLDB().Exec("PRAGMA query_only = 1")
		must(t, err)
		err = e.store.SaveDeadLetter(context.Background(), []byte("x"), "test", time.Now())
		wantCode(t, err, domain.CodeUnavailable)
		_, err = e.db.SQLDB().Exec("PRAGMA query_only = 0")
		must(t, err)
	}
	// Refusals of the statement itself stay what they were.
	_, err = e.store.FindChannel(e.a.ctx, "chn_missing")
	wantCode(t, err, domain.CodeNotFound)

	must(t, e.db.Close())
	_, err = e.store.FindChannels(e.a.ctx)
	wantCode(t, err, domain.CodeUnavailable)
	if domain.ErrorMessage(err) != "the database is unavailable; retry later" {
		t.Fatalf("message %q", domain.ErrorMessage(err))
	}
}
