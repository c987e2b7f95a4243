package domain

import (
	"context"

	"github.com/centralita/centralita/domain/menu"
)

// DefaultQueueName is the workspace's catch-all queue, created with the
// workspace: every conversation lands in a queue, so agents and
// supervisors see it, even when no channel or rule says which.
const DefaultQueueName = "General"

var (
	defaultQueueName        = DefaultQueueName
	defaultQueueDescription = "Conversations no channel or rule routes elsewhere"
)

// requireQueue checks that id, when given, names a queue of the caller's
// workspace. Errors: invalid (naming field).
func (s *Service) requireQueue(ctx context.Context, field, id string) error {
	if id == "" {
		return nil
	}
	if _, err := s.Queue(ctx, id); ErrorCode(err) == CodeNotFound {
		return FieldError(field, "no queue %s in this workspace", id)
	} else if err != nil {
		return err
	}
	return nil
}

// land fills in where a new conversation lives when the caller did not
// say: the workspace's official number, and the queue the number routes
// to by default, else the workspace's default queue.
// Errors: not_found (a given channel), unprocessable (no number at all).
func (s *Service) land(ctx context.Context, in *NewConversation) error {
	var ch *Channel
	var err error
	if in.knownChannel != nil && in.knownChannel.ID == in.ChannelID {
		ch = in.knownChannel
	} else if in.ChannelID != "" {
		if ch, err = s.Channel(ctx, in.ChannelID); err != nil {
			return err
		}
	} else if ch, err = s.officialChannel(ctx); err != nil {
		return err
	} else if ch == nil {
		return Errorf(CodeUnprocessable,
			"the workspace has no official WhatsApp number to hold this conversation: register one (POST /v1/channels) or give channel_id")
	}
	in.ChannelID = ch.ID
	if in.QueueID != "" {
		return nil
	}
	if in.QueueID = ch.DefaultQueueID; in.QueueID != "" {
		return nil
	}
	ws, err := s.store.FindWorkspace(ctx)
	if err != nil {
		return err
	}
	in.QueueID = ws.DefaultQueueID
	return nil
}

// routeMenuReply moves a conversation to the queue a tapped reply button
// or list row names (its id is the queue's id or name, e.g. "cobranzas"),
// but only while nobody has decided where it goes: it is new, nobody holds
// it, and it is still in the queue it landed in. So a customer cannot
// take a conversation from an agent, undo a supervisor's transfer, or
// bounce it between queues by tapping old menus.
func (s *Service) routeMenuReply(ctx context.Context, ch *Channel, conversationID string, reply *Interactive) error {
	if reply == nil || reply.ReplyID == "" {
		return nil
	}
	queues, err := s.store.FindQueues(ctx)
	if err != nil {
		return err
	}
	options := make([]menu.Option, len(queues))
	for i, q := range queues {
		options[i] = menu.Option{ID: q.ID, Title: q.Name}
	}
	chosen, ok := menu.MatchReply(reply.ReplyID, options)
	if !ok {
		return nil
	}
	landed := NewConversation{ChannelID: ch.ID}
	if err := s.land(ctx, &landed); err != nil {
		return err
	}
	ctx = WithActor(ctx, Actor{Kind: ActorRule, ID: "menu_reply"})
	_, err = s.change(ctx, conversationID, func(p Principal, c *Conversation) (string, map[string]any, error) {
		if c.Status != StatusNew || c.AssigneeID != "" || c.QueueID != landed.QueueID || c.QueueID == chosen.ID {
			return "", nil, nil
		}
		c.QueueID = chosen.ID
		return EventConversationRouted, map[string]any{"queue_id": chosen.ID, "from_queue_id": landed.QueueID,
			"reason": "menu_reply", "reply_id": reply.ReplyID}, nil
	})
	return err
}
