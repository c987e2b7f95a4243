package domain

import (
	"sync"
	"time"
)

// throttle counts attempts per key in fixed windows. An attempt is counted
// (take) before the slow password check runs, under the same lock as the
// limit check, so concurrent guesses cannot all slip through. It is per
// process: a fleet of N replicas allows N times the budget, which still
// defeats online guessing; a shared limiter can replace it later.
type throttle struct {
	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	count int
	reset time.Time
}

func newThrottle() *throttle { return &throttle{windows: map[string]*window{}} }

// take counts one attempt for key unless the key has used its budget; then
// it reports false and how long until the window ends.
func (t *throttle) take(key string, limit int, every time.Duration, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.windows[key]
	if w == nil || !now.Before(w.reset) {
		w = &window{reset: now.Add(every)}
		t.windows[key] = w
		t.sweep(now)
	}
	if w.count >= limit {
		return false, w.reset.Sub(now)
	}
	w.count++
	return true, 0
}

// refund gives back one attempt (a success that should not count).
func (t *throttle) refund(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := t.windows[key]; w != nil && w.count > 0 {
		w.count--
	}
}

// clear forgets a key (a successful login resets its email's budget).
func (t *throttle) clear(key string) {
	t.mu.Lock()
	delete(t.windows, key)
	t.mu.Unlock()
}

// sweep bounds memory under a spray of keys; called with mu held.
func (t *throttle) sweep(now time.Time) {
	if len(t.windows) <= 100_000 {
		return
	}
	for k, w := range t.windows {
		if !now.Before(w.reset) {
			delete(t.windows, k)
		}
	}
}
