// Package slaclock computes a conversation's SLA clocks: when each target
// (first response, next response, resolution) is due, when it warns, and
// where it stands at a moment. Time is counted in business hours (a nil
// schedule is always open). It is pure: no clock, no storage.
package slaclock

import (
	"time"

	"github.com/centralita/centralita/domain/businesshours"
)

// Target is one measured promise.
type Target string

const (
	FirstResponse Target = "first_response"
	NextResponse  Target = "next_response"
	Resolution    Target = "resolution"
)

// State is where a clock (or a conversation) stands.
type State string

const (
	OnTrack  State = "on_track"
	Warning  State = "warning"
	Breached State = "breached"
	Met      State = "met"
)

// rank orders states from best to worst for running clocks.
var rank = map[State]int{Met: 0, OnTrack: 1, Warning: 2, Breached: 3}

// Policy holds the targets (0 = not measured) and the share of a target
// after which it warns.
type Policy struct {
	FirstResponse time.Duration
	NextResponse  time.Duration
	Resolution    time.Duration
	WarningRatio  float64
}

// Facts are the instants of a conversation the clocks read.
type Facts struct {
	// Created starts the first-response clock (a conversation a customer
	// opens is created by their first message) and the resolution clock.
	Created time.Time
	// FirstReply is the first human reply: it meets the first response.
	FirstReply *time.Time
	// AwaitingSince is the customer's first message after the last human
	// reply, not answered yet; it starts the next-response clock.
	AwaitingSince *time.Time
	// Closed meets the resolution, and stops the response clocks still
	// running: a closed conversation waits for nobody.
	Closed *time.Time
}

// Clock is one target's clock.
type Clock struct {
	Target Target
	Start  time.Time
	// WarnAt and DueAt are zero when the schedule never opens enough.
	WarnAt time.Time
	DueAt  time.Time
	// StoppedAt is when the clock stopped (met, or the conversation closed).
	StoppedAt *time.Time
	State     State
}

// Running reports whether the clock still counts.
func (c Clock) Running() bool { return c.StoppedAt == nil }

// Result is every measured clock and the conversation's overall state: the
// worst state of its running clocks (a late reply leaves its breach in the
// past, and the conversation is judged by what is still open), or met when
// none is running.
type Result struct {
	Clocks []Clock
	State  State
}

// Clock returns the clock of a target, if measured.
func (r Result) Clock(t Target) (Clock, bool) {
	for _, c := range r.Clocks {
		if c.Target == t {
			return c, true
		}
	}
	return Clock{}, false
}

// Compute measures every target of the policy at now.
func Compute(p Policy, sched *businesshours.Schedule, f Facts, now time.Time) Result {
	var clocks []Clock
	add := func(t Target, target time.Duration, start time.Time, stop *time.Time) {
		if target <= 0 {
			return
		}
		if f.Closed != nil && (stop == nil || f.Closed.Before(*stop)) {
			stop = f.Closed
		}
		c := Clock{Target: t, Start: start, StoppedAt: stop}
		warnAfter := time.Duration(float64(target) * p.WarningRatio)
		c.WarnAt, _ = addBusiness(sched, start, warnAfter)
		c.DueAt, _ = addBusiness(sched, start, target)
		c.State = state(c, now)
		clocks = append(clocks, c)
	}
	add(FirstResponse, p.FirstResponse, f.Created, f.FirstReply)
	if f.FirstReply != nil && f.AwaitingSince != nil {
		add(NextResponse, p.NextResponse, *f.AwaitingSince, nil)
	}
	add(Resolution, p.Resolution, f.Created, f.Closed)
	overall := Met
	for _, c := range clocks {
		if c.Running() && rank[c.State] > rank[overall] {
			overall = c.State
		}
	}
	return Result{Clocks: clocks, State: overall}
}

// state is a clock's standing at now: a stopped clock met its target if it
// stopped by the due time and breached it otherwise.
func state(c Clock, now time.Time) State {
	if c.DueAt.IsZero() { // never due: nothing can be late
		if c.StoppedAt != nil {
			return Met
		}
		return OnTrack
	}
	if c.StoppedAt != nil {
		if c.StoppedAt.After(c.DueAt) {
			return Breached
		}
		return Met
	}
	switch {
	case !now.Before(c.DueAt):
		return Breached
	case !now.Before(c.WarnAt):
		return Warning
	}
	return OnTrack
}

// addBusiness is the instant d of business time after t (plain time
// without a schedule).
func addBusiness(sched *businesshours.Schedule, t time.Time, d time.Duration) (time.Time, bool) {
	if sched == nil {
		return t.Add(d), true
	}
	return sched.Add(t, d)
}
