// Package assignment decides who gets a conversation in a queue that hands
// them out automatically. It is pure: the caller loads the queue's members
// with their load and remembers the round robin's last pick.
package assignment

import (
	"cmp"
	"slices"
	"time"
)

// Mode is how a queue hands out conversations.
type Mode string

const (
	// Manual leaves conversations waiting until an agent claims one or a
	// supervisor assigns it.
	Manual Mode = "manual"
	// RoundRobin deals conversations to the online members in turn.
	RoundRobin Mode = "round_robin"
	// LeastBusy gives each conversation to the online member holding the
	// fewest open conversations.
	LeastBusy Mode = "least_busy"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == Manual || m == RoundRobin || m == LeastBusy }

// Automatic reports whether the queue assigns without a human choosing.
func (m Mode) Automatic() bool { return m == RoundRobin || m == LeastBusy }

// Candidate is a member of the queue as assignment sees them.
type Candidate struct {
	ID string
	// Agent is true for the agent role: supervisors, admins and owners
	// take conversations by hand, never automatically.
	Agent bool
	// Online is true only for an active user whose availability is online:
	// away and offline agents get nothing new.
	Online bool
	// Open is how many open (not closed) conversations they hold, in any
	// queue; Capacity is the most they should hold.
	Open     int
	Capacity int
	// LastAssignedAt is when they were last given a conversation
	// automatically (nil: never).
	LastAssignedAt *time.Time
}

func (c Candidate) fits() bool { return c.Agent && c.Online && c.Open < c.Capacity }

// Pick chooses who gets the next conversation, or reports false when
// nobody fits (all away, offline or full) and the conversation waits.
// lastAssignedID is whom this queue's round robin gave the previous one.
func Pick(mode Mode, candidates []Candidate, lastAssignedID string) (string, bool) {
	switch mode {
	case RoundRobin:
		return roundRobin(candidates, lastAssignedID)
	case LeastBusy:
		return leastBusy(candidates)
	}
	return "", false
}

// roundRobin walks the members in a stable order (by id) starting after
// the last one served, so every online member with room gets a turn
// before anyone gets a second; the last one served need not be a member
// any more.
func roundRobin(candidates []Candidate, lastAssignedID string) (string, bool) {
	ordered := slices.SortedFunc(slices.Values(candidates), func(a, b Candidate) int { return cmp.Compare(a.ID, b.ID) })
	start := 0
	if lastAssignedID != "" {
		start = len(ordered)
		for i, c := range ordered {
			if c.ID > lastAssignedID {
				start = i
				break
			}
		}
	}
	for i := range ordered {
		if c := ordered[(start+i)%len(ordered)]; c.fits() {
			return c.ID, true
		}
	}
	return "", false
}

// leastBusy picks the member with room holding the fewest open
// conversations; between equals, the one who waited longest since their
// last assignment (never assigned first), then by id so the choice is
// stable.
func leastBusy(candidates []Candidate) (string, bool) {
	var best *Candidate
	for i := range candidates {
		c := &candidates[i]
		if c.fits() && (best == nil || busier(*best, *c)) {
			best = c
		}
	}
	if best == nil {
		return "", false
	}
	return best.ID, true
}

// busier reports whether a should yield to b.
func busier(a, b Candidate) bool {
	if a.Open != b.Open {
		return a.Open > b.Open
	}
	switch {
	case a.LastAssignedAt == nil && b.LastAssignedAt != nil:
		return false
	case a.LastAssignedAt != nil && b.LastAssignedAt == nil:
		return true
	case a.LastAssignedAt != nil && !a.LastAssignedAt.Equal(*b.LastAssignedAt):
		return a.LastAssignedAt.After(*b.LastAssignedAt)
	}
	return a.ID > b.ID
}
