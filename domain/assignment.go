package domain

import (
	"context"
	"slices"
	"time"

	"github.com/centralita/centralita/domain/assignment"
)

// AssignmentMode is how a queue hands out its conversations: manual
// (agents claim them), round_robin or least_busy (see domain/assignment).
type AssignmentMode = assignment.Mode

const (
	AssignmentManual     = assignment.Manual
	AssignmentRoundRobin = assignment.RoundRobin
	AssignmentLeastBusy  = assignment.LeastBusy
)

// AssignmentCandidate is a queue member as automatic assignment sees them.
type AssignmentCandidate = assignment.Candidate

// WaitingConversation is an unassigned, not closed conversation of a queue.
type WaitingConversation struct {
	ID      string
	QueueID string
}

// AssignmentStore holds what automatic assignment reads and remembers.
type AssignmentStore interface {
	// LockAssignment serialises automatic assignment in the workspace until
	// the transaction ends, so two processes never give one conversation
	// two owners or fill an agent past capacity. It is workspace-wide, not
	// per queue, because an agent's capacity spans all their queues.
	LockAssignment(ctx context.Context) error
	// AssignmentCandidates lists the queue's members: online only when
	// active and available, with their open conversations in any queue.
	AssignmentCandidates(ctx context.Context, queueID string) ([]AssignmentCandidate, error)
	// LastAssignedUser is whom the queue's round robin served last ("").
	LastAssignedUser(ctx context.Context, queueID string) (string, error)
	// RecordAssignment remembers the queue's last pick and when the user
	// was last given a conversation.
	RecordAssignment(ctx context.Context, queueID, userID string, at time.Time) error
	// WaitingConversations lists unassigned, not closed conversations of
	// the queues, the longest waiting (oldest) first.
	WaitingConversations(ctx context.Context, queueIDs []string, limit int) ([]WaitingConversation, error)
	// OpenConversationIDsOf lists the not closed conversations a user holds.
	OpenConversationIDsOf(ctx context.Context, userID string) ([]string, error)
	// SetOfflineSince records since when a user is offline (nil: not).
	SetOfflineSince(ctx context.Context, userID string, since *time.Time) error
	OfflineSince(ctx context.Context, userID string) (*time.Time, error)
}

// AutoAssignRule is the actor id of automatic assignment in events.
const AutoAssignRule = "auto_assign"

// waitingLimit bounds how many waiting conversations one change of
// capacity hands out (the rest wait for the next).
const waitingLimit = 200

func waiting(c *Conversation) bool {
	return c.AssigneeID == "" && c.Status != StatusClosed && c.QueueID != ""
}

// asAutoAssign acts as the workspace's system under the auto_assign rule:
// the caller (an agent transferring, a customer writing) need not see the
// queue's members or where the conversation goes.
func asAutoAssign(ctx context.Context) (context.Context, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return WithActor(SystemContext(ctx, p.WorkspaceID), Actor{Kind: ActorRule, ID: AutoAssignRule}), nil
}

// assignIfAutomatic gives an unassigned, not closed conversation in a queue
// that assigns automatically to an online member with room; when nobody
// fits it waits, and assignWaiting hands it out when capacity frees.
func (s *Service) assignIfAutomatic(ctx context.Context, conversationID string) error {
	return s.assignIfAutomaticExcept(ctx, conversationID, "")
}

// assignIfAutomaticExcept is assignIfAutomatic passing over one user (the
// agent an SLA escalation takes the conversation from).
func (s *Service) assignIfAutomaticExcept(ctx context.Context, conversationID, skip string) error {
	ctx, err := asAutoAssign(ctx)
	if err != nil {
		return err
	}
	_, err = s.autoAssign(ctx, conversationID, skip)
	return err
}

// autoAssignOutcome says what autoAssign did.
type autoAssignOutcome int

const (
	autoAssignSkipped    autoAssignOutcome = iota // not waiting, or a manual queue
	autoAssignDone                                // assigned
	autoAssignNobodyFits                          // everyone away, offline or full
)

// autoAssign runs one automatic assignment under the workspace's
// assignment lock. ctx acts as the system.
func (s *Service) autoAssign(ctx context.Context, conversationID string, skip ...string) (autoAssignOutcome, error) {
	outcome := autoAssignSkipped
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.store.FindConversation(ctx, conversationID)
		if err != nil || !waiting(c) {
			return err
		}
		q, err := s.store.FindQueue(ctx, c.QueueID)
		if err != nil || !q.AssignmentMode.Automatic() {
			return err
		}
		if err := s.store.LockAssignment(ctx); err != nil {
			return err
		}
		// Read after the lock: whoever held it may have changed the load.
		candidates, err := s.store.AssignmentCandidates(ctx, q.ID)
		if err != nil {
			return err
		}
		candidates = slices.DeleteFunc(candidates, func(c AssignmentCandidate) bool { return slices.Contains(skip, c.ID) })
		last, err := s.store.LastAssignedUser(ctx, q.ID)
		if err != nil {
			return err
		}
		userID, ok := assignment.Pick(q.AssignmentMode, candidates, last)
		if !ok {
			outcome = autoAssignNobodyFits
			return nil
		}
		c, err = s.change(ctx, conversationID, func(_ Principal, c *Conversation) (string, map[string]any, error) {
			if !waiting(c) || c.QueueID != q.ID {
				return "", nil, nil // claimed or moved meanwhile
			}
			c.AssigneeID = userID
			return EventConversationAssigned, map[string]any{"assignee_id": userID, "by": AutoAssignRule,
				"queue_id": q.ID, "assignment_mode": string(q.AssignmentMode)}, nil
		})
		if err != nil || c.AssigneeID != userID {
			return err
		}
		outcome = autoAssignDone
		return s.store.RecordAssignment(ctx, q.ID, userID, s.now())
	})
	return outcome, err
}

// assignWaiting hands out the waiting conversations of the queues (those
// that assign automatically) now that capacity may have freed, the
// longest waiting first, until nobody fits in a queue. It runs in the
// caller's transaction, which must have taken the assignment lock before
// changing any conversation (see lockAssignment).
func (s *Service) assignWaiting(ctx context.Context, queueIDs []string) error {
	if len(queueIDs) == 0 {
		return nil
	}
	ctx, err := asAutoAssign(ctx)
	if err != nil {
		return err
	}
	waitingList, err := s.store.WaitingConversations(ctx, uniqueStrings(queueIDs), waitingLimit)
	if err != nil {
		return err
	}
	full := map[string]bool{}
	for _, w := range waitingList {
		if full[w.QueueID] {
			continue
		}
		outcome, err := s.autoAssign(ctx, w.ID)
		if err != nil {
			return err
		}
		if outcome == autoAssignNobodyFits {
			full[w.QueueID] = true
		}
	}
	return nil
}

// lockAssignment takes the assignment lock at the start of a transaction
// that may hand out conversations after changing others. Taking it before
// any row is changed keeps lock order the same everywhere (lock, then
// rows), so two such transactions never deadlock.
func (s *Service) lockAssignment(ctx context.Context) error {
	return s.store.LockAssignment(ctx)
}
