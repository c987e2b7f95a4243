package persistence

import (
	"context"

	"github.com/centralita/centralita/domain"
)

type mediaFileRow struct {
	ID          string  `gorm:"column:id;primaryKey"`
	WorkspaceID string  `gorm:"column:workspace_id"`
	MimeType    string  `gorm:"column:mime_type"`
	Filename    string  `gorm:"column:filename"`
	Size        int64   `gorm:"column:size"`
	SHA256      string  `gorm:"column:sha256"`
	CreatedByID string  `gorm:"column:created_by_id"`
	CreatedAt   utcTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (mediaFileRow) TableName() string { return "media_files" }

// CreateMediaFile records a stored file.
func (s *Store) CreateMediaFile(ctx context.Context, f *domain.MediaFile) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&f.WorkspaceID, ws); err != nil {
		return err
	}
	row := mediaFileRow{ID: f.ID, WorkspaceID: f.WorkspaceID, MimeType: f.MimeType, Filename: f.Filename,
		Size: f.Size, SHA256: f.SHA256, CreatedByID: f.CreatedByID, CreatedAt: storedTime(&f.CreatedAt)}
	return writeError(db.Create(&row).Error, "media file")
}

// FindMediaFile loads a stored file's record.
func (s *Store) FindMediaFile(ctx context.Context, id string) (*domain.MediaFile, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var r mediaFileRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&r).Error; err != nil {
		return nil, writeError(err, "media file")
	}
	return &domain.MediaFile{ID: r.ID, WorkspaceID: r.WorkspaceID, MimeType: r.MimeType, Filename: r.Filename,
		Size: r.Size, SHA256: r.SHA256, CreatedByID: r.CreatedByID, CreatedAt: r.CreatedAt.Time}, nil
}

// UpdateMessageContent writes a message's structured content.
func (s *Store) UpdateMessageContent(ctx context.Context, m *domain.Message) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Table("messages").Where("id = ? AND workspace_id = ?", m.ID, ws).Updates(map[string]any{
		"content": contentColumn{m}, "updated_at": storedTime(&m.UpdatedAt),
	})
	if err := updated(res, "message"); err != nil {
		return err
	}
	return touchConversation(db, ws, m.ConversationID, m.UpdatedAt)
}
