package ratelimit

import (
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	minute := time.Minute
	key := Policy{Name: "per-key", Quota: 10, Window: minute}
	ws := Policy{Name: "per-workspace", Quota: 50, Window: minute}
	// 18 s into a minute window: 42 s left.
	at := time.Date(2026, 12, 2, 9, 30, 18, 0, time.UTC)
	tests := []struct {
		name          string
		usages        []Usage
		now           time.Time
		allowed       bool
		remaining     []int64
		reset         time.Duration
		retryAfter    time.Duration
		exhausted     string
		statusesCount int
	}{
		{name: "first request", usages: []Usage{{key, 1}, {ws, 1}}, now: at, allowed: true,
			remaining: []int64{9, 49}, reset: 42 * time.Second, statusesCount: 2},
		{name: "last request of the quota", usages: []Usage{{key, 10}, {ws, 30}}, now: at, allowed: true,
			remaining: []int64{0, 20}, reset: 42 * time.Second, statusesCount: 2},
		{name: "one over the key's quota", usages: []Usage{{key, 11}, {ws, 31}}, now: at, allowed: false,
			remaining: []int64{0, 19}, reset: 42 * time.Second, retryAfter: 42 * time.Second, exhausted: "per-key", statusesCount: 2},
		{name: "workspace ceiling with the key under its quota", usages: []Usage{{key, 3}, {ws, 51}}, now: at, allowed: false,
			remaining: []int64{7, 0}, reset: 42 * time.Second, retryAfter: 42 * time.Second, exhausted: "per-workspace", statusesCount: 2},
		{name: "both exhausted names the first", usages: []Usage{{key, 12}, {ws, 60}}, now: at, allowed: false,
			remaining: []int64{0, 0}, reset: 42 * time.Second, retryAfter: 42 * time.Second, exhausted: "per-key", statusesCount: 2},
		{name: "a policy with quota 0 is off", usages: []Usage{{Policy{Name: "per-key", Window: minute}, 1000}, {ws, 2}}, now: at,
			allowed: true, remaining: []int64{48}, reset: 42 * time.Second, statusesCount: 1},
		{name: "a cost far over the quota", usages: []Usage{{Policy{Name: "graphql-cost", Quota: 100, Window: minute}, 5000}}, now: at,
			allowed: false, remaining: []int64{0}, reset: 42 * time.Second, retryAfter: 42 * time.Second, exhausted: "graphql-cost", statusesCount: 1},
		{name: "reset rounds up to a whole second", usages: []Usage{{key, 1}}, now: at.Add(300 * time.Millisecond),
			allowed: true, remaining: []int64{9}, reset: 42 * time.Second, statusesCount: 1},
		{name: "reset is never 0 at the last instant", usages: []Usage{{key, 11}}, now: at.Add(41*time.Second + 999*time.Millisecond),
			allowed: false, remaining: []int64{0}, reset: time.Second, retryAfter: time.Second, exhausted: "per-key", statusesCount: 1},
		{name: "at a window's first instant the whole window is left", usages: []Usage{{key, 1}}, now: at.Truncate(minute),
			allowed: true, remaining: []int64{9}, reset: 60 * time.Second, statusesCount: 1},
		{name: "nothing configured", usages: nil, now: at, allowed: true, statusesCount: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.usages, tc.now)
			if d.Allowed != tc.allowed || d.RetryAfter != tc.retryAfter || d.Exhausted != tc.exhausted {
				t.Fatalf("got allowed=%v retryAfter=%v exhausted=%q, want %v %v %q", d.Allowed, d.RetryAfter, d.Exhausted,
					tc.allowed, tc.retryAfter, tc.exhausted)
			}
			if len(d.Statuses) != tc.statusesCount {
				t.Fatalf("got %d statuses, want %d", len(d.Statuses), tc.statusesCount)
			}
			for i, s := range d.Statuses {
				if s.Remaining != tc.remaining[i] || s.Reset != tc.reset {
					t.Fatalf("status %d: remaining=%d reset=%v, want %d %v", i, s.Remaining, s.Reset, tc.remaining[i], tc.reset)
				}
			}
		})
	}
}

func TestWindowStart(t *testing.T) {
	tests := []struct {
		now, want time.Time
		window    time.Duration
	}{
		{time.Date(2026, 12, 2, 9, 30, 18, 500, time.UTC), time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC), time.Minute},
		{time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC), time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC), time.Minute},
		{time.Date(2026, 12, 2, 9, 30, 59, 999, time.UTC), time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC), time.Minute},
		{time.Date(2026, 12, 2, 9, 30, 18, 0, time.UTC), time.Date(2026, 12, 2, 9, 30, 10, 0, time.UTC), 10 * time.Second},
	}
	for _, tc := range tests {
		if got := WindowStart(tc.now, tc.window); !got.Equal(tc.want) {
			t.Errorf("WindowStart(%v, %v) = %v, want %v", tc.now, tc.window, got, tc.want)
		}
	}
}

func TestFields(t *testing.T) {
	statuses := []Status{
		{Policy: Policy{Name: "per-key", Quota: 600, Window: time.Minute}, Remaining: 123, Reset: 42 * time.Second},
		{Policy: Policy{Name: "per-workspace", Quota: 3000, Window: time.Minute}, Remaining: 2900, Reset: 42 * time.Second},
	}
	tests := []struct {
		name, got, want string
	}{
		{"policy", PolicyField(statuses), `"per-key";q=600;w=60, "per-workspace";q=3000;w=60`},
		{"limit", LimitField(statuses), `"per-key";r=123;t=42, "per-workspace";r=2900;t=42`},
		{"policy of one", PolicyField(statuses[:1]), `"per-key";q=600;w=60`},
		{"no policies", LimitField(nil), ``},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}
