package domain

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/centralita/centralita/domain/businesshours"
	"github.com/centralita/centralita/domain/slaclock"
)

// SLAState is where a conversation stands against its SLA: the worst of
// its running clocks (on_track, warning, breached), or met when none runs.
type SLAState string

const (
	SLAOnTrack  SLAState = SLAState(slaclock.OnTrack)
	SLAWarning  SLAState = SLAState(slaclock.Warning)
	SLABreached SLAState = SLAState(slaclock.Breached)
	SLAMet      SLAState = SLAState(slaclock.Met)
)

// Valid reports whether s is a known state.
func (s SLAState) Valid() bool {
	switch s {
	case SLAOnTrack, SLAWarning, SLABreached, SLAMet:
		return true
	}
	return false
}

// ConversationSLA is a conversation's standing against its queue's policy.
// Due times are nil for targets the policy does not measure (and the next
// response's while nobody is waiting for one).
type ConversationSLA struct {
	PolicyID           string
	State              SLAState
	FirstResponseDueAt *time.Time
	NextResponseDueAt  *time.Time
	ResolutionDueAt    *time.Time
	// Alerts lists the warnings and breaches already acted on (target,
	// kind and due instant), so a timer that runs twice acts once.
	Alerts []string
}

// TimerSLA looks at a conversation's SLA at a warning or due instant.
const TimerSLA TimerKind = "sla"

// noteHumanReply stops the response clocks: a person (an agent, or an
// integration through its key) answered.
func (c *Conversation) noteHumanReply(at time.Time) {
	if c.SLARepliedAt == nil {
		c.SLARepliedAt = &at
	}
	c.SLAAwaitingSince = nil
}

// noteCustomerMessage starts the next-response clock at the customer's
// first message after the last human reply.
func (c *Conversation) noteCustomerMessage(at time.Time) {
	if c.SLAAwaitingSince != nil || (c.SLARepliedAt != nil && at.Before(*c.SLARepliedAt)) {
		return
	}
	c.SLAAwaitingSince = &at
}

func (c *Conversation) slaFacts() slaclock.Facts {
	return slaclock.Facts{Created: c.CreatedAt, FirstReply: c.SLARepliedAt, AwaitingSince: c.SLAAwaitingSince,
		Closed: c.ClosedAt}
}

func (p *SLAPolicy) clockPolicy() slaclock.Policy {
	return slaclock.Policy{FirstResponse: p.FirstResponse, NextResponse: p.NextResponse,
		Resolution: p.Resolution, WarningRatio: p.WarningRatio}
}

// queueSLA is the policy of a queue and the calendar it counts in; a nil
// policy when the queue has none (or it is gone).
func (s *Service) queueSLA(ctx context.Context, queueID string) (*SLAPolicy, *businesshours.Schedule, error) {
	if queueID == "" || knownWithoutSLA(ctx, queueID) {
		return nil, nil, nil
	}
	q, err := s.store.FindQueue(ctx, queueID)
	if ErrorCode(err) == CodeNotFound || (err == nil && q.SLAPolicyID == "") {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	pol, err := s.store.FindSLAPolicy(ctx, q.SLAPolicyID)
	if ErrorCode(err) == CodeNotFound {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	sched, err := s.scheduleOf(ctx, q) // the queue is loaded already
	if err != nil {
		return nil, nil, err
	}
	return pol, sched, nil
}

// measureSLA recomputes the conversation's SLA from its queue's policy and
// returns the instants to look at it again: the warning and due instants
// of every running clock whose due time is new.
func (s *Service) measureSLA(ctx context.Context, c *Conversation) ([]time.Time, error) {
	pol, sched, err := s.queueSLA(ctx, c.QueueID)
	if err != nil || pol == nil {
		c.SLA = nil
		return nil, err
	}
	prev := c.SLA
	if prev != nil && prev.PolicyID != pol.ID {
		prev = nil // another policy: its alerts and due times do not carry over
	}
	r := slaclock.Compute(pol.clockPolicy(), sched, c.slaFacts(), s.now())
	next := &ConversationSLA{PolicyID: pol.ID, State: SLAState(r.State), Alerts: []string{}}
	if prev != nil {
		next.Alerts = prev.Alerts
	}
	var wake []time.Time
	for _, clock := range r.Clocks {
		due := slot(next, clock.Target)
		if clock.DueAt.IsZero() || (clock.Target == slaclock.NextResponse && !clock.Running()) {
			continue
		}
		at := clock.DueAt
		*due = &at
		if !clock.Running() {
			continue
		}
		if old := slotOf(prev, clock.Target); old == nil || !sameInstant(*old, at) {
			wake = append(wake, clock.WarnAt, clock.DueAt)
		}
	}
	c.SLA = next
	return wake, nil
}

// slot is where a target's due time lives.
func slot(sla *ConversationSLA, t slaclock.Target) **time.Time {
	switch t {
	case slaclock.FirstResponse:
		return &sla.FirstResponseDueAt
	case slaclock.NextResponse:
		return &sla.NextResponseDueAt
	}
	return &sla.ResolutionDueAt
}

func slotOf(sla *ConversationSLA, t slaclock.Target) *time.Time {
	if sla == nil {
		return nil
	}
	return *slot(sla, t)
}

// scheduleSLA starts the timers measureSLA asked for.
func (s *Service) scheduleSLA(ctx context.Context, conversationID string, wake []time.Time) error {
	for _, at := range wake {
		if err := s.schedule(ctx, TimerSLA, conversationID, at); err != nil {
			return err
		}
	}
	return nil
}

// alertKey names one warning or breach of one due time.
func alertKey(t slaclock.Target, kind string, due time.Time) string {
	return fmt.Sprintf("%s:%s:%d", t, kind, due.UnixMilli())
}

// maxAlerts bounds the remembered alerts; older due times are long past.
const maxAlerts = 20

func remember(sla *ConversationSLA, key string) {
	sla.Alerts = append(slices.Clone(sla.Alerts), key)
	if len(sla.Alerts) > maxAlerts {
		sla.Alerts = sla.Alerts[len(sla.Alerts)-maxAlerts:]
	}
}

// sameInstant compares instants at the databases' precision (microseconds):
// a due time computed before the conversation was stored and one computed
// from what was read back are the same due time.
func sameInstant(a, b time.Time) bool {
	return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
}

// noSLAKey carries the id of a queue the caller read, in the open
// transaction, as having no SLA policy: measuring a conversation there
// needs no lookup (the inbound path reads it with the conversation).
type noSLAKey struct{}

func withoutSLA(ctx context.Context, queueID string) context.Context {
	if queueID == "" {
		return ctx
	}
	return context.WithValue(ctx, noSLAKey{}, queueID)
}

func knownWithoutSLA(ctx context.Context, queueID string) bool {
	id, _ := ctx.Value(noSLAKey{}).(string)
	return id != "" && id == queueID
}
