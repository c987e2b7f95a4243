package domain

import (
	"context"
	"sync"
	"time"
)

// sessionCacheTTL is how long this process trusts a session it found active.
// Revocations made here clear the cache at once; one made by another replica
// (a logout, a reused refresh token, a deactivation there) reaches this
// replica's cached entries within this TTL, which is why it stays a few
// seconds rather than anything near the access token's lifetime.
const sessionCacheTTL = 3 * time.Second

// sessionCacheLimit bounds memory: past it the cache starts over.
const sessionCacheLimit = 10000

// AccessClaims are what a verified access token says about its holder.
type AccessClaims struct {
	WorkspaceID  string
	UserID       string
	SessionID    string
	TokenVersion int
}

// AuthenticateUser turns the claims of a verified access token into a
// principal. The session must still be open (not logged out, not revoked by
// refresh-token reuse or a password change, not expired) and the user is
// re-read so deactivation, role changes and password changes take effect
// at once.
// Errors: unauthenticated.
func (s *Service) AuthenticateUser(ctx context.Context, c AccessClaims) (Principal, error) {
	denied := Errorf(CodeUnauthenticated, "access token is no longer valid")
	open, err := s.sessionOpen(ctx, c)
	if err != nil {
		return Principal{}, err
	}
	if !open {
		return Principal{}, denied
	}
	u, err := s.store.FindUserForAuth(ctx, c.WorkspaceID, c.UserID)
	if err != nil || !u.Active || u.TokenVersion != c.TokenVersion {
		if err != nil && ErrorCode(err) != CodeNotFound {
			return Principal{}, err
		}
		return Principal{}, denied
	}
	return Principal{WorkspaceID: u.WorkspaceID, UserID: u.ID, Role: u.Role, QueueIDs: u.QueueIDs}, nil
}

// sessionOpen reports whether the access token's session is still open,
// from the cache when it was found open moments ago.
func (s *Service) sessionOpen(ctx context.Context, c AccessClaims) (bool, error) {
	now := s.now()
	if s.sessions.fresh(c.SessionID, now) {
		return true, nil
	}
	ses, err := s.store.FindSessionByID(ctx, c.SessionID)
	if ErrorCode(err) == CodeNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if ses.RevokedAt != nil || !now.Before(ses.ExpiresAt) ||
		ses.UserID != c.UserID || ses.WorkspaceID != c.WorkspaceID {
		return false, nil
	}
	s.sessions.remember(c.SessionID, now)
	return true, nil
}

// sessionCache remembers sessions recently found open. Only open sessions
// are cached, so a revocation can only be missed for sessionCacheTTL.
type sessionCache struct {
	mu      sync.Mutex
	checked map[string]time.Time
}

func newSessionCache() *sessionCache {
	return &sessionCache{checked: map[string]time.Time{}}
}

func (c *sessionCache) fresh(id string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	at, ok := c.checked[id]
	return ok && now.Sub(at) < sessionCacheTTL && !now.Before(at)
}

func (c *sessionCache) remember(id string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.checked) >= sessionCacheLimit {
		c.checked = map[string]time.Time{}
	}
	c.checked[id] = now
}

// forget drops every entry: revocations are rare and may cover a whole
// family or every session of a user, so clearing all is simplest and safe.
func (c *sessionCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.checked)
}
