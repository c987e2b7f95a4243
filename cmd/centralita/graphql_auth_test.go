package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/api"
)

// requireGraphQLUnauthenticated checks /graphql refuses a credential the
// way GraphQL over HTTP clients expect: 401 with WWW-Authenticate, and a
// GraphQL body whose one error says UNAUTHENTICATED (no REST problem).
func requireGraphQLUnauthenticated(t *testing.T, a *testApp, token string) {
	t.Helper()
	res := a.do(http.MethodPost, "/graphql", token, map[string]any{"query": `{ me { id } }`})
	require.Equal(t, http.StatusUnauthorized, res.Status, "graphql: %s", res.Body)
	require.Equal(t, `Bearer realm="centralita"`, res.Header.Get("WWW-Authenticate"))
	require.Contains(t, res.Header.Get("Content-Type"), "application/json")
	var body struct {
		Data   *json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
		Code string `json:"code"` // a REST problem's field: must be absent
	}
	res.decode(t, &body)
	require.Len(t, body.Errors, 1, "%s", res.Body)
	require.Equal(t, "UNAUTHENTICATED", body.Errors[0].Extensions["code"])
	require.Equal(t, res.Header.Get("X-Request-Id"), body.Errors[0].Extensions["requestId"])
	require.NotEmpty(t, body.Errors[0].Message)
	require.Nil(t, body.Data, "a request refused before execution has no data")
	require.Empty(t, body.Code, "not a problem+json")
}

// Every way a credential can fail answers /graphql in GraphQL's shape.
func TestGraphQLAuthFailuresAreGraphQLErrors(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Shape Co")

	// An access token for a live session that expired an hour ago, signed
	// with the right key: only its age is wrong.
	live := loginSession(t, c, tn.OwnerEmail, testPassword)
	past, err := api.NewTokens([]byte(app.Config.JWTSecret), "centralita", app.Config.AccessTokenTTL,
		func() time.Time { return time.Now().Add(-time.Hour) })
	require.NoError(t, err)
	owner, err := app.Service.User(app.system(tn), tn.OwnerID)
	require.NoError(t, err)
	expired, _, err := past.Issue(owner, sessionIDOf(t, live.AccessToken))
	require.NoError(t, err)
	app.gqlOK(live.AccessToken, `{ me { id } }`, nil)

	s := loginSession(t, c, tn.OwnerEmail, testPassword)
	c.expect(http.StatusNoContent, http.MethodPost, "/v1/auth/logout", "", map[string]string{"refresh_token": s.RefreshToken})

	for name, token := range map[string]string{
		"missing": "", "malformed": "not-a-token", "expired": expired, "logged out": s.AccessToken,
		"unknown API key": "ck_" + "0123456789abcdefghijklmnopqrstuv",
	} {
		t.Run(name, func(t *testing.T) { requireGraphQLUnauthenticated(t, app, token) })
	}
	// REST keeps its problem+json; a good credential still works.
	require.Equal(t, "unauthenticated", problemOf(t, c.expect(http.StatusUnauthorized, http.MethodGet, "/v1/me", "", nil)).Code)
	app.gqlOK(tn.OwnerToken, `{ me { id } }`, nil)
}

// sessionIDOf reads the session claim of an access token (no check: the
// test only reuses it to mint a twin).
func sessionIDOf(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims struct {
		SessionID string `json:"sid"`
	}
	require.NoError(t, json.Unmarshal(raw, &claims))
	require.NotEmpty(t, claims.SessionID)
	return claims.SessionID
}
