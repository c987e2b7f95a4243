package slaclock

import (
	"testing"
	"time"

	"github.com/centralita/centralita/domain/businesshours"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(s string) *time.Time { t := at(s); return &t }

// lima works Monday to Friday 09:00-13:00 and 14:00-18:00 (UTC-5, no DST).
func lima(t *testing.T) *businesshours.Schedule {
	var shifts []businesshours.Shift
	for d := time.Monday; d <= time.Friday; d++ {
		shifts = append(shifts, businesshours.Shift{Day: d, Open: 9 * 60, Close: 13 * 60},
			businesshours.Shift{Day: d, Open: 14 * 60, Close: 18 * 60})
	}
	s, err := businesshours.New("America/Lima", shifts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newYork is open every day 09:00-17:00 local; the US moved its clocks
// forward on 2026-03-08.
func newYork(t *testing.T) *businesshours.Schedule {
	var shifts []businesshours.Shift
	for d := time.Sunday; d <= time.Saturday; d++ {
		shifts = append(shifts, businesshours.Shift{Day: d, Open: 9 * 60, Close: 17 * 60})
	}
	s, err := businesshours.New("America/New_York", shifts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestClocks(t *testing.T) {
	hour := time.Hour
	for _, tc := range []struct {
		name   string
		policy Policy
		sched  *businesshours.Schedule
		facts  Facts
		now    string
		// want: the target's due and warning instants and its state, and the
		// conversation's state.
		target  Target
		due     string
		warn    string
		clock   State
		overall State
	}{
		{name: "always open, early", policy: Policy{FirstResponse: hour, WarningRatio: 0.8},
			facts: Facts{Created: at("2026-03-02T10:00:00Z")}, now: "2026-03-02T10:30:00Z",
			target: FirstResponse, due: "2026-03-02T11:00:00Z", warn: "2026-03-02T10:48:00Z", clock: OnTrack, overall: OnTrack},
		{name: "always open, past the warning", policy: Policy{FirstResponse: hour, WarningRatio: 0.8},
			facts: Facts{Created: at("2026-03-02T10:00:00Z")}, now: "2026-03-02T10:48:00Z",
			target: FirstResponse, due: "2026-03-02T11:00:00Z", warn: "2026-03-02T10:48:00Z", clock: Warning, overall: Warning},
		{name: "always open, due", policy: Policy{FirstResponse: hour, WarningRatio: 0.8},
			facts: Facts{Created: at("2026-03-02T10:00:00Z")}, now: "2026-03-02T11:00:00Z",
			target: FirstResponse, due: "2026-03-02T11:00:00Z", warn: "2026-03-02T10:48:00Z", clock: Breached, overall: Breached},
		{name: "a reply in time meets it", policy: Policy{FirstResponse: hour, WarningRatio: 0.5},
			facts: Facts{Created: at("2026-03-02T10:00:00Z"), FirstReply: ptr("2026-03-02T10:59:00Z")}, now: "2026-03-02T12:00:00Z",
			target: FirstResponse, due: "2026-03-02T11:00:00Z", warn: "2026-03-02T10:30:00Z", clock: Met, overall: Met},
		{name: "a late reply leaves the breach behind", policy: Policy{FirstResponse: hour, Resolution: 8 * hour, WarningRatio: 0.5},
			facts: Facts{Created: at("2026-03-02T10:00:00Z"), FirstReply: ptr("2026-03-02T11:30:00Z")}, now: "2026-03-02T12:00:00Z",
			target: FirstResponse, due: "2026-03-02T11:00:00Z", warn: "2026-03-02T10:30:00Z", clock: Breached, overall: OnTrack},
		{name: "outside hours it waits for the opening", policy: Policy{FirstResponse: hour, WarningRatio: 0.5}, sched: lima(t),
			// Saturday 10:00 in Lima: nothing counts until Monday 09:00.
			facts: Facts{Created: at("2026-03-07T15:00:00Z")}, now: "2026-03-09T14:20:00Z",
			target: FirstResponse, due: "2026-03-09T15:00:00Z", warn: "2026-03-09T14:30:00Z", clock: OnTrack, overall: OnTrack},
		{name: "friday evening runs on into monday", policy: Policy{FirstResponse: hour, WarningRatio: 0.5}, sched: lima(t),
			facts: Facts{Created: at("2026-03-06T22:30:00Z")}, now: "2026-03-09T14:00:00Z", // Fri 17:30 Lima
			target: FirstResponse, due: "2026-03-09T14:30:00Z", warn: "2026-03-06T23:00:00Z", clock: Warning, overall: Warning},
		{name: "lunch pauses it", policy: Policy{FirstResponse: hour, WarningRatio: 0.5}, sched: lima(t),
			facts: Facts{Created: at("2026-03-09T17:30:00Z")}, now: "2026-03-09T18:45:00Z", // Mon 12:30 Lima
			target: FirstResponse, due: "2026-03-09T19:30:00Z", warn: "2026-03-09T18:00:00Z", clock: Warning, overall: Warning},
		{name: "daylight saving: the local opening holds", policy: Policy{FirstResponse: 2 * hour, WarningRatio: 0.5}, sched: newYork(t),
			// Saturday 16:00 EST: one hour that day, one on Sunday from 09:00 EDT (13:00 UTC).
			facts: Facts{Created: at("2026-03-07T21:00:00Z")}, now: "2026-03-08T13:30:00Z",
			target: FirstResponse, due: "2026-03-08T14:00:00Z", warn: "2026-03-07T22:00:00Z", clock: Warning, overall: Warning},
		{name: "next response runs from the unanswered message", policy: Policy{FirstResponse: hour, NextResponse: 30 * time.Minute, WarningRatio: 0.8},
			facts:  Facts{Created: at("2026-03-02T10:00:00Z"), FirstReply: ptr("2026-03-02T10:10:00Z"), AwaitingSince: ptr("2026-03-02T11:00:00Z")},
			now:    "2026-03-02T11:31:00Z",
			target: NextResponse, due: "2026-03-02T11:30:00Z", warn: "2026-03-02T11:24:00Z", clock: Breached, overall: Breached},
		{name: "closing meets the resolution", policy: Policy{Resolution: 4 * hour, WarningRatio: 0.8},
			facts: Facts{Created: at("2026-03-02T10:00:00Z"), Closed: ptr("2026-03-02T13:00:00Z")}, now: "2026-03-02T15:00:00Z",
			target: Resolution, due: "2026-03-02T14:00:00Z", warn: "2026-03-02T13:12:00Z", clock: Met, overall: Met},
		{name: "closing stops an unanswered first response", policy: Policy{FirstResponse: hour, WarningRatio: 0.8},
			facts: Facts{Created: at("2026-03-02T10:00:00Z"), Closed: ptr("2026-03-02T10:20:00Z")}, now: "2026-03-02T15:00:00Z",
			target: FirstResponse, due: "2026-03-02T11:00:00Z", warn: "2026-03-02T10:48:00Z", clock: Met, overall: Met},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.policy, tc.sched, tc.facts, at(tc.now))
			c, ok := r.Clock(tc.target)
			if !ok {
				t.Fatalf("no %s clock in %+v", tc.target, r)
			}
			if !c.DueAt.Equal(at(tc.due)) || !c.WarnAt.Equal(at(tc.warn)) {
				t.Errorf("due %s warn %s, want due %s warn %s", c.DueAt.UTC().Format(time.RFC3339),
					c.WarnAt.UTC().Format(time.RFC3339), tc.due, tc.warn)
			}
			if c.State != tc.clock || r.State != tc.overall {
				t.Errorf("clock %s overall %s, want %s and %s", c.State, r.State, tc.clock, tc.overall)
			}
		})
	}
}

// Targets a policy leaves out have no clock, and the next-response clock
// only runs once someone answered and the customer wrote again.
func TestOnlyMeasuredTargetsHaveClocks(t *testing.T) {
	created := at("2026-03-02T10:00:00Z")
	r := Compute(Policy{FirstResponse: time.Hour, NextResponse: time.Hour, WarningRatio: 0.8}, nil,
		Facts{Created: created, AwaitingSince: &created}, created)
	if _, ok := r.Clock(Resolution); ok {
		t.Error("a resolution clock without a resolution target")
	}
	if _, ok := r.Clock(NextResponse); ok {
		t.Error("a next-response clock before the first reply")
	}
}

// A schedule that never opens never comes due.
func TestAClosedScheduleNeverComesDue(t *testing.T) {
	closed, err := businesshours.New("UTC", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := Compute(Policy{FirstResponse: time.Hour, WarningRatio: 0.8}, closed,
		Facts{Created: at("2026-03-02T10:00:00Z")}, at("2027-03-02T10:00:00Z"))
	c, _ := r.Clock(FirstResponse)
	if !c.DueAt.IsZero() || c.State != OnTrack {
		t.Errorf("due %v state %s, want never due and on track", c.DueAt, c.State)
	}
}
