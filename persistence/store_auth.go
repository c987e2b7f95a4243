package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// CreateAPIKey inserts a key; only the hash of its secret is stored.
func (s *Store) CreateAPIKey(ctx context.Context, k *domain.APIKey) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&k.WorkspaceID, ws); err != nil {
		return err
	}
	row := apiKeyFromDomain(k)
	return writeError(db.Create(&row).Error, "API key")
}

// FindAPIKey returns one key of the workspace.
func (s *Store) FindAPIKey(ctx context.Context, id string) (*domain.APIKey, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row apiKeyRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "API key")
	}
	return row.toDomain(), nil
}

// FindAPIKeys lists the workspace's keys oldest first.
func (s *Store) FindAPIKeys(ctx context.Context) ([]*domain.APIKey, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []apiKeyRow
	if err := db.Where("workspace_id = ?", ws).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "API key")
	}
	keys := make([]*domain.APIKey, len(rows))
	for i := range rows {
		keys[i] = rows[i].toDomain()
	}
	return keys, nil
}

// UpdateAPIKey writes a key's name, role and lifetime instants.
func (s *Store) UpdateAPIKey(ctx context.Context, k *domain.APIKey) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := apiKeyFromDomain(k)
	res := db.Table("api_keys").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "role": row.Role, "expires_at": row.ExpiresAt, "revoked_at": row.RevokedAt,
		"last_used_at": row.LastUsedAt,
	})
	return updated(res, "API key")
}

// The methods below implement domain.AuthStore. They run before any
// workspace is known and are unscoped by nature; each looks up by a value
// that is unique across all workspaces (an email within active users, an
// id pair from a signed token, a secret or token hash) and is used only to
// authenticate. On Postgres they run cross-tenant (rls.go), or in the
// workspace their arguments name.

// FindActiveUsersByEmail returns the active users with this email in every
// workspace, with their QueueIDs.
func (s *Store) FindActiveUsersByEmail(ctx context.Context, email string) ([]*domain.User, error) {
	ctx = crossTenant(ctx)
	var rows []userRow
	err := s.conn(ctx).Where("email = ? AND active = ?", email, true).Order("workspace_id").Find(&rows).Error
	if err != nil {
		return nil, writeError(err, "user")
	}
	users := make([]*domain.User, len(rows))
	byID := make(map[string]*domain.User, len(rows))
	ids := make([]string, len(rows))
	for i := range rows {
		users[i] = rows[i].toDomain()
		byID[users[i].ID], ids[i] = users[i], users[i].ID
	}
	if len(ids) == 0 {
		return users, nil
	}
	// One query for every workspace's memberships; a link counts only
	// inside its user's own workspace.
	var links []queueMemberRow
	if err := s.conn(ctx).Where("user_id IN ?", ids).Order("queue_id").Find(&links).Error; err != nil {
		return nil, writeError(err, "queue membership")
	}
	for _, l := range links {
		if u := byID[l.UserID]; u.WorkspaceID == l.WorkspaceID {
			u.QueueIDs = append(u.QueueIDs, l.QueueID)
		}
	}
	return users, nil
}

// FindUserForAuth reads the user named by a verified access token, with
// QueueIDs (they become the principal's).
func (s *Store) FindUserForAuth(ctx context.Context, workspaceID, userID string) (*domain.User, error) {
	return s.findUser(inWorkspace(ctx, workspaceID), workspaceID, userID)
}

// FindAPIKeyByHash finds a key by the hash of its secret.
func (s *Store) FindAPIKeyByHash(ctx context.Context, secretHash string) (*domain.APIKey, error) {
	ctx = crossTenant(ctx)
	var row apiKeyRow
	if err := s.conn(ctx).Where("secret_hash = ?", secretHash).Take(&row).Error; err != nil {
		return nil, writeError(err, "API key")
	}
	return row.toDomain(), nil
}

// TouchAPIKey records when a key was last used.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	ctx = crossTenant(ctx)
	res := s.conn(ctx).Table("api_keys").Where("id = ?", id).Update("last_used_at", storedTime(&at))
	return updated(res, "API key")
}

// CreateSession stores a refresh-token session.
func (s *Store) CreateSession(ctx context.Context, ses *domain.Session) error {
	row := sessionFromDomain(ses)
	return writeError(s.conn(inWorkspace(ctx, ses.WorkspaceID)).Create(&row).Error, "session")
}

// FindSessionByHash finds a session by the hash of its refresh token.
func (s *Store) FindSessionByHash(ctx context.Context, tokenHash string) (*domain.Session, error) {
	ctx = crossTenant(ctx)
	var row sessionRow
	if err := s.conn(ctx).Where("token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return nil, writeError(err, "session")
	}
	return row.toDomain(), nil
}

// FindSessionByID finds a session by its id, as an access token names it.
func (s *Store) FindSessionByID(ctx context.Context, id string) (*domain.Session, error) {
	ctx = crossTenant(ctx)
	var row sessionRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, writeError(err, "session")
	}
	return row.toDomain(), nil
}

// MarkSessionUsed spends a session only if nobody spent it before: of two
// concurrent refreshes with the same token exactly one sees true.
func (s *Store) MarkSessionUsed(ctx context.Context, id string, at time.Time) (bool, error) {
	ctx = crossTenant(ctx)
	res := s.conn(ctx).Table("sessions").Where("id = ? AND used_at IS NULL", id).Update("used_at", storedTime(&at))
	if res.Error != nil {
		return false, writeError(res.Error, "session")
	}
	return res.RowsAffected == 1, nil
}

// RevokeSessionFamily revokes every session of a refresh-token family.
// Already revoked sessions keep their first revocation instant.
func (s *Store) RevokeSessionFamily(ctx context.Context, familyID string, at time.Time) error {
	ctx = crossTenant(ctx)
	err := s.conn(ctx).Table("sessions").Where("family_id = ? AND revoked_at IS NULL", familyID).
		Update("revoked_at", storedTime(&at)).Error
	return writeError(err, "session")
}

// RevokeUserSessions revokes every session of a user.
func (s *Store) RevokeUserSessions(ctx context.Context, userID string, at time.Time) error {
	ctx = crossTenant(ctx)
	err := s.conn(ctx).Table("sessions").Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", storedTime(&at)).Error
	return writeError(err, "session")
}
