package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// requireAccepted checks an access token opens both REST and GraphQL.
func requireAccepted(t *testing.T, c *restClient, token string) {
	t.Helper()
	c.expect(http.StatusOK, http.MethodGet, "/v1/me", token, nil)
	c.app.gqlOK(token, `{ me { id } }`, nil)
}

// requireRefused checks an access token is refused at once on REST (the
// uniform unauthenticated problem) and GraphQL (UNAUTHENTICATED).
func requireRefused(t *testing.T, c *restClient, token string) {
	t.Helper()
	require.Equal(t, "unauthenticated", problemOf(t, c.expect(http.StatusUnauthorized, http.MethodGet, "/v1/me", token, nil)).Code)
	requireGraphQLUnauthenticated(t, c.app, token)
}

func TestAccessTokenRefusedAfterLogout(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	s := loginSession(t, c, tn.OwnerEmail, testPassword)
	requireAccepted(t, c, s.AccessToken)

	c.expect(http.StatusNoContent, http.MethodPost, "/v1/auth/logout", "", map[string]string{"refresh_token": s.RefreshToken})
	requireRefused(t, c, s.AccessToken)

	// Logout ends that login only: the owner's other session and the
	// workspace's API key go on working.
	requireAccepted(t, c, tn.OwnerToken)
	c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", tn.APIKey, nil)
}

func TestAccessTokensRefusedAfterRefreshTokenReuse(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	first := loginSession(t, c, tn.OwnerEmail, testPassword)
	var second sessionBody
	c.expect(http.StatusOK, http.MethodPost, "/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}).decode(t, &second)
	requireAccepted(t, c, first.AccessToken)
	requireAccepted(t, c, second.AccessToken)

	// The spent token comes back: one holder is a thief, the whole family
	// dies, access tokens included.
	c.expect(http.StatusUnauthorized, http.MethodPost, "/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken})
	requireRefused(t, c, first.AccessToken)
	requireRefused(t, c, second.AccessToken)

	requireAccepted(t, c, tn.OwnerToken)
	c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", tn.APIKey, nil)
}

func TestAccessTokenRefusedAfterDeactivation(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	agentID, agentToken := app.member(tn, "ana@example.com", domain.RoleAgent)
	requireAccepted(t, c, agentToken)

	c.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+agentID, tn.OwnerToken, map[string]any{"active": false})
	requireRefused(t, c, agentToken)
	requireAccepted(t, c, tn.OwnerToken)
	c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", tn.APIKey, nil)
}
