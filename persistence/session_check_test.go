package persistence_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

// manualClock is a clock the test moves by hand.
type manualClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

// Two services on one database play two replicas: a logout on one reaches
// the other once its short session cache lapses, and at once on itself.
func TestSessionRevocationReachesOtherReplicas(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	clock := &manualClock{at: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	opts := domain.Options{Now: clock.now, RefreshTTL: time.Hour}
	here := domain.NewService(e.store, plainHasher{}, opts)
	there := domain.NewService(e.store, plainHasher{}, opts)

	u, grant, err := here.Login(ctx, domain.LoginInput{Email: "owner@acme.test", Password: "correct horse battery"})
	must(t, err)
	claims := domain.AccessClaims{WorkspaceID: u.WorkspaceID, UserID: u.ID, SessionID: grant.SessionID, TokenVersion: u.TokenVersion}
	_, err = here.AuthenticateUser(ctx, claims)
	must(t, err)
	_, err = there.AuthenticateUser(ctx, claims)
	must(t, err)

	must(t, here.Logout(ctx, grant.RefreshToken))
	_, err = here.AuthenticateUser(ctx, claims)
	wantCode(t, err, domain.CodeUnauthenticated)

	// The other replica trusted the session a moment ago; it may keep doing
	// so for a few seconds, no longer.
	_, err = there.AuthenticateUser(ctx, claims)
	must(t, err)
	clock.advance(5 * time.Second)
	_, err = there.AuthenticateUser(ctx, claims)
	wantCode(t, err, domain.CodeUnauthenticated)

	// A session past its refresh lifetime no longer backs access tokens.
	_, grant, err = there.Login(ctx, domain.LoginInput{Email: "owner@acme.test", Password: "correct horse battery"})
	must(t, err)
	claims.SessionID = grant.SessionID
	_, err = there.AuthenticateUser(ctx, claims)
	must(t, err)
	clock.advance(time.Hour)
	_, err = there.AuthenticateUser(ctx, claims)
	wantCode(t, err, domain.CodeUnauthenticated)

	// Claims naming a session of another user are refused.
	_, other, err := there.Login(ctx, domain.LoginInput{Email: "owner@beta.test", Password: "correct horse battery"})
	must(t, err)
	claims.SessionID = other.SessionID
	_, err = there.AuthenticateUser(ctx, claims)
	wantCode(t, err, domain.CodeUnauthenticated)
}
