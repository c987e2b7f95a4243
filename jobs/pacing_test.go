package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newTestPairPacer(burst int) (*pairPacer, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	p := newPairPacer(6*time.Second, burst)
	p.now = clock.now
	return p, clock
}

// A customer gets a burst at once, then one message per interval; another
// customer of the same number, or the same customer on another number, is
// not held back.
func TestPairPacerBurstsThenSpacesOneCustomer(t *testing.T) {
	p, clock := newTestPairPacer(3)
	for i := range 3 {
		require.Zero(t, p.take("pn1", "5215512345678"), "message %d of the burst is free", i+1)
	}
	require.Equal(t, 6*time.Second, p.take("pn1", "5215512345678"), "past the burst the customer waits an interval")
	require.Equal(t, 6*time.Second, p.take("pn1", "5215512345678"), "a snoozed send did not spend the budget")
	require.Zero(t, p.take("pn1", "5491122334455"), "another customer is not held back")
	require.Zero(t, p.take("pn2", "5215512345678"), "the same customer on another number is not held back")

	clock.advance(6 * time.Second)
	require.Zero(t, p.take("pn1", "5215512345678"), "one message per interval")
	require.Equal(t, 6*time.Second, p.take("pn1", "5215512345678"))
	clock.advance(5900 * time.Millisecond)
	require.InDelta(t, 100*time.Millisecond, p.take("pn1", "5215512345678"), float64(time.Millisecond), "a short wait is spent in place")
	require.InDelta(t, 6100*time.Millisecond, p.take("pn1", "5215512345678"), float64(time.Millisecond), "after the one waited for in place")
}

// Meta's 131056 means its bucket is emptier than ours: the next message to
// that customer waits a full interval, whatever our bucket held.
func TestPairPacerPenaltyEmptiesTheBudget(t *testing.T) {
	p, clock := newTestPairPacer(45)
	require.Zero(t, p.take("pn1", "5215512345678"))
	p.penalise("pn1", "5215512345678")
	require.Equal(t, 6*time.Second, p.take("pn1", "5215512345678"))
	require.Zero(t, p.take("pn1", "5491122334455"), "only that customer is penalised")
	clock.advance(6 * time.Second)
	require.Zero(t, p.take("pn1", "5215512345678"))
}

// Idle customers' buckets are dropped once the map is full, so memory is
// bounded; a busy customer keeps its (partly spent) budget.
func TestPairPacerForgetsIdleCustomers(t *testing.T) {
	p, clock := newTestPairPacer(2)
	p.maxPairs = 3
	p.take("pn1", "busy")
	p.take("pn1", "busy")
	p.take("pn1", "idle")
	clock.advance(6 * time.Second)
	p.take("pn1", "recent")
	clock.advance(time.Second) // idle has refilled; busy and recent have not
	p.take("pn1", "new")       // the map is full: full buckets go
	require.Len(t, p.pairs, 3)
	require.NotContains(t, p.pairs, "pn1|idle")
	require.Contains(t, p.pairs, "pn1|busy")
	require.Contains(t, p.pairs, "pn1|recent")
}
