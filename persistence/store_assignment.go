package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// LockAssignment serialises automatic assignment in the caller's workspace
// until the transaction ends. On Postgres it is a transaction-scoped
// advisory lock keyed by the workspace; SQLite runs one writer at a time
// on its single connection, so there is nothing to take.
func (s *Store) LockAssignment(ctx context.Context) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if s.dialect != DialectPostgres {
		return nil
	}
	if _, err := s.sqlTx(ctx); err != nil {
		return err // a transaction lock outside a transaction would not hold
	}
	return writeError(db.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "assignment:"+ws).Error, "queue")
}

type candidateRow struct {
	ID             string   `gorm:"column:id"`
	Role           string   `gorm:"column:role"`
	Availability   string   `gorm:"column:availability"`
	Active         bool     `gorm:"column:active"`
	Capacity       int      `gorm:"column:capacity"`
	Open           int      `gorm:"column:open"`
	LastAssignedAt *utcTime `gorm:"column:last_assigned_at"`
}

const candidatesSQL = `SELECT u.id, u.role, u.availability, u.active, u.capacity, u.last_assigned_at,
  (SELECT count(*) FROM conversations c
    WHERE c.workspace_id = u.workspace_id AND c.assignee_id = u.id AND c.status <> 'closed') AS open
FROM users u JOIN queue_members m ON m.workspace_id = u.workspace_id AND m.user_id = u.id
WHERE m.workspace_id = ? AND m.queue_id = ?
ORDER BY u.id`

// AssignmentCandidates lists the queue's members with their load.
func (s *Store) AssignmentCandidates(ctx context.Context, queueID string) ([]domain.AssignmentCandidate, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []candidateRow
	if err := db.Raw(candidatesSQL, ws, queueID).Scan(&rows).Error; err != nil {
		return nil, writeError(err, "user")
	}
	out := make([]domain.AssignmentCandidate, len(rows))
	for i, r := range rows {
		out[i] = domain.AssignmentCandidate{ID: r.ID, Agent: r.Role == string(domain.RoleAgent), Online: r.Active && r.Availability == string(domain.AvailabilityOnline),
			Open: r.Open, Capacity: r.Capacity, LastAssignedAt: timePtr(r.LastAssignedAt)}
	}
	return out, nil
}

// LastAssignedUser is whom the queue's round robin served last.
func (s *Store) LastAssignedUser(ctx context.Context, queueID string) (string, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return "", err
	}
	var row struct {
		LastAssignedUserID *string `gorm:"column:last_assigned_user_id"`
	}
	err = db.Table("queues").Select("last_assigned_user_id").Where("id = ? AND workspace_id = ?", queueID, ws).
		Take(&row).Error
	if err != nil {
		return "", writeError(err, "queue")
	}
	return str(row.LastAssignedUserID), nil
}

// RecordAssignment remembers the queue's last pick and the user's last
// assignment.
func (s *Store) RecordAssignment(ctx context.Context, queueID, userID string, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Table("queues").Where("id = ? AND workspace_id = ?", queueID, ws).
		Update("last_assigned_user_id", userID)
	if err := updated(res, "queue"); err != nil {
		return err
	}
	res = db.Table("users").Where("id = ? AND workspace_id = ?", userID, ws).
		Update("last_assigned_at", storedTime(&at))
	return updated(res, "user")
}

// WaitingConversations lists unassigned, open conversations of the
// queues, oldest first.
func (s *Store) WaitingConversations(ctx context.Context, queueIDs []string, limit int) ([]domain.WaitingConversation, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID      string `gorm:"column:id"`
		QueueID string `gorm:"column:queue_id"`
	}
	err = db.Table("conversations").Select("id, queue_id").
		Where("workspace_id = ? AND queue_id IN ? AND assignee_id IS NULL AND status <> ?", ws, queueIDs, domain.StatusClosed).
		Order("created_at, id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, writeError(err, "conversation")
	}
	out := make([]domain.WaitingConversation, len(rows))
	for i, r := range rows {
		out[i] = domain.WaitingConversation{ID: r.ID, QueueID: r.QueueID}
	}
	return out, nil
}

// OpenConversationIDsOf lists the not closed conversations a user holds.
func (s *Store) OpenConversationIDsOf(ctx context.Context, userID string) ([]string, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	err = db.Table("conversations").Where("workspace_id = ? AND assignee_id = ? AND status <> ?",
		ws, userID, domain.StatusClosed).Order("created_at, id").Pluck("id", &ids).Error
	return ids, writeError(err, "conversation")
}

// SetOfflineSince records since when a user is offline (nil: not).
func (s *Store) SetOfflineSince(ctx context.Context, userID string, since *time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Table("users").Where("id = ? AND workspace_id = ?", userID, ws).
		Update("offline_since", storedTimePtr(since))
	return updated(res, "user")
}

// OfflineSince is since when a user is offline (nil: not offline).
func (s *Store) OfflineSince(ctx context.Context, userID string) (*time.Time, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row struct {
		OfflineSince *utcTime `gorm:"column:offline_since"`
	}
	if err := db.Table("users").Select("offline_since").Where("id = ? AND workspace_id = ?", userID, ws).
		Take(&row).Error; err != nil {
		return nil, writeError(err, "user")
	}
	return timePtr(row.OfflineSince), nil
}
