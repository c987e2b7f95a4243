package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// CreateMessage inserts a message. A second message with the same
// (channel, provider message id) is a conflict, which is how a webhook
// redelivery is recognised.
func (s *Store) CreateMessage(ctx context.Context, m *domain.Message) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&m.WorkspaceID, ws); err != nil {
		return err
	}
	row := messageFromDomain(m)
	return writeError(db.Create(&row).Error, "message")
}

// The own orders of the message and task listings.
var (
	messageListing = listing{timeCol: "created_at", desc: true}
	taskListing    = listing{timeCol: "created_at"}
)

// FindMessages lists a conversation's messages newest first (or by
// updated_at for a sync).
func (s *Store) FindMessages(ctx context.Context, conversationID string, pq domain.PageQuery) (domain.Page[*domain.Message], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.Message]{}, err
	}
	q := db.Table("messages").Where("workspace_id = ? AND conversation_id = ?", ws, conversationID)
	var rows []messageRow
	if err := messageListing.page(q, pq).Find(&rows).Error; err != nil {
		return domain.Page[*domain.Message]{}, writeError(err, "message")
	}
	return makePage(rows, pq, (*messageRow).toDomain, pageKey(pq, (*domain.Message).PageKey,
		func(m *domain.Message) (time.Time, string) { return m.UpdatedAt, m.ID })), nil
}

// lastMessagesSQL picks each conversation's newest message in one query
// (window functions: Postgres, and SQLite since 3.25).
const lastMessagesSQL = `SELECT * FROM (
	SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.conversation_id ORDER BY m.created_at DESC, m.id DESC) AS rn
	FROM messages m WHERE m.workspace_id = ? AND m.conversation_id IN ?
) newest WHERE newest.rn = 1`

// LastMessagesByConversationIDs loads each conversation's newest message;
// conversations without messages have no entry.
func (s *Store) LastMessagesByConversationIDs(ctx context.Context, ids []string) (map[string]*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*domain.Message, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []messageRow
	if err := db.Raw(lastMessagesSQL, ws, ids).Scan(&rows).Error; err != nil {
		return nil, writeError(err, "message")
	}
	for i := range rows {
		out[rows[i].ConversationID] = rows[i].toDomain()
	}
	return out, nil
}

// FindMessage returns one message of the workspace.
func (s *Store) FindMessage(ctx context.Context, id string) (*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row messageRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "message")
	}
	return row.toDomain(), nil
}

// FindNote returns one note of the workspace.
func (s *Store) FindNote(ctx context.Context, id string) (*domain.Note, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row noteRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "note")
	}
	return row.toDomain(), nil
}

// CreateNote inserts an internal note.
func (s *Store) CreateNote(ctx context.Context, n *domain.Note) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&n.WorkspaceID, ws); err != nil {
		return err
	}
	row := noteFromDomain(n)
	return writeError(db.Create(&row).Error, "note")
}

// FindNotes lists a conversation's notes oldest first.
func (s *Store) FindNotes(ctx context.Context, conversationID string, pq domain.PageQuery) (domain.Page[*domain.Note], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.Note]{}, err
	}
	q := db.Table("notes").Where("workspace_id = ? AND conversation_id = ?", ws, conversationID)
	var rows []noteRow
	if err := keyset(q, "created_at", "id", pq, false).Find(&rows).Error; err != nil {
		return domain.Page[*domain.Note]{}, writeError(err, "note")
	}
	return makePage(rows, pq, (*noteRow).toDomain, func(n *domain.Note) domain.Cursor {
		return domain.Cursor{Time: n.CreatedAt, ID: n.ID}
	}), nil
}

// CreateTask inserts a task.
func (s *Store) CreateTask(ctx context.Context, t *domain.Task) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&t.WorkspaceID, ws); err != nil {
		return err
	}
	row := taskFromDomain(t)
	return writeError(db.Create(&row).Error, "task")
}

// FindTask returns one task.
func (s *Store) FindTask(ctx context.Context, id string) (*domain.Task, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row taskRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "task")
	}
	return row.toDomain(), nil
}

// FindTasks lists tasks oldest first (or by updated_at for a sync).
func (s *Store) FindTasks(ctx context.Context, f domain.TaskFilter, pq domain.PageQuery) (domain.Page[*domain.Task], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.Task]{}, err
	}
	q := db.Table("tasks").Where("workspace_id = ?", ws)
	if f.ConversationID != "" {
		q = q.Where("conversation_id = ?", f.ConversationID)
	}
	if f.ContactID != "" {
		q = q.Where("contact_id = ?", f.ContactID)
	}
	if f.AssigneeID != "" {
		q = q.Where("assignee_id = ?", f.AssigneeID)
	}
	if f.Done != nil {
		q = q.Where("done = ?", *f.Done)
	}
	if !f.Visibility.All {
		seen, any := s.visible(db.Table("conversations c").Select("c.id").Where("c.workspace_id = ?", ws), f.Visibility)
		if any {
			q = q.Where("(conversation_id IS NULL OR conversation_id IN (?))", seen)
		} else {
			q = q.Where("conversation_id IS NULL")
		}
	}
	var rows []taskRow
	if err := taskListing.page(q, pq).Find(&rows).Error; err != nil {
		return domain.Page[*domain.Task]{}, writeError(err, "task")
	}
	return makePage(rows, pq, (*taskRow).toDomain, pageKey(pq, (*domain.Task).PageKey,
		func(t *domain.Task) (time.Time, string) { return t.UpdatedAt, t.ID })), nil
}

// UpdateTask writes every field of a task.
func (s *Store) UpdateTask(ctx context.Context, t *domain.Task) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := taskFromDomain(t)
	res := db.Table("tasks").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"conversation_id": row.ConversationID, "contact_id": row.ContactID, "title": row.Title,
		"due_at": row.DueAt, "assignee_id": row.AssigneeID, "done": row.Done, "done_at": row.DoneAt,
		"updated_at": row.UpdatedAt,
	})
	return updated(res, "task")
}
