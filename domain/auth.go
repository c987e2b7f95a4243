package domain

import (
	"context"
	"math"
	"slices"
	"time"
)

// LoginInput is what a user types to sign in.
type LoginInput struct {
	Email    string
	Password string
	// WorkspaceID picks the workspace when the email belongs to several.
	WorkspaceID string
	ClientIP    string
	// DeviceToken, from an earlier login or refresh of this email, counts
	// the attempt apart from strangers' (login_device.go).
	DeviceToken string
}

// SessionGrant is what login and refresh hand out: the refresh token and the
// id of its session, which the access token carries so it dies with it.
type SessionGrant struct {
	SessionID    string
	RefreshToken string
	// DeviceToken proves this client at its next login (login_device.go).
	DeviceToken string
}

// Login checks a password and opens a session. It returns the user and the
// session's grant; the adapter mints the short-lived access token.
// Errors: invalid, unauthenticated (same message for unknown email and wrong
// password), rate_limited.
func (s *Service) Login(ctx context.Context, in LoginInput) (*User, SessionGrant, error) {
	email := NormalizeEmail(in.Email)
	if email == "" || in.Password == "" {
		return nil, SessionGrant{}, FieldError("email", "email and password are required")
	}
	now := s.now()
	device, known := s.knownDevice(in.DeviceToken, email, now)
	ipKey := "ip:" + in.ClientIP
	if known {
		if ok, wait := s.logins.takeKnown(email, device, s.opts.LoginWindow, now); !ok {
			return nil, SessionGrant{}, rateLimited(wait)
		}
	} else {
		// The address is checked first: a source over its budget must not add
		// failures to an email it has not yet guessed at. See login_throttle.go.
		if err := s.takeAttempt(ipKey, s.opts.LoginAttempts*10, now); err != nil {
			return nil, SessionGrant{}, err
		}
		if ok, wait := s.logins.take(email, in.ClientIP, s.opts.LoginAttempts*10, s.opts.LoginWindow, now); !ok {
			s.throttle.refund(ipKey)
			return nil, SessionGrant{}, rateLimited(wait)
		}
	}
	denied := Errorf(CodeUnauthenticated, "invalid email or password")
	if slices.Contains(s.opts.RefusedSecrets, in.Password) {
		return nil, SessionGrant{}, denied
	}
	users, err := s.store.FindActiveUsersByEmail(ctx, email)
	if err != nil {
		return nil, SessionGrant{}, err
	}
	var matches []*User
	for _, u := range users {
		if in.WorkspaceID != "" && u.WorkspaceID != in.WorkspaceID {
			continue
		}
		if s.hasher.Verify(u.PasswordHash, in.Password) {
			matches = append(matches, u)
		}
	}
	if len(users) == 0 {
		// Spend the same time as a real check so timing does not reveal
		// which emails exist.
		s.hasher.Verify(s.timingHash(), in.Password)
	}
	if len(matches) == 0 {
		if err := s.recordLoginFailures(ctx, users, in); err != nil {
			return nil, SessionGrant{}, err
		}
		return nil, SessionGrant{}, denied
	}
	// Only a caller who knows the password learns that the email belongs
	// to several workspaces.
	if len(matches) > 1 {
		return nil, SessionGrant{}, FieldError("workspace_id", "this email belongs to several workspaces: send workspace_id")
	}
	u := matches[0]
	if known {
		s.logins.succeededKnown(email, device)
	} else {
		s.logins.succeeded(email, in.ClientIP)
		s.throttle.refund(ipKey)
	}
	var grant SessionGrant
	userCtx := WithPrincipal(ctx, Principal{WorkspaceID: u.WorkspaceID, UserID: u.ID, Role: u.Role})
	err = s.store.InTx(userCtx, func(ctx context.Context) error {
		var err error
		if grant, err = s.openSession(ctx, u, NewID(PrefixSession)); err != nil {
			return err
		}
		return s.record(ctx, EventLoginSucceeded, u.ID, map[string]any{"user_id": u.ID,
			"session_id": grant.SessionID, "client_ip": in.ClientIP})
	})
	if err != nil {
		return nil, SessionGrant{}, err
	}
	return u, grant, nil
}

// recordLoginFailures records a failed login in each workspace where the
// email belongs to a user (the one named by WorkspaceID, when given): a
// workspace's admins see who is being guessed at. An unknown email records
// nothing, and an attempt refused by the throttle never gets this far, so
// a flood writes at most the throttle's budget of events. The caller is
// not authenticated: the actor is the system, the subject the user.
func (s *Service) recordLoginFailures(ctx context.Context, users []*User, in LoginInput) error {
	for _, u := range users {
		if in.WorkspaceID != "" && u.WorkspaceID != in.WorkspaceID {
			continue
		}
		err := s.record(SystemContext(ctx, u.WorkspaceID), EventLoginFailed, u.ID,
			map[string]any{"user_id": u.ID, "client_ip": in.ClientIP})
		if err != nil {
			return err
		}
	}
	return nil
}

// takeAttempt counts one password attempt for key, or answers rate_limited
// when the key has used its budget for the window.
func (s *Service) takeAttempt(key string, limit int, now time.Time) error {
	if ok, wait := s.throttle.take(key, limit, s.opts.LoginWindow, now); !ok {
		return rateLimited(wait)
	}
	return nil
}

