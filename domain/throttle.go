package domain

import (
	"sync"
	"time"
)

// throttle counts failures per key in fixed windows. It is per process: a
// fleet of N replicas allows N times the budget, which still defeats online
// guessing; a shared limiter can replace it later.
type throttle struct {
	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	count int
	reset time.Time
}

func newThrottle() *throttle { return &throttle{windows: map[string]*window{}} }

// blocked reports whether key has used its budget, and for how long.
func (t *throttle) blocked(key string, limit int, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.windows[key]
	if w == nil || now.After(w.reset) {
		return false, 0
	}
	if w.count >= limit {
		return true, w.reset.Sub(now)
	}
	return false, 0
}

func (t *throttle) fail(key string, every time.Duration, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.windows[key]
	if w == nil || now.After(w.reset) {
		w = &window{reset: now.Add(every)}
		t.windows[key] = w
	}
	w.count++
	if len(t.windows) > 100_000 { // bound memory under a spray of keys
		for k, v := range t.windows {
			if now.After(v.reset) {
				delete(t.windows, k)
			}
		}
	}
}

func (t *throttle) clear(key string) {
	t.mu.Lock()
	delete(t.windows, key)
	t.mu.Unlock()
}
