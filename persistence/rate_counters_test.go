package persistence_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence/persistencetest"
)

func TestRateCountersAddAndReturnCounts(t *testing.T) {
	store := persistencetest.New(t).Store()
	ctx := context.Background()
	window := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)

	counts, err := store.AddToRateCounters(ctx, window, []domain.RateHit{{Subject: "key:a", Amount: 1}, {Subject: "ws:w", Amount: 1}})
	must(t, err)
	if counts["key:a"] != 1 || counts["ws:w"] != 1 {
		t.Fatalf("first hit: %v", counts)
	}
	counts, err = store.AddToRateCounters(ctx, window, []domain.RateHit{{Subject: "key:b", Amount: 1}, {Subject: "ws:w", Amount: 1}})
	must(t, err)
	if counts["key:b"] != 1 || counts["ws:w"] != 2 || len(counts) != 2 {
		t.Fatalf("second key, same workspace: %v", counts)
	}
	counts, err = store.AddToRateCounters(ctx, window, []domain.RateHit{{Subject: "cost:key:a", Amount: 250}})
	must(t, err)
	counts, err = store.AddToRateCounters(ctx, window, []domain.RateHit{{Subject: "cost:key:a", Amount: 40}})
	must(t, err)
	if counts["cost:key:a"] != 290 {
		t.Fatalf("amounts add up: %v", counts)
	}
	// The next window starts from zero.
	counts, err = store.AddToRateCounters(ctx, window.Add(time.Minute), []domain.RateHit{{Subject: "ws:w", Amount: 1}})
	must(t, err)
	if counts["ws:w"] != 1 {
		t.Fatalf("next window: %v", counts)
	}

	pruned, err := store.PruneRateCounters(ctx, window.Add(time.Minute))
	must(t, err)
	if pruned != 4 {
		t.Fatalf("pruned %d counters of the old window, want 4", pruned)
	}
	counts, err = store.AddToRateCounters(ctx, window.Add(time.Minute), []domain.RateHit{{Subject: "ws:w", Amount: 1}})
	must(t, err)
	if counts["ws:w"] != 2 {
		t.Fatalf("the current window survives pruning: %v", counts)
	}
}

// Concurrent requests lose no count: every addition lands once.
func TestRateCountersConcurrentAdditions(t *testing.T) {
	store := persistencetest.New(t).Store()
	window := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := store.AddToRateCounters(context.Background(), window,
					[]domain.RateHit{{Subject: "key:a", Amount: 1}, {Subject: "ws:w", Amount: 1}})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	counts, err := store.AddToRateCounters(context.Background(), window, []domain.RateHit{{Subject: "key:a", Amount: 0}, {Subject: "ws:w", Amount: 0}})
	must(t, err)
	if counts["key:a"] != workers*each || counts["ws:w"] != workers*each {
		t.Fatalf("got %v, want %d each", counts, workers*each)
	}
}
