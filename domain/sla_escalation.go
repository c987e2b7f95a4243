package domain

import (
	"context"
	"slices"
	"time"

	"github.com/centralita/centralita/domain/slaclock"
)

// slaAlert is what a timer found due: a clock's warning or its breach.
type slaAlert struct {
	clock  slaclock.Clock
	breach bool
}

// onSLATimer looks at a conversation at a warning or due instant. Timers
// are never cancelled, so it acts only when a running clock of the
// conversation's current policy still warns or is due at exactly that
// instant, and that alert was not acted on yet; a reply, a closing or a
// move to another queue since then makes it a no-op.
func (s *Service) onSLATimer(ctx context.Context, conversationID string, at time.Time) error {
	c, err := s.store.FindConversation(ctx, conversationID)
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	if err != nil || c.SLA == nil {
		return err
	}
	pol, err := s.store.FindSLAPolicy(ctx, c.SLA.PolicyID)
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	ctx = WithActor(ctx, Actor{Kind: ActorRule, ID: pol.ID})
	return s.store.InTx(ctx, func(ctx context.Context) error {
		var alert *slaAlert
		var warnFirst map[string]any
		_, err := s.change(ctx, conversationID, func(_ Principal, c *Conversation) (string, map[string]any, error) {
			var err error
			warnFirst = nil // a replay after a lost race decides afresh
			alert, err = s.dueAlert(ctx, c, pol, at)
			if alert == nil || err != nil {
				return "", nil, err
			}
			kind := "warning"
			if alert.breach {
				kind = "breached"
			}
			remember(c.SLA, alertKey(alert.clock.Target, kind, alert.clock.DueAt))
			payload := map[string]any{"policy_id": pol.ID, "target": string(alert.clock.Target),
				"due_at": alert.clock.DueAt.UTC().Format(time.RFC3339Nano)}
			if !alert.breach {
				return EventSLAWarning, payload, nil
			}
			// Timers run late (a restart, busy workers): a breach found
			// before its warning still says both, in order.
			if warned := alertKey(alert.clock.Target, "warning", alert.clock.DueAt); !slices.Contains(c.SLA.Alerts, warned) {
				remember(c.SLA, warned)
				warnFirst = map[string]any{"conversation_id": c.ID, "policy_id": pol.ID,
					"target": string(alert.clock.Target), "due_at": payload["due_at"]}
			}
			payload["escalation"] = string(pol.Escalation.Action)
			if pol.Escalation.Action == EscalateNotify {
				supervisors, err := s.queueSupervisors(ctx, c.QueueID)
				if err != nil {
					return "", nil, err
				}
				payload["notify_user_ids"] = pol.Escalation.NotifyUserIDs
				payload["supervisor_ids"] = supervisors
			}
			return EventSLABreached, payload, nil
		}, func(ctx context.Context) error {
			if warnFirst == nil {
				return nil
			}
			return s.record(ctx, EventSLAWarning, conversationID, warnFirst)
		})
		if err != nil || alert == nil || !alert.breach {
			return err
		}
		return s.escalate(ctx, conversationID, pol.Escalation)
	})
}

// dueAlert is the alert a timer at instant at stands for, if it is still
// current and not acted on.
func (s *Service) dueAlert(ctx context.Context, c *Conversation, pol *SLAPolicy, at time.Time) (*slaAlert, error) {
	if c.SLA == nil || c.SLA.PolicyID != pol.ID {
		return nil, nil
	}
	current, sched, err := s.queueSLA(ctx, c.QueueID)
	if err != nil || current == nil || current.ID != pol.ID {
		return nil, err // the queue no longer measures by this policy
	}
	r := slaclock.Compute(pol.clockPolicy(), sched, c.slaFacts(), s.now())
	for _, clock := range r.Clocks {
		if !clock.Running() {
			continue
		}
		switch {
		case sameInstant(clock.DueAt, at) && clock.State == slaclock.Breached:
			if !slices.Contains(c.SLA.Alerts, alertKey(clock.Target, "breached", clock.DueAt)) {
				return &slaAlert{clock: clock, breach: true}, nil
			}
		case sameInstant(clock.WarnAt, at) && clock.State != slaclock.OnTrack:
			if !slices.Contains(c.SLA.Alerts, alertKey(clock.Target, "warning", clock.DueAt)) {
				return &slaAlert{clock: clock}, nil
			}
		}
	}
	return nil, nil
}

// escalate applies a breached policy's action, as the policy (actor rule).
func (s *Service) escalate(ctx context.Context, conversationID string, e Escalation) error {
	var err error
	switch e.Action {
	case EscalateReassign:
		// Back to its queue, unassigned, and (in a queue that assigns
		// automatically) on to another online agent than the one who did
		// not answer; in a manual queue someone claims it.
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.lockAssignment(ctx); err != nil { // before any row, as every assigner does
				return err
			}
			var previous string
			_, err := s.change(ctx, conversationID, func(_ Principal, c *Conversation) (string, map[string]any, error) {
				if c.AssigneeID == "" {
					return "", nil, nil
				}
				previous, c.AssigneeID = c.AssigneeID, ""
				return EventConversationAssigned, map[string]any{"assignee_id": nil, "by": "rule"}, nil
			})
			if err != nil || previous == "" {
				return err
			}
			return s.assignIfAutomaticExcept(ctx, conversationID, previous)
		})
	case EscalateMoveQueue:
		if _, qerr := s.store.FindQueue(ctx, e.QueueID); ErrorCode(qerr) == CodeNotFound {
			return nil // the queue is gone: the breach is recorded, nothing to move
		}
		_, err = s.change(ctx, conversationID, func(_ Principal, c *Conversation) (string, map[string]any, error) {
			if c.QueueID == e.QueueID {
				return "", nil, nil
			}
			from := c.QueueID
			c.QueueID, c.AssigneeID = e.QueueID, ""
			return EventConversationTransferred, map[string]any{"from_queue_id": from, "queue_id": e.QueueID,
				"by": "rule"}, nil
		})
	case EscalateRaisePriority:
		_, err = s.change(ctx, conversationID, func(_ Principal, c *Conversation) (string, map[string]any, error) {
			next := raised(c.Priority)
			if next == c.Priority {
				return "", nil, nil
			}
			c.Priority = next
			return EventConversationPriorityChanged, map[string]any{"priority": string(next), "by": "rule"}, nil
		})
	case EscalateTag:
		_, err = s.TagConversation(ctx, conversationID, e.TagID, true)
		if ErrorCode(err) == CodeNotFound {
			return nil // the tag is gone
		}
	}
	return err
}

// raised is one priority step up, urgent at most.
func raised(p Priority) Priority {
	switch p {
	case PriorityLow:
		return PriorityNormal
	case PriorityNormal:
		return PriorityHigh
	}
	return PriorityUrgent
}

// queueSupervisors are the supervisors among a queue's members.
func (s *Service) queueSupervisors(ctx context.Context, queueID string) ([]string, error) {
	out := []string{}
	q, err := s.store.FindQueue(ctx, queueID)
	if ErrorCode(err) == CodeNotFound {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	users, err := s.store.FindUsersByIDs(ctx, q.MemberIDs)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == RoleSupervisor && u.Active {
			out = append(out, u.ID)
		}
	}
	return out, nil
}
