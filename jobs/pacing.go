package jobs

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer keeps each number under its messages-per-second budget, so our own
// speed never earns a 130429 from Meta.
type pacer struct {
	mu     sync.Mutex
	rate   float64
	limits map[string]*rate.Limiter
}

func newPacer(perSecond float64) *pacer {
	return &pacer{rate: perSecond, limits: map[string]*rate.Limiter{}}
}

func (p *pacer) wait(ctx context.Context, phoneNumberID string) error {
	p.mu.Lock()
	l := p.limits[phoneNumberID]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(p.rate), int(max(1, p.rate)))
		p.limits[phoneNumberID] = l
	}
	p.mu.Unlock()
	return l.Wait(ctx)
}

// Meta's pair limit: one message every 6 s from a number to one customer,
// with bursts of up to 45 borrowed from the following minutes; beyond it
// Meta answers 131056. A token bucket of that shape per (number, customer)
// keeps an agent's or a bot's run of messages inside it.
const (
	DefaultPairInterval = 6 * time.Second
	DefaultPairBurst    = 45
)

// pairPacer is the per-recipient budget. A send that would have to wait
// longer than a moment is snoozed instead, so a chatty conversation never
// holds a worker that other customers' messages need.
type pairPacer struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	maxPairs int
	pairs    map[string]*rate.Limiter
	now      func() time.Time
}

// pairWaitInPlace is the longest a send waits in its worker for its
// recipient's budget; longer waits snooze the job.
const pairWaitInPlace = 250 * time.Millisecond

func newPairPacer(interval time.Duration, burst int) *pairPacer {
	return &pairPacer{every: rate.Every(interval), burst: max(1, burst), maxPairs: 10_000,
		pairs: map[string]*rate.Limiter{}, now: time.Now}
}

// take spends one message of the pair's budget. It returns how long the
// caller must wait first; a wait above pairWaitInPlace is not spent (the
// job snoozes for it and asks again).
func (p *pairPacer) take(phoneNumberID, waID string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	r := p.limiter(phoneNumberID, waID, now).ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d > pairWaitInPlace {
		r.CancelAt(now)
	}
	return d
}

// penalise empties a pair's budget after Meta said 131056: our bucket was
// fuller than Meta's (another sender on the number, a restart), so the
// next message waits a full interval.
func (p *pairPacer) penalise(phoneNumberID, waID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	l := rate.NewLimiter(p.every, p.burst)
	l.ReserveN(now, p.burst)
	p.pairs[phoneNumberID+"|"+waID] = l
}

// limiter returns the pair's bucket. The map is bounded: past maxPairs,
// buckets that have refilled completely (idle customers) are dropped,
// which loses nothing since a new bucket starts full.
func (p *pairPacer) limiter(phoneNumberID, waID string, now time.Time) *rate.Limiter {
	key := phoneNumberID + "|" + waID
	if l := p.pairs[key]; l != nil {
		return l
	}
	if len(p.pairs) >= p.maxPairs {
		for k, l := range p.pairs {
			if l.TokensAt(now) >= float64(p.burst) {
				delete(p.pairs, k)
			}
		}
	}
	l := rate.NewLimiter(p.every, p.burst)
	p.pairs[key] = l
	return l
}
