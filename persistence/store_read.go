package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
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
	if err != nil {
		return writeError(err, "message")
	}
	return touchConversation(db, ws, upTo.ConversationID, at)
}

// touchConversation moves a conversation's updated_at forward to at when
// one of its messages changed in place (a receipt, a read mark, media
// fetched): an integrator who syncs conversations, then the messages of
// those that changed, sees every message change. The version stays: the
// conversation's own fields did not change, so no concurrent edit of them
// has to retry.
func touchConversation(db *gorm.DB, ws, conversationID string, at time.Time) error {
	err := db.Table("conversations").Where("id = ? AND workspace_id = ? AND updated_at < ?", conversationID, ws, utcTime{at}).
		Update("updated_at", storedTime(&at)).Error
	return writeError(err, "conversation")
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
