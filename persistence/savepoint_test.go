package persistence_test

import (
	"context"
	"errors"
	"testing"

	"github.com/centralita/centralita/domain"
)

// Inside a transaction, a Savepoint that fails undoes its own writes only:
// what came before and after it commits with the transaction.
func TestSavepointUndoesOnlyItsOwnWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	boom := errors.New("boom")
	var kept, undone, after string
	err := e.store.InTx(ctx, func(ctx context.Context) error {
		if err := e.store.Savepoint(ctx, func(ctx context.Context) error {
			kept = e.tag(t, ctx, "kept").ID
			return nil
		}); err != nil {
			return err
		}
		err := e.store.Savepoint(ctx, func(ctx context.Context) error {
			undone = e.tag(t, ctx, "undone").ID
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Savepoint returned %v, want boom", err)
		}
		return e.store.Savepoint(ctx, func(ctx context.Context) error {
			after = e.tag(t, ctx, "after").ID
			return nil
		})
	})
	must(t, err)
	_, err = e.store.FindTag(ctx, kept)
	must(t, err)
	_, err = e.store.FindTag(ctx, after)
	must(t, err)
	_, err = e.store.FindTag(ctx, undone)
	wantCode(t, err, domain.CodeNotFound)

	// Without an open transaction it is a transaction of its own.
	err = e.store.Savepoint(ctx, func(ctx context.Context) error {
		undone = e.tag(t, ctx, "alone").ID
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Savepoint returned %v, want boom", err)
	}
	_, err = e.store.FindTag(ctx, undone)
	wantCode(t, err, domain.CodeNotFound)
}
