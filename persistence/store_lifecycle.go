package persistence

import (
	"context"

	"github.com/centralita/centralita/domain"
)

type closeReasonRow struct {
	ID          string   `gorm:"column:id;primaryKey"`
	WorkspaceID string   `gorm:"column:workspace_id"`
	Key         string   `gorm:"column:key"`
	Name        string   `gorm:"column:name"`
	CreatedAt   utcTime  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   utcTime  `gorm:"column:updated_at;autoUpdateTime:false"`
	DeletedAt   *utcTime `gorm:"column:deleted_at"`
}

func (closeReasonRow) TableName() string { return "close_reasons" }

func closeReasonFromDomain(r *domain.CloseReason) closeReasonRow {
	return closeReasonRow{ID: r.ID, WorkspaceID: r.WorkspaceID, Key: r.Key, Name: r.Name,
		CreatedAt: storedTime(&r.CreatedAt), UpdatedAt: storedTime(&r.UpdatedAt), DeletedAt: storedTimePtr(r.DeletedAt)}
}

func (r *closeReasonRow) toDomain() *domain.CloseReason {
	return &domain.CloseReason{ID: r.ID, WorkspaceID: r.WorkspaceID, Key: r.Key, Name: r.Name,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time, DeletedAt: timePtr(r.DeletedAt)}
}

// CreateCloseReason stores a reason; a key already used by a reason that
// is not deleted is a conflict.
func (s *Store) CreateCloseReason(ctx context.Context, r *domain.CloseReason) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&r.WorkspaceID, ws); err != nil {
		return err
	}
	row := closeReasonFromDomain(r)
	return writeError(db.Create(&row).Error, "close reason")
}

// FindCloseReason returns a reason that is not deleted.
func (s *Store) FindCloseReason(ctx context.Context, id string) (*domain.CloseReason, error) {
	return s.findCloseReason(ctx, "id", id)
}

// FindCloseReasonByKey returns the reason (not deleted) with that key.
func (s *Store) FindCloseReasonByKey(ctx context.Context, key string) (*domain.CloseReason, error) {
	return s.findCloseReason(ctx, "key", key)
}

// findCloseReason looks a reason up by column, a constant of this file.
func (s *Store) findCloseReason(ctx context.Context, column, value string) (*domain.CloseReason, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row closeReasonRow
	err = db.Where("workspace_id = ? AND "+column+" = ? AND deleted_at IS NULL", ws, value).Take(&row).Error
	if err != nil {
		return nil, writeError(err, "close reason")
	}
	return row.toDomain(), nil
}

// FindCloseReasons lists the reasons that are not deleted, by key.
func (s *Store) FindCloseReasons(ctx context.Context) ([]*domain.CloseReason, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []closeReasonRow
	if err := db.Where("workspace_id = ? AND deleted_at IS NULL", ws).Order("key, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "close reason")
	}
	out := make([]*domain.CloseReason, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// UpdateCloseReason writes a reason's key, name and deletion.
func (s *Store) UpdateCloseReason(ctx context.Context, r *domain.CloseReason) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := closeReasonFromDomain(r)
	res := db.Table("close_reasons").Where("id = ? AND workspace_id = ? AND deleted_at IS NULL", row.ID, ws).
		Updates(map[string]any{"key": row.Key, "name": row.Name, "updated_at": row.UpdatedAt,
			"deleted_at": row.DeletedAt})
	return updated(res, "close reason")
}

// FindLatestConversation returns the contact's newest conversation on the
// channel, whatever its status.
func (s *Store) FindLatestConversation(ctx context.Context, contactID, channelID string) (*domain.Conversation, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row conversationRow
	err = conversationsWithWindow(db).Where("c.workspace_id = ? AND c.contact_id = ? AND c.channel_id = ?",
		ws, contactID, channelID).Order("c.created_at DESC, c.id DESC").Take(&row).Error
	if err != nil {
		return nil, writeError(err, "conversation")
	}
	convs := []*domain.Conversation{row.toDomain()}
	return convs[0], s.loadConversationTags(ctx, ws, convs)
}

// FindConversationEvents lists the events whose subject is the
// conversation, oldest first (events_subject index).
func (s *Store) FindConversationEvents(ctx context.Context, conversationID string, pq domain.PageQuery) (domain.Page[*domain.Event], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.Event]{}, err
	}
	q := db.Table("events").Where("workspace_id = ? AND subject_id = ?", ws, conversationID)
	var rows []eventRow
	if err := keyset(q, "created_at", "id", pq, false).Find(&rows).Error; err != nil {
		return domain.Page[*domain.Event]{}, writeError(err, "event")
	}
	return makePage(rows, pq, (*eventRow).toDomain, func(e *domain.Event) domain.Cursor {
		return domain.Cursor{Time: e.CreatedAt, ID: e.ID}
	}), nil
}

func (r *eventRow) toDomain() *domain.Event {
	payload := map[string]any(r.Payload)
	if payload == nil {
		payload = map[string]any{}
	}
	return &domain.Event{ID: r.ID, WorkspaceID: r.WorkspaceID, Type: r.Type,
		Actor:     domain.Actor{Kind: domain.ActorKind(r.ActorKind), ID: r.ActorID},
		SubjectID: r.SubjectID, Payload: payload, CreatedAt: r.CreatedAt.Time,
		Position: domain.EventPosition{Tx: r.Tx, Seq: r.Seq}}
}
