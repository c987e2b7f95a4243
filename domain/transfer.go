package domain

import (
	"context"
	"strings"

	"github.com/centralita/centralita/domain/access"
)

// TransferInput moves a conversation to another queue, another agent, or
// both, with an optional internal note saying why.
type TransferInput struct {
	QueueID    string
	AssigneeID string
	Note       string
}

// Transfer hands a conversation on. To a queue alone, it leaves it
// unassigned there and the queue hands it out if it assigns
// automatically; to an agent, they must be active and a member of the
// conversation's queue or of the target queue. Who may transfer is the
// access table's (supervisors within their queues and what they hold,
// admins anywhere, agents only what they hold).
// Errors: invalid (naming the field), forbidden, not_found.
func (s *Service) Transfer(ctx context.Context, id string, in TransferInput) (*Conversation, error) {
	if in.QueueID == "" && in.AssigneeID == "" {
		return nil, FieldError("queue_id", "give queue_id, assignee_id or both")
	}
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > 10000 {
		return nil, FieldError("note", "note must have at most 10000 characters")
	}
	if in.QueueID != "" {
		// The message never repeats the id: another workspace's ids must
		// not echo back.
		if _, err := s.Queue(ctx, in.QueueID); ErrorCode(err) == CodeNotFound {
			return nil, FieldError("queue_id", "unknown queue")
		} else if err != nil {
			return nil, err
		}
	}
	var assignee *User
	if in.AssigneeID != "" {
		u, err := s.User(ctx, in.AssigneeID)
		if ErrorCode(err) == CodeNotFound {
			return nil, FieldError("assignee_id", "unknown assignee")
		} else if err != nil {
			return nil, err
		}
		if !u.Active {
			return nil, FieldError("assignee_id", "assignee_id names a deactivated user")
		}
		assignee = u
	}
	var out *Conversation
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.lockAssignment(ctx); err != nil {
			return err
		}
		// The note first: after the transfer the caller may no longer see
		// the conversation. A refused transfer rolls it back.
		if in.Note != "" {
			if _, err := s.AddNote(ctx, id, in.Note); err != nil {
				return err
			}
		}
		var previous string
		var err error
		out, err = s.change(ctx, id, func(p Principal, c *Conversation) (string, map[string]any, error) {
			if err := p.mayOn(access.Transfer, c); err != nil {
				return "", nil, err
			}
			queueID := c.QueueID
			if in.QueueID != "" {
				queueID = in.QueueID
			}
			if assignee != nil && !assignee.inQueue(c.QueueID) && !assignee.inQueue(queueID) {
				return "", nil, FieldError("assignee_id", "assignee_id is not a member of the conversation's queue or of the target queue")
			}
			if queueID == c.QueueID && in.AssigneeID == c.AssigneeID {
				return "", nil, nil
			}
			payload := map[string]any{"from_queue_id": c.QueueID, "queue_id": queueID,
				"from_assignee_id": c.AssigneeID, "assignee_id": in.AssigneeID, "by": actor(p)}
			previous = c.AssigneeID
			c.QueueID, c.AssigneeID = queueID, in.AssigneeID
			if assignee != nil && c.Status == StatusNew {
				c.Status = StatusOpen
			}
			return EventConversationTransferred, payload, nil
		})
		if err != nil {
			return err
		}
		if err := s.assignIfAutomatic(ctx, id); err != nil {
			return err
		}
		if previous != "" && previous != in.AssigneeID {
			if err := s.capacityFreed(ctx, previous); err != nil {
				return err
			}
		}
		out, err = s.Conversation(ctx, id)
		if ErrorCode(err) == CodeNotFound {
			// Transferred out of the caller's sight: they keep the answer.
			out, err = s.store.FindConversation(ctx, id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (u *User) inQueue(queueID string) bool {
	for _, q := range u.QueueIDs {
		if q == queueID {
			return true
		}
	}
	return false
}
