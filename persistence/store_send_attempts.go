package persistence

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

type sendAttemptRow struct {
	MessageID   string  `gorm:"column:message_id;primaryKey"`
	WorkspaceID string  `gorm:"column:workspace_id"`
	AttemptedAt utcTime `gorm:"column:attempted_at"`
}

func (sendAttemptRow) TableName() string { return "send_attempts" }

// SendAttemptedAt returns when the message's unanswered send attempt
// started, or nil.
func (s *Store) SendAttemptedAt(ctx context.Context, messageID string) (*time.Time, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []sendAttemptRow
	if err := db.Where("workspace_id = ? AND message_id = ?", ws, messageID).Limit(1).Find(&rows).Error; err != nil {
		return nil, writeError(err, "send attempt")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	at := rows[0].AttemptedAt.Time
	return &at, nil
}

// MarkSendAttempt records or moves the message's send attempt.
func (s *Store) MarkSendAttempt(ctx context.Context, messageID string, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := sendAttemptRow{MessageID: messageID, WorkspaceID: ws, AttemptedAt: storedTime(&at)}
	err = db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "message_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"attempted_at"})}).Create(&row).Error
	return writeError(err, "send attempt")
}

// ClearSendAttempt forgets the message's send attempt, if any.
func (s *Store) ClearSendAttempt(ctx context.Context, messageID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	err = db.Where("workspace_id = ? AND message_id = ?", ws, messageID).Delete(&sendAttemptRow{}).Error
	return writeError(err, "send attempt")
}
