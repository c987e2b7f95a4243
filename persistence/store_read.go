package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// MarkInboundRead sets marked_read_at (and updated_at: it is part of the
// message an integrator syncs) on upTo and on every earlier inbound message
// of its conversation that is not marked yet.
func (s *Store) MarkInboundRead(ctx context.Context, upTo *domain.Message, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	err = db.Table("messages").
		Where("workspace_id = ? AND conversation_id = ? AND direction = ? AND marked_read_at IS NULL",
			ws, upTo.ConversationID, string(domain.DirectionInbound)).
		Where("(created_at, id) <= (?, ?)", utcTime{upTo.CreatedAt}, upTo.ID).
		Updates(map[string]any{"marked_read_at": utcTime{at}, "updated_at": utcTime{at}}).Error
	return writeError(err, "message")
}

// NewestInboundMessage returns the conversation's latest inbound message
// that has a wamid.
func (s *Store) NewestInboundMessage(ctx context.Context, conversationID string) (*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row messageRow
	err = db.Where("workspace_id = ? AND conversation_id = ? AND direction = ? AND provider_message_id <> ''",
		ws, conversationID, string(domain.DirectionInbound)).
		Order("created_at DESC, id DESC").Take(&row).Error
	if err != nil {
		return nil, writeError(err, "message")
	}
	return row.toDomain(), nil
}
