package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// Writers commit events concurrently, holding their transactions open for
// varying times so that on Postgres transactions commit out of the order
// they began (and got their ids) in, while an integrator polls GET
// /v1/events from its last cursor in small pages. The poller sees every
// event exactly once, and its sequence is the feed's stable order: read
// again from the start, the feed lists the same events in the same order.
func TestFeedPollerSeesEveryEventOnceInAStableOrderWhileTransactionsCommitOutOfOrder(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Feed Order Co")
	store := a.DB.Store()
	const writers, each = 6, 15
	written := make(chan string, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := store.InTx(a.system(tn), func(ctx context.Context) error {
					e := &domain.Event{ID: domain.NewID(domain.PrefixEvent), Type: domain.EventTagCreated,
						Actor: domain.Actor{Kind: domain.ActorSystem}, SubjectID: fmt.Sprintf("w%d-%d", w, i),
						Payload: map[string]any{}, CreatedAt: time.Now()}
					if err := store.AppendEvent(ctx, e); err != nil {
						return err
					}
					// Stay open a little, so later transactions commit first.
					time.Sleep(time.Duration(rand.IntN(4)) * time.Millisecond)
					written <- e.ID
					return nil
				})
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		}()
	}
	writersDone := make(chan struct{})
	go func() { wg.Wait(); close(writersDone) }()

	// The poller: small pages from its last cursor, as an integrator would.
	seen := map[string]int{}
	var order []string
	cursor := ""
	poll := func() {
		page := a.feedPage(tn.APIKey, cursor, domain.EventTagCreated, 7)
		for _, e := range page.Data {
			seen[e.ID]++
			order = append(order, e.ID)
		}
		cursor = *page.NextCursor
	}
	for done := false; !done; {
		select {
		case <-writersDone:
			done = true
		default:
			poll()
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(order) < writers*each && time.Now().Before(deadline) {
		poll()
		time.Sleep(20 * time.Millisecond)
	}
	close(written)
	want := map[string]bool{}
	for id := range written {
		want[id] = true
	}
	require.Len(t, want, writers*each)
	for id := range want {
		require.Equal(t, 1, seen[id], "event %s seen %d times", id, seen[id])
	}
	require.Len(t, order, writers*each, "nothing but the written events, each once")

	again, _ := a.drainFeedOf(tn.APIKey, domain.EventTagCreated)
	require.Equal(t, order, again, "the feed's order is stable")
}

// drainFeedOf reads the whole feed of some types from the start, in pages
// of 50, and returns the ids in order.
func (a *testApp) drainFeedOf(token, types string) ([]string, string) {
	a.t.Helper()
	var ids []string
	cursor := ""
	for {
		page := a.feedPage(token, cursor, types, 50)
		for _, e := range page.Data {
			ids = append(ids, e.ID)
		}
		cursor = *page.NextCursor
		if !page.HasMore {
			return ids, cursor
		}
	}
}
