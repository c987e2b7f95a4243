package domain

import (
	"context"
	"time"
)

// EscalationAction is what happens to a conversation whose SLA target is
// breached.
type EscalationAction string

const (
	// EscalateNotify only tells people: the sla.breached event names the
	// users to notify and the queue's supervisors.
	EscalateNotify EscalationAction = "notify"
	// EscalateReassign takes it from its agent and returns it to its queue.
	EscalateReassign EscalationAction = "reassign"
	// EscalateMoveQueue transfers it to Escalation.QueueID.
	EscalateMoveQueue EscalationAction = "move_queue"
	// EscalateRaisePriority raises its priority one step (urgent at most).
	EscalateRaisePriority EscalationAction = "raise_priority"
	// EscalateTag tags it with Escalation.TagID.
	EscalateTag EscalationAction = "tag"
)

// Escalation is a policy's answer to a breach; QueueID, TagID and
// NotifyUserIDs are required by the action that uses them.
type Escalation struct {
	Action        EscalationAction
	QueueID       string
	TagID         string
	NotifyUserIDs []string
}

// SLAPolicy sets the targets a queue answers by, counted in the queue's
// business hours. A zero target is not measured.
type SLAPolicy struct {
	ID            string
	WorkspaceID   string
	Name          string
	FirstResponse time.Duration
	NextResponse  time.Duration
	Resolution    time.Duration
	// WarningRatio is the share of a target after which it warns, in (0,1).
	WarningRatio float64
	Escalation   Escalation
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DefaultWarningRatio warns when 80% of a target has passed.
const DefaultWarningRatio = 0.8

// maxSLATarget bounds a target: a year of business time.
const maxSLATarget = 366 * 24 * time.Hour

// SLAPolicyInput creates or updates a policy; nil fields keep their value
// on update. Targets are seconds above 0.
type SLAPolicyInput struct {
	Name                 *string
	FirstResponseSeconds *int64
	NextResponseSeconds  *int64
	ResolutionSeconds    *int64
	WarningRatio         *float64
	Escalation           *Escalation
}

// SLAPolicyStore persists SLA policies.
type SLAPolicyStore interface {
	CreateSLAPolicy(ctx context.Context, p *SLAPolicy) error
	FindSLAPolicy(ctx context.Context, id string) (*SLAPolicy, error)
	FindSLAPolicies(ctx context.Context) ([]*SLAPolicy, error)
	UpdateSLAPolicy(ctx context.Context, p *SLAPolicy) error
	// DeleteSLAPolicy refuses (conflict) while a queue uses the policy.
	DeleteSLAPolicy(ctx context.Context, id string) error
}

// applySLAPolicyInput copies the given fields; targets are checked here,
// the rest in validate.
func applySLAPolicyInput(pol *SLAPolicy, in SLAPolicyInput) error {
	if in.Name != nil {
		pol.Name = *in.Name
	}
	for _, t := range []struct {
		field string
		in    *int64
		out   *time.Duration
	}{
		{"first_response_seconds", in.FirstResponseSeconds, &pol.FirstResponse},
		{"next_response_seconds", in.NextResponseSeconds, &pol.NextResponse},
		{"resolution_seconds", in.ResolutionSeconds, &pol.Resolution},
	} {
		if t.in == nil {
			continue
		}
		if *t.in <= 0 || time.Duration(*t.in)*time.Second > maxSLATarget {
			return FieldError(t.field, "%s must be a number of seconds above 0 and at most a year (%d)",
				t.field, int64(maxSLATarget/time.Second))
		}
		*t.out = time.Duration(*t.in) * time.Second
	}
	if in.WarningRatio != nil {
		pol.WarningRatio = *in.WarningRatio
	}
	if in.Escalation != nil {
		pol.Escalation = *in.Escalation
		pol.Escalation.NotifyUserIDs = uniqueStrings(pol.Escalation.NotifyUserIDs)
	}
	return nil
}

// validate checks a policy's own fields (not the ids it names).
func (pol *SLAPolicy) validate() error {
	var err error
	if pol.Name, err = validateName("name", pol.Name, 80); err != nil {
		return err
	}
	if pol.FirstResponse <= 0 && pol.NextResponse <= 0 && pol.Resolution <= 0 {
		return FieldError("first_response_seconds",
			"a policy needs at least one target: first_response_seconds, next_response_seconds or resolution_seconds")
	}
	if !(pol.WarningRatio > 0 && pol.WarningRatio < 1) {
		return FieldError("warning_ratio", "warning_ratio must be between 0 and 1, such as 0.8")
	}
	e := &pol.Escalation
	need := map[EscalationAction]string{EscalateMoveQueue: "escalation.queue_id", EscalateTag: "escalation.tag_id",
		EscalateNotify: "escalation.notify_user_ids"}
	switch e.Action {
	case EscalateNotify, EscalateReassign, EscalateMoveQueue, EscalateRaisePriority, EscalateTag:
	default:
		return FieldError("escalation.action",
			"escalation.action must be notify, reassign, move_queue, raise_priority or tag")
	}
	if e.QueueID != "" && e.Action != EscalateMoveQueue {
		return FieldError("escalation.queue_id", "escalation.queue_id is only for move_queue")
	}
	if e.TagID != "" && e.Action != EscalateTag {
		return FieldError("escalation.tag_id", "escalation.tag_id is only for tag")
	}
	if len(e.NotifyUserIDs) > 0 && e.Action != EscalateNotify {
		return FieldError("escalation.notify_user_ids", "escalation.notify_user_ids is only for notify")
	}
	if len(e.NotifyUserIDs) > 50 {
		return FieldError("escalation.notify_user_ids", "at most 50 users to notify")
	}
	missing := map[EscalationAction]bool{EscalateMoveQueue: e.QueueID == "", EscalateTag: e.TagID == "",
		EscalateNotify: len(e.NotifyUserIDs) == 0}
	if missing[e.Action] {
		return FieldError(need[e.Action], "%s is required by the %s escalation", need[e.Action], e.Action)
	}
	return nil
}

// checkSLAPolicyRefs checks that the ids the escalation names are of this
// workspace.
func (s *Service) checkSLAPolicyRefs(ctx context.Context, pol *SLAPolicy) error {
	e := pol.Escalation
	if err := s.requireQueue(ctx, "escalation.queue_id", e.QueueID); err != nil {
		return err
	}
	if e.TagID != "" {
		if _, err := s.Tag(ctx, e.TagID); ErrorCode(err) == CodeNotFound {
			return FieldError("escalation.tag_id", "no tag %s in this workspace", e.TagID)
		} else if err != nil {
			return err
		}
	}
	for i, id := range e.NotifyUserIDs {
		if _, err := s.User(ctx, id); ErrorCode(err) == CodeNotFound {
			return FieldError("escalation.notify_user_ids", "no user %s in this workspace (item %d)", id, i)
		} else if err != nil {
			return err
		}
	}
	return nil
}
