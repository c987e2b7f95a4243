package domain

import "context"

// JobKind names a durable job about one message.
type JobKind string

const (
	JobSend          JobKind = "whatsapp_send"           // deliver an outbound message
	JobMediaDownload JobKind = "whatsapp_media_download" // fetch an inbound message's media
	JobMarkRead      JobKind = "whatsapp_mark_read"      // tell the customer we read it
)

// OutboxStore enqueues work about a message in the caller's transaction, so
// a stored message and its job commit or roll back together.
type OutboxStore interface {
	Enqueue(ctx context.Context, kind JobKind, messageID string) error
	FindMessageByIdempotencyKey(ctx context.Context, key string) (*Message, error)
}

// PreparedSend is everything the send worker needs for one message.
type PreparedSend struct {
	Message     *Message
	Channel     *Channel
	AccessToken string
	// To is the recipient's wa_id with a leading "+", as Meta wants it;
	// empty for a customer known only by RecipientUserID (BSUID).
	To              string
	RecipientUserID string
}

// PrepareSend loads a queued outbound message for the send worker. It
// returns nil when there is nothing left to do (already sent or failed), so
// a job run twice never sends twice. System only.
// Errors: forbidden, not_found, precondition_failed (no access token).
func (s *Service) PrepareSend(ctx context.Context, messageID string) (*PreparedSend, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.System {
		return nil, Errorf(CodeForbidden, "only the send worker prepares sends")
	}
	m, err := s.Message(ctx, messageID)
	if err != nil {
		return nil, err
	}
	if m.Direction != DirectionOutbound || m.Status != DeliveryQueued || m.ProviderMessageID != "" {
		return nil, nil
	}
	conv, err := s.Conversation(ctx, m.ConversationID)
	if err != nil {
		return nil, err
	}
	ch, err := s.Channel(ctx, m.ChannelID)
	if err != nil {
		return nil, err
	}
	contact, err := s.Contact(ctx, conv.ContactID)
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
	prep := &PreparedSend{Message: m, Channel: ch, AccessToken: token}
	switch {
	case contact.WaID != "":
		prep.To = "+" + contact.WaID
	case contact.UserID != "":
		prep.RecipientUserID = contact.UserID
	default:
		return nil, Errorf(CodePreconditionFailed, "the contact has no WhatsApp id")
	}
	return prep, nil
}

// FailSend ends an outbound message as failed with the provider's code and
// a readable reason (a permanent error, or retries exhausted). System only.
func (s *Service) FailSend(ctx context.Context, messageID, code, reason string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System {
		return Errorf(CodeForbidden, "only the send worker fails sends")
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		// Locked like ApplyStatus does: a receipt committing meanwhile
		// (the send got through after all) is seen, and outranks this.
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		// A failed message is never sent again: forget its attempt.
		if err := s.store.ClearSendAttempt(ctx, m.ID); err != nil {
			return err
		}
		return s.advance(ctx, m, []StatusUpdate{{Status: DeliveryFailed, ErrorCode: code, ErrorTitle: reason}}, false)
	})
}
