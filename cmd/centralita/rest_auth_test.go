package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type sessionBody struct {
	AccessToken  string         `json:"access_token"`
	TokenType    string         `json:"token_type"`
	ExpiresIn    int            `json:"expires_in"`
	RefreshToken string         `json:"refresh_token"`
	User         map[string]any `json:"user"`
}

func loginSession(t *testing.T, c *restClient, email, password string) sessionBody {
	t.Helper()
	var s sessionBody
	c.expect(200, "POST", "/v1/auth/login", "", map[string]string{"email": email, "password": password}).decode(t, &s)
	require.Equal(t, "Bearer", s.TokenType)
	require.Positive(t, s.ExpiresIn)
	require.NotEmpty(t, s.RefreshToken)
	return s
}

func TestRESTLoginRefreshRotationAndReuse(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	first := loginSession(t, c, tn.OwnerEmail, testPassword)
	require.Equal(t, tn.OwnerID, first.User["id"])
	require.NotContains(t, first.User, "password_hash")
	c.expect(200, "GET", "/v1/me", first.AccessToken, nil)

	var second sessionBody
	c.expect(200, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}).decode(t, &second)
	require.NotEqual(t, first.RefreshToken, second.RefreshToken, "refresh rotates the token")
	c.expect(200, "GET", "/v1/me", second.AccessToken, nil)

	// Replaying the spent token revokes the whole family, including the
	// successor the legitimate holder still has.
	p := problemOf(t, c.expect(401, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}))
	require.Equal(t, "unauthenticated", p.Code)
	c.expect(401, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": second.RefreshToken})

	c.expect(401, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": "rt_made_up"})
	c.expect(400, "POST", "/v1/auth/refresh", "", map[string]string{})
}

func TestRESTLogout(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	s := loginSession(t, c, tn.OwnerEmail, testPassword)
	c.expect(204, "POST", "/v1/auth/logout", "", map[string]string{"refresh_token": s.RefreshToken})
	c.expect(401, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken})
	c.expect(204, "POST", "/v1/auth/logout", "", map[string]string{"refresh_token": s.RefreshToken})
	c.expect(204, "POST", "/v1/auth/logout", "", map[string]string{"refresh_token": "rt_unknown"})
}

func TestRESTPasswordChangeEndsEverySession(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	s := loginSession(t, c, tn.OwnerEmail, testPassword)

	p := problemOf(t, c.expect(400, "POST", "/v1/auth/password", s.AccessToken,
		map[string]string{"current_password": "wrong-password", "new_password": "brand-new-password"}))
	require.Equal(t, "current_password", p.Errors[0].Field)
	c.expect(401, "POST", "/v1/auth/password", "", map[string]string{"current_password": testPassword, "new_password": "brand-new-password"})
	c.expect(403, "POST", "/v1/auth/password", tn.APIKey,
		map[string]string{"current_password": testPassword, "new_password": "brand-new-password"})

	c.expect(204, "POST", "/v1/auth/password", s.AccessToken,
		map[string]string{"current_password": testPassword, "new_password": "brand-new-password"})
	c.expect(401, "GET", "/v1/me", s.AccessToken, nil)
	c.expect(401, "GET", "/v1/me", tn.OwnerToken, nil)
	c.expect(401, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken})
	c.expect(401, "POST", "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": testPassword})
	fresh := loginSession(t, c, tn.OwnerEmail, "brand-new-password")
	c.expect(200, "GET", "/v1/me", fresh.AccessToken, nil)
}

func TestRESTLoginIsThrottledAndUniform(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	unknown := problemOf(t, c.expect(401, "POST", "/v1/auth/login", "", map[string]string{"email": "nobody@example.com", "password": "whatever-123"}))
	wrong := problemOf(t, c.expect(401, "POST", "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": "whatever-123"}))
	require.Equal(t, unknown.Detail, wrong.Detail, "unknown email and wrong password look alike")

	var last response
	for range 12 {
		last = c.call("POST", "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": "guess-guess"})
		if last.Status == http.StatusTooManyRequests {
			break
		}
		require.Equal(t, 401, last.Status)
	}
	require.Equal(t, http.StatusTooManyRequests, last.Status)
	require.Equal(t, "rate_limited", problemOf(t, last).Code)
	secs, err := strconv.Atoi(last.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.Positive(t, secs)
	// Even the right password waits out the window.
	c.expect(429, "POST", "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": testPassword})
}

func TestRESTBadCredentialsAreUniform(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	var details []string
	for _, token := range []string{"", "garbage", "a.b.c", tn.OwnerToken + "x", "ck_not_a_key",
		strings.Repeat("x", 5000), "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0."} {
		res := c.call("GET", "/v1/conversations", token, nil)
		require.Equal(t, 401, res.Status)
		require.Contains(t, res.Header.Get("WWW-Authenticate"), "Bearer")
		details = append(details, problemOf(t, res).Detail)
	}
	for _, d := range details {
		require.Equal(t, details[0], d)
	}
}

func TestRESTAPIKeys(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Acme")
	created := c.expect(201, "POST", "/v1/api-keys", tn.OwnerToken, map[string]any{"name": "zapier", "role": "agent",
		"expires_at": "2099-01-01T00:00:00Z"})
	key := object(t, created)
	secret := key["secret"].(string)
	require.True(t, strings.HasPrefix(secret, "ck_"))
	require.Equal(t, "agent", key["role"])
	require.NotContains(t, key, "secret_hash")

	listing := c.expect(200, "GET", "/v1/api-keys", tn.OwnerToken, nil)
	require.NotContains(t, string(listing.Body), secret)
	require.NotContains(t, string(listing.Body), "secret")
	require.NotContains(t, string(listing.Body), "hash")
	require.Len(t, listData(t, listing), 2, "bootstrap key and the new one")

	c.expect(200, "GET", "/v1/workspace", secret, nil)
	c.expect(404, "GET", "/v1/me", secret, nil)
	c.expect(403, "POST", "/v1/api-keys", secret, map[string]any{"name": "escalate", "role": "owner"})

	c.expect(204, "DELETE", "/v1/api-keys/"+key["id"].(string), tn.OwnerToken, nil)
	c.expect(401, "GET", "/v1/workspace", secret, nil)
	c.expect(204, "DELETE", "/v1/api-keys/"+key["id"].(string), tn.OwnerToken, nil)
	c.expect(404, "DELETE", "/v1/api-keys/key_00000000000000000000000000", tn.OwnerToken, nil)
	c.expect(400, "POST", "/v1/api-keys", tn.OwnerToken, map[string]any{"name": "old", "expires_at": "2001-01-01T00:00:00Z"})
}
