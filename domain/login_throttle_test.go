package domain

import (
	"testing"
	"time"
)

func TestPairDelayDoublesAfterFreeFailuresUpToCap(t *testing.T) {
	for _, c := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {2, 0},
		{3, time.Second}, {4, 2 * time.Second}, {5, 4 * time.Second}, {10, 128 * time.Second},
		{11, 256 * time.Second}, {12, 5 * time.Minute}, {60, 5 * time.Minute},
	} {
		if got := pairDelay(c.failures); got != c.want {
			t.Errorf("pairDelay(%d) = %v, want %v", c.failures, got, c.want)
		}
	}
}

// Each step runs at an offset of the injected clock and says whether the
// attempt is let through and, if not, the wait it is told.
func TestLoginThrottleSchedule(t *testing.T) {
	const ceiling, forget = 100, 15 * time.Minute
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	type step struct {
		at       time.Duration
		ip       string
		ok       bool
		wait     time.Duration
		succeeds bool
	}
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"free failures, then a wait that doubles as it is honoured", []step{
			{0, "a", true, 0, false}, {0, "a", true, 0, false}, {0, "a", true, 0, false},
			{500 * time.Millisecond, "a", false, 2 * time.Second, false},
			{3 * time.Second, "a", true, 0, false},
			{5 * time.Second, "a", false, 8 * time.Second, false},
		}},
		{"waiting out the delay lets one attempt through", []step{
			{0, "a", true, 0, false}, {0, "a", true, 0, false}, {0, "a", true, 0, false},
			{time.Second, "a", true, 0, false},
			{time.Second, "a", false, 4 * time.Second, false},
		}},
		{"another source is not slowed", []step{
			{0, "a", true, 0, false}, {0, "a", true, 0, false}, {0, "a", true, 0, false},
			{0, "a", false, 2 * time.Second, false},
			{0, "b", true, 0, true},
		}},
		{"success resets the pair", []step{
			{0, "a", true, 0, false}, {0, "a", true, 0, false}, {0, "a", true, 0, true},
			{0, "a", true, 0, false}, {0, "a", true, 0, false}, {0, "a", true, 0, false},
		}},
		{"a quiet pair is forgotten", []step{
			{0, "a", true, 0, false}, {0, "a", true, 0, false}, {0, "a", true, 0, false},
			{0, "a", false, 2 * time.Second, false},
			{forget + 2*time.Second, "a", true, 0, false},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lt := newLoginThrottle()
			for i, s := range c.steps {
				ok, wait := lt.take("owner@example.com", s.ip, ceiling, forget, start.Add(s.at))
				if ok != s.ok || wait != s.wait {
					t.Fatalf("step %d: got (%v, %v), want (%v, %v)", i, ok, wait, s.ok, s.wait)
				}
				if s.succeeds {
					lt.succeeded("owner@example.com", s.ip)
				}
			}
		})
	}
}

// Past the email's ceiling, sources that failed for it are refused for the
// rest of the window, and a source that has not failed still gets a try.
func TestLoginThrottleEmailCeilingSparesCleanSources(t *testing.T) {
	const ceiling, forget = 6, 15 * time.Minute
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	lt := newLoginThrottle()
	for _, ip := range []string{"a", "a", "b", "b", "c", "c"} {
		if ok, _ := lt.take("owner@example.com", ip, ceiling, forget, now); !ok {
			t.Fatalf("failure from %s within the ceiling was refused", ip)
		}
	}
	if ok, wait := lt.take("owner@example.com", "a", ceiling, forget, now); ok || wait != forget {
		t.Fatalf("a source that failed, past the ceiling: got (%v, %v), want refused for %v", ok, wait, forget)
	}
	if ok, _ := lt.take("owner@example.com", "owner-laptop", ceiling, forget, now); !ok {
		t.Fatal("a clean source was refused past the ceiling")
	}
	if ok, _ := lt.take("owner@example.com", "owner-laptop", ceiling, forget, now); ok {
		t.Fatal("a clean source got a second try past the ceiling")
	}
	if ok, _ := lt.take("other@example.com", "a", ceiling, forget, now); !ok {
		t.Fatal("another email was refused")
	}
}
