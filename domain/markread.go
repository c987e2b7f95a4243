package domain

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain/access"
)

// ReadStore records that inbound messages were marked read.
type ReadStore interface {
	// MarkInboundRead sets MarkedReadAt on upTo and every earlier inbound
	// message of its conversation that has none (WhatsApp marks earlier
	// messages of the thread read too).
	MarkInboundRead(ctx context.Context, upTo *Message, at time.Time) error
	// NewestInboundMessage is the conversation's latest inbound message
	// with a wamid; not_found when there is none.
	NewestInboundMessage(ctx context.Context, conversationID string) (*Message, error)
}

// markReadMaxAge: WhatsApp marks messages read only within 30 days.
const markReadMaxAge = 30 * 24 * time.Hour

// MarkMessageRead tells the customer (blue ticks) that an inbound message,
// and every earlier one of the conversation, was read. The request goes
// out through a durable job; a message already covered by an earlier mark
// is returned as is and nothing is sent again. An agent may mark only
// conversations they may reply to.
// Errors: not_found, invalid (not inbound), forbidden, precondition_failed
// (no wamid, no number, or older than 30 days).
func (s *Service) MarkMessageRead(ctx context.Context, messageID string) (*Message, error) {
	m, err := s.Message(ctx, messageID)
	if err != nil {
		return nil, err
	}
	if err := s.mayMarkRead(ctx, m.ConversationID); err != nil {
		return nil, err
	}
	return s.markRead(ctx, m)
}

// MarkConversationRead marks the conversation's newest inbound message
// read (see MarkMessageRead); it returns nil when the customer has sent
// nothing WhatsApp can mark.
// Errors: as MarkMessageRead.
func (s *Service) MarkConversationRead(ctx context.Context, conversationID string) (*Message, error) {
	if err := s.mayMarkRead(ctx, conversationID); err != nil {
		return nil, err
	}
	m, err := s.store.NewestInboundMessage(ctx, conversationID)
	if ErrorCode(err) == CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.markRead(ctx, m)
}

// mayMarkRead: read receipts speak for the team, so only someone who may
// reply in the conversation sends them.
func (s *Service) mayMarkRead(ctx context.Context, conversationID string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	c, err := s.Conversation(ctx, conversationID)
	if err != nil {
		return err
	}
	return p.mayOn(access.Reply, c)
}

func (s *Service) markRead(ctx context.Context, m *Message) (*Message, error) {
	if m.Direction != DirectionInbound {
		return nil, Errorf(CodeInvalid, "only messages from the customer are marked read")
	}
	if m.ProviderMessageID == "" || m.ChannelID == "" {
		return nil, Errorf(CodePreconditionFailed, "this message did not come through WhatsApp, so there is nothing to mark read")
	}
	if m.MarkedReadAt != nil {
		return m, nil
	}
	if s.now().Sub(m.CreatedAt) > markReadMaxAge {
		return nil, Errorf(CodePreconditionFailed, "WhatsApp marks messages read only within 30 days")
	}
	var out *Message
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		locked, err := s.store.LockMessage(ctx, m.ID)
		if err != nil {
			return err
		}
		out = locked
		if locked.MarkedReadAt != nil {
			return nil // a concurrent request marked it first
		}
		if err := s.store.MarkInboundRead(ctx, locked, s.now()); err != nil {
			return err
		}
		if err := s.store.Enqueue(ctx, JobMarkRead, locked.ID); err != nil {
			return err
		}
		out, err = s.store.FindMessage(ctx, locked.ID) // as stored
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PreparedMarkRead is what the mark-read worker needs for one message.
type PreparedMarkRead struct {
	Channel           *Channel
	AccessToken       string
	ProviderMessageID string
}

// PrepareMarkRead loads an inbound message to mark read. System only.
// Errors: forbidden, not_found, precondition_failed (no wamid or token).
func (s *Service) PrepareMarkRead(ctx context.Context, messageID string) (*PreparedMarkRead, error) {
	if err := systemOnly(ctx, "only the mark-read worker prepares read receipts"); err != nil {
		return nil, err
	}
	m, err := s.store.FindMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	if m.Direction != DirectionInbound || m.ProviderMessageID == "" {
		return nil, Errorf(CodePreconditionFailed, "only inbound WhatsApp messages are marked read")
	}
	ch, err := s.Channel(ctx, m.ChannelID)
	if err != nil {
		return nil, err
	}
	token, _, err := s.ChannelCredentials(ctx, ch)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, Errorf(CodePreconditionFailed, "the number has no access token")
	}
	return &PreparedMarkRead{Channel: ch, AccessToken: token, ProviderMessageID: m.ProviderMessageID}, nil
}
