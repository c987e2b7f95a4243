package persistence

import (
	"context"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm/clause"
)

// CreateWorkspace creates a tenant. It is unscoped by design: no principal
// can belong to a workspace that does not exist yet.
func (s *Store) CreateWorkspace(ctx context.Context, w *domain.Workspace) error {
	row := workspaceFromDomain(w)
	return writeError(s.conn(inWorkspace(ctx, w.ID)).Create(&row).Error, "workspace")
}

// FindWorkspace returns the caller's workspace.
func (s *Store) FindWorkspace(ctx context.Context) (*domain.Workspace, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row workspaceRow
	if err := db.Where("id = ?", ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "workspace")
	}
	return row.toDomain(), nil
}

// UpdateWorkspace writes the caller's workspace settings.
func (s *Store) UpdateWorkspace(ctx context.Context, w *domain.Workspace) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := workspaceFromDomain(w)
	res := db.Table("workspaces").Where("id = ? AND id = ?", row.ID, ws).Updates(map[string]any{
		"partner_id": row.PartnerID, "name": row.Name, "timezone": row.Timezone, "locale": row.Locale,
		"default_queue_id": row.DefaultQueueID, "updated_at": row.UpdatedAt,
		"pending_after_reply": row.PendingAfterReply, "reopen_window_seconds": row.ReopenWindowSeconds,
		"auto_close_pending_seconds": row.AutoClosePendingSeconds,
		"offline_grace_minutes":      row.OfflineGraceMinutes,
		"default_country":            row.DefaultCountry,
		"event_retention_days":       row.EventRetentionDays,
	})
	return updated(res, "workspace")
}

// CreateUser inserts a user and their queue memberships.
func (s *Store) CreateUser(ctx context.Context, u *domain.User) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&u.WorkspaceID, ws); err != nil {
		return err
	}
	row := userFromDomain(u)
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&row).Error; err != nil {
			return writeError(err, "user")
		}
		return s.insertMemberships(ctx, ws, u.ID, u.QueueIDs)
	})
}

func (s *Store) insertMemberships(ctx context.Context, ws, userID string, queueIDs []string) error {
	if len(queueIDs) == 0 {
		return nil
	}
	rows := make([]queueMemberRow, len(queueIDs))
	for i, q := range queueIDs {
		rows[i] = queueMemberRow{WorkspaceID: ws, QueueID: q, UserID: userID}
	}
	err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
	return writeError(err, "queue membership")
}

// FindUser returns a user of the caller's workspace with QueueIDs.
func (s *Store) FindUser(ctx context.Context, id string) (*domain.User, error) {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.findUser(ctx, ws, id)
}

// findUser reads one user of workspace ws; callers decide where ws comes
// from (the principal, or a verified token for FindUserForAuth).
func (s *Store) findUser(ctx context.Context, ws, id string) (*domain.User, error) {
	var row userRow
	if err := s.conn(ctx).Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "user")
	}
	users := []*domain.User{row.toDomain()}
	if err := s.loadUserQueues(ctx, ws, users); err != nil {
		return nil, err
	}
	return users[0], nil
}

// loadUserQueues fills QueueIDs of users with one query.
func (s *Store) loadUserQueues(ctx context.Context, ws string, users []*domain.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[string]*domain.User, len(users))
	ids := make([]string, len(users))
	for i, u := range users {
		byID[u.ID], ids[i] = u, u.ID
	}
	var links []queueMemberRow
	err := s.conn(ctx).Where("workspace_id = ? AND user_id IN ?", ws, ids).
		Order("queue_id").Find(&links).Error
	if err != nil {
		return writeError(err, "queue membership")
	}
	for _, l := range links {
		byID[l.UserID].QueueIDs = append(byID[l.UserID].QueueIDs, l.QueueID)
	}
	return nil
}

// FindUsersByIDs loads users for batching: one query for the users, one for
// their memberships; missing ids are skipped.
func (s *Store) FindUsersByIDs(ctx context.Context, ids []string) ([]*domain.User, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return []*domain.User{}, nil
	}
	var rows []userRow
	if err := db.Where("workspace_id = ? AND id IN ?", ws, ids).Find(&rows).Error; err != nil {
		return nil, writeError(err, "user")
	}
	users := make([]*domain.User, len(rows))
	for i := range rows {
		users[i] = rows[i].toDomain()
	}
	return users, s.loadUserQueues(ctx, ws, users)
}

// FindUsers lists users oldest first.
func (s *Store) FindUsers(ctx context.Context, f domain.UserFilter, pq domain.PageQuery) (domain.Page[*domain.User], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.User]{}, err
	}
	q := db.Table("users AS u").Select("u.*").Where("u.workspace_id = ?", ws)
	if f.QueueID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM queue_members qm WHERE qm.user_id = u.id AND qm.workspace_id = u.workspace_id AND qm.queue_id = ?)", f.QueueID)
	}
	if f.Role != "" {
		q = q.Where("u.role = ?", string(f.Role))
	}
	if f.Active != nil {
		q = q.Where("u.active = ?", *f.Active)
	}
	var rows []userRow
	if err := keyset(q, "u.created_at", "u.id", pq, false).Find(&rows).Error; err != nil {
		return domain.Page[*domain.User]{}, writeError(err, "user")
	}
	p := makePage(rows, pq, (*userRow).toDomain, func(u *domain.User) domain.Cursor {
		return domain.Cursor{Time: u.CreatedAt, ID: u.ID}
	})
	return p, s.loadUserQueues(ctx, ws, p.Items)
}

// UpdateUser writes every field and replaces the queue memberships, in one
// transaction.
func (s *Store) UpdateUser(ctx context.Context, u *domain.User) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := userFromDomain(u)
	return s.InTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Table("users").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
			"email": row.Email, "name": row.Name, "role": row.Role, "availability": row.Availability,
			"capacity": row.Capacity, "active": row.Active, "password_hash": row.PasswordHash,
			"token_version": row.TokenVersion, "updated_at": row.UpdatedAt,
		})
		if err := updated(res, "user"); err != nil {
			return err
		}
		err := s.conn(ctx).Where("workspace_id = ? AND user_id = ?", ws, u.ID).Delete(&queueMemberRow{}).Error
		if err != nil {
			return writeError(err, "queue membership")
		}
		return s.insertMemberships(ctx, ws, u.ID, u.QueueIDs)
	})
}
