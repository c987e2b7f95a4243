package domain

import (
	"context"
	"time"
)

// TimerOfflineGrace looks at an agent who went offline once the
// workspace's grace period has passed.
const TimerOfflineGrace TimerKind = "offline_grace"

// StaffRotationRule is the actor id of conversations returned to their
// queues when their agent is deactivated or stays offline.
const StaffRotationRule = "staff_rotation"

// DefaultOfflineGraceMinutes is how long an agent may stay offline before
// their open conversations return to their queues.
const DefaultOfflineGraceMinutes = 15

// capacityFreed hands out the waiting conversations of the user's queues
// now that they may have room (a conversation of theirs closed or left
// them, they came online, their capacity grew, they joined a queue).
func (s *Service) capacityFreed(ctx context.Context, userID string) error {
	u, err := s.store.FindUser(ctx, userID)
	if err != nil {
		return err
	}
	if !u.Active || u.Availability != AvailabilityOnline {
		return nil
	}
	return s.assignWaiting(ctx, u.QueueIDs)
}

// returnConversations puts the user's open conversations back in their
// queues, unassigned, and lets those queues hand them out again, so
// nothing is stranded with someone who left. The caller's transaction
// holds the assignment lock.
func (s *Service) returnConversations(ctx context.Context, userID, reason string) error {
	ids, err := s.store.OpenConversationIDsOf(ctx, userID)
	if err != nil || len(ids) == 0 {
		return err
	}
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	ctx = WithActor(SystemContext(ctx, p.WorkspaceID), Actor{Kind: ActorRule, ID: StaffRotationRule})
	var queueIDs []string
	for _, id := range ids {
		c, err := s.change(ctx, id, func(_ Principal, c *Conversation) (string, map[string]any, error) {
			if c.AssigneeID != userID || c.Status == StatusClosed {
				return "", nil, nil
			}
			c.AssigneeID = ""
			return EventConversationAssigned, map[string]any{"assignee_id": "", "from_assignee_id": userID,
				"by": StaffRotationRule, "reason": reason}, nil
		})
		if err != nil {
			return err
		}
		queueIDs = append(queueIDs, c.QueueID)
	}
	return s.assignWaiting(ctx, queueIDs)
}

// availabilityChanged follows an agent's availability: going offline
// starts the grace period (a durable timer), coming back ends it.
func (s *Service) availabilityChanged(ctx context.Context, u *User) error {
	if u.Availability != AvailabilityOffline {
		return s.store.SetOfflineSince(ctx, u.ID, nil)
	}
	now := s.now()
	if err := s.store.SetOfflineSince(ctx, u.ID, &now); err != nil {
		return err
	}
	grace, err := s.offlineGrace(ctx)
	if err != nil {
		return err
	}
	return s.schedule(ctx, TimerOfflineGrace, u.ID, now.Add(grace))
}

func (s *Service) offlineGrace(ctx context.Context) (time.Duration, error) {
	w, err := s.store.FindWorkspace(ctx)
	if err != nil {
		return 0, err
	}
	return time.Duration(w.OfflineGraceMinutes) * time.Minute, nil
}

// offlineGraceEnded returns the conversations of an agent still offline
// a whole grace period after going offline. The timer may be stale (they
// came back, or went offline again later, or the grace grew): then it
// does nothing, or looks again when the current period ends.
func (s *Service) offlineGraceEnded(ctx context.Context, userID string, _ time.Time) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.lockAssignment(ctx); err != nil {
			return err
		}
		u, err := s.store.FindUser(ctx, userID)
		if ErrorCode(err) == CodeNotFound {
			return nil
		} else if err != nil {
			return err
		}
		since, err := s.store.OfflineSince(ctx, userID)
		if err != nil || !u.Active || u.Availability != AvailabilityOffline || since == nil {
			return err
		}
		grace, err := s.offlineGrace(ctx)
		if err != nil {
			return err
		}
		returnNow, lookAgainAt := offlineGraceDecision(s.now(), *since, grace)
		if lookAgainAt != nil {
			return s.schedule(ctx, TimerOfflineGrace, userID, *lookAgainAt)
		}
		if !returnNow {
			return nil
		}
		return s.returnConversations(ctx, userID, "offline")
	})
}

// offlineGraceDecision decides what a grace timer does now for an agent
// offline since since: once the whole grace has passed, return their
// conversations; before that (the timer came early by this process's
// clock, belonged to an earlier offline period, or the grace grew), look
// again when the current period ends. A second timer for one instant is
// harmless: returning is idempotent.
func offlineGraceDecision(now, since time.Time, grace time.Duration) (returnNow bool, lookAgainAt *time.Time) {
	due := since.Add(grace)
	if !now.Before(due) {
		return true, nil
	}
	return false, &due
}

// supervisorSetsCapacity: a supervisor may change only the capacity of an
// agent who works in one of their queues.
func supervisorSetsCapacity(p Principal, u *User, in UserUpdate) bool {
	if p.Role != RoleSupervisor || u.Role != RoleAgent || in.Capacity == nil || in.Name != nil ||
		in.Availability != nil || in.Role != nil || in.Active != nil || in.QueueIDs != nil {
		return false
	}
	for _, q := range u.QueueIDs {
		if p.InQueue(q) {
			return true
		}
	}
	return false
}

// followStaffChange keeps conversations with someone who can answer them
// after a user changed: a deactivated user's return to their queues, an
// offline one's after the grace period, and room that appeared (online
// again, more capacity, a new queue) takes what waits.
func (s *Service) followStaffChange(ctx context.Context, before, after *User) error {
	if !after.Active {
		if before.Active {
			return s.returnConversations(ctx, after.ID, "deactivated")
		}
		return nil
	}
	if before.Availability != after.Availability {
		if err := s.availabilityChanged(ctx, after); err != nil {
			return err
		}
	}
	if after.Availability != AvailabilityOnline {
		return nil
	}
	if before.Availability != AvailabilityOnline || !before.Active || after.Capacity > before.Capacity ||
		len(after.QueueIDs) != len(before.QueueIDs) || !sameStrings(after.QueueIDs, before.QueueIDs) {
		return s.assignWaiting(ctx, after.QueueIDs)
	}
	return nil
}

func sameStrings(a, b []string) bool {
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return len(a) == len(b)
}