func rateLimited(wait time.Duration) error {
	return &Error{Code: CodeRateLimited, Message: "too many attempts; try again later",
		RetryAfterSeconds: int(math.Ceil(wait.Seconds()))}
}

// timingHash is a real hash from the configured hasher, verified against
// when the email is unknown.
func (s *Service) timingHash() string {
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.hasher.Hash("centralita-timing-equaliser") })
	return s.dummyHash
}

func (s *Service) openSession(ctx context.Context, u *User, familyID string) (SessionGrant, error) {
	now := s.now()
	grant := SessionGrant{SessionID: NewID(PrefixSession), RefreshToken: randomToken("rt_"),
		DeviceToken: s.issueDeviceToken(NormalizeEmail(u.Email), now)}
	err := s.store.CreateSession(ctx, &Session{ID: grant.SessionID, WorkspaceID: u.WorkspaceID,
		UserID: u.ID, FamilyID: familyID, TokenHash: HashToken(grant.RefreshToken),
		ExpiresAt: now.Add(s.opts.RefreshTTL), CreatedAt: now})
	return grant, err
}

// Refresh spends a refresh token and returns the user and its successor.
// Presenting a token that was already spent revokes its whole family: one
// of the two holders is a thief.
// Errors: unauthenticated.
func (s *Service) Refresh(ctx context.Context, token string) (*User, SessionGrant, error) {
	denied := Errorf(CodeUnauthenticated, "refresh token is not valid")
	if token == "" {
		return nil, SessionGrant{}, denied
	}
	var user *User
	var next SessionGrant
	reused := false
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		ses, err := s.store.FindSessionByHash(ctx, HashToken(token))
		if ErrorCode(err) == CodeNotFound {
			return denied
		}
		if err != nil {
			return err
		}
		now := s.now()
		if ses.RevokedAt != nil || !now.Before(ses.ExpiresAt) {
			return denied
		}
		won, err := s.store.MarkSessionUsed(ctx, ses.ID, now)
		if err != nil {
			return err
		}
		if ses.UsedAt != nil || !won {
			reused = true
			return s.store.RevokeSessionFamily(ctx, ses.FamilyID, now)
		}
		u, err := s.store.FindUserForAuth(ctx, ses.WorkspaceID, ses.UserID)
		if err != nil || !u.Active {
			return denied
		}
		user = u
		next, err = s.openSession(ctx, u, ses.FamilyID)
		return err
	})
	if reused {
		s.sessions.forget()
		return nil, SessionGrant{}, Errorf(CodeUnauthenticated, "refresh token was already used; every session of this login was revoked")
	}
	if err != nil {
		return nil, SessionGrant{}, err
	}
	return user, next, nil
}

// Logout revokes the session family of a refresh token. Unknown tokens are
// ignored so logout is idempotent.
func (s *Service) Logout(ctx context.Context, token string) error {
	ses, err := s.store.FindSessionByHash(ctx, HashToken(token))
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.store.RevokeSessionFamily(ctx, ses.FamilyID, s.now()); err != nil {
		return err
	}
	s.sessions.forget()
	return nil
}

// ChangePassword replaces the caller's password and ends every session and
// access token of the user.
// Errors: unauthenticated, forbidden (API keys), invalid.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.UserID == "" {
		return Errorf(CodeForbidden, "only users have passwords")
	}
	if err := ValidatePassword(next); err != nil {
		return FieldError("new_password", "%s", ErrorMessage(err))
	}
	u, err := s.store.FindUser(ctx, p.UserID)
	if err != nil {
		return err
	}
	key := "password:" + u.ID
	if err := s.takeAttempt(key, s.opts.LoginAttempts, s.now()); err != nil {
		return err
	}
	if !s.hasher.Verify(u.PasswordHash, current) {
		return FieldError("current_password", "current password is wrong")
	}
	s.throttle.clear(key)
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		u.PasswordHash = hash
		u.TokenVersion++
		u.UpdatedAt = s.now()
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.store.RevokeUserSessions(ctx, u.ID, s.now())
	})
	s.sessions.forget()
	return err
}

// AuthenticateAPIKey turns an API key secret into a principal.
// Errors: unauthenticated.
func (s *Service) AuthenticateAPIKey(ctx context.Context, secret string) (Principal, error) {
	denied := Errorf(CodeUnauthenticated, "API key is not valid")
	if slices.Contains(s.opts.RefusedSecrets, secret) {
		return Principal{}, denied
	}
	k, err := s.store.FindAPIKeyByHash(ctx, HashToken(secret))
	if ErrorCode(err) == CodeNotFound {
		return Principal{}, denied
	}
	if err != nil {
		return Principal{}, err
	}
	now := s.now()
	if !k.Usable(now) {
		return Principal{}, denied
	}
	// Record use at most once a minute so authentication stays read-mostly.
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		if err := s.store.TouchAPIKey(ctx, k.ID, now); err != nil {
			return Principal{}, err
		}
	}
	return Principal{WorkspaceID: k.WorkspaceID, APIKeyID: k.ID, Role: k.Role}, nil
}
