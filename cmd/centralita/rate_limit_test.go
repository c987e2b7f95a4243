package main

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// One API key past its quota gets 429 with Retry-After; until then every
// answer says what is left, one less each time. Another key of the same
// workspace and the owner's session have quotas of their own.
func TestRateLimitPerKey(t *testing.T) {
	app, c := limitedApp(t, RateLimitConfig{APIRateLimit: 5})
	tn := app.bootstrap("Acme")
	key, subject := newAPIKey(t, app, tn, "zapier")

	for i := 1; i <= 5; i++ {
		res := c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", key, nil)
		policy := rateField(t, res.Header.Get("RateLimit-Policy"))
		require.Equal(t, quota{q: 5, w: 60}, policy["per-key"], "policy: %s", res.Header.Get("RateLimit-Policy"))
		require.Equal(t, quota{q: 25, w: 60}, policy["per-workspace"], "5 × the key's by default")
		require.Equal(t, map[string]int{"per-key": 5 - i, "per-workspace": 25 - i}, remaining(t, res))
	}
	refused := c.expect(http.StatusTooManyRequests, http.MethodGet, "/v1/conversations", key, nil)
	p := problemOf(t, refused)
	require.Equal(t, "rate_limited", string(p.Code))
	require.Contains(t, p.Detail, "per-key")
	wait, err := strconv.Atoi(refused.Header.Get("Retry-After"))
	require.NoError(t, err)
	limit := rateField(t, refused.Header.Get("RateLimit"))
	require.Equal(t, 0, limit["per-key"].r)
	require.Equal(t, limit["per-key"].t, wait, "Retry-After is when the window resets")

	// Writes are refused alike, and write nothing.
	contacts := app.count("contacts")
	c.expect(http.StatusTooManyRequests, http.MethodPost, "/v1/contacts", key, map[string]any{"wa_id": "5491155550000"})
	require.Equal(t, contacts, app.count("contacts"))
	// Once refused, a replica refuses from memory: the hammering costs
	// the database nothing more.
	require.Equal(t, 6, rateCount(t, app, subject))

	other, _ := newAPIKey(t, app, tn, "crm")
	res := c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", other, nil)
	require.Equal(t, 4, remaining(t, res)["per-key"])
	res = c.expect(http.StatusOK, http.MethodGet, "/v1/me", tn.OwnerToken, nil)
	require.Equal(t, 4, remaining(t, res)["per-user"], "a user's own quota")
	require.NotContains(t, remaining(t, res), "per-key")
}

// The workspace ceiling holds across its keys and users, and leaves other
// workspaces alone.
func TestRateLimitWorkspaceCeiling(t *testing.T) {
	app, c := limitedApp(t, RateLimitConfig{APIRateLimit: 100, WorkspaceRateLimit: intPtr(4)})
	acme := app.bootstrap("Acme")
	beta := app.bootstrap("Beta")
	first, _ := newAPIKey(t, app, acme, "first")
	second, _ := newAPIKey(t, app, acme, "second")

	c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", first, nil)
	c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", second, nil)
	c.expect(http.StatusOK, http.MethodGet, "/v1/me", acme.OwnerToken, nil)
	res := c.expect(http.StatusOK, http.MethodGet, "/v1/queues", first, nil)
	require.Equal(t, map[string]int{"per-key": 98, "per-workspace": 0}, remaining(t, res))

	refused := c.expect(http.StatusTooManyRequests, http.MethodGet, "/v1/conversations", second, nil)
	require.Contains(t, problemOf(t, refused).Detail, "per-workspace")
	require.Equal(t, 0, rateField(t, refused.Header.Get("RateLimit"))["per-workspace"].r)
	c.expect(http.StatusTooManyRequests, http.MethodGet, "/v1/me", acme.OwnerToken, nil)

	res = c.expect(http.StatusOK, http.MethodGet, "/v1/conversations", beta.APIKey, nil)
	require.Equal(t, 3, remaining(t, res)["per-workspace"])
}

// /graphql counts as a request like any other and, refused, answers as
// GraphQL does: 429 with RATE_LIMITED in extensions.code.
func TestRateLimitGraphQLRequests(t *testing.T) {
	app, _ := limitedApp(t, RateLimitConfig{APIRateLimit: 2, GraphQLCostBudget: intPtr(0)})
	tn := app.bootstrap("Acme")
	for range 2 {
		app.gqlOK(tn.APIKey, `{ queues { id } }`, nil)
	}
	res := app.do(http.MethodPost, "/graphql", tn.APIKey, map[string]any{"query": `{ queues { id } }`})
	require.Equal(t, http.StatusTooManyRequests, res.Status, "%s", res.Body)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	var out gqlResponse
	res.decode(t, &out)
	require.Equal(t, []string{"RATE_LIMITED"}, out.errorCodes())
	require.Positive(t, out.Errors[0].Extensions["retryAfterSeconds"])
	require.Equal(t, res.Header.Get("X-Request-Id"), out.Errors[0].Extensions["requestId"])
	require.JSONEq(t, `null`, string(out.Data))
}

// Logins, the webhook, health checks and metrics are never counted, and
// with CENTRALITA_API_RATE_LIMIT=0 nothing is: no header, no counter.
func TestRateLimitExemptRoutesAndOff(t *testing.T) {
	app, c := limitedApp(t, RateLimitConfig{APIRateLimit: 1})
	tn := app.bootstrap("Acme")
	for range 3 {
		app.login(tn.OwnerEmail, testPassword)
		res := c.expect(http.StatusOK, http.MethodGet, "/healthz", "", nil)
		require.Empty(t, res.Header.Get("RateLimit"))
		res = app.do(http.MethodGet, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token="+testVerifyToken+"&hub.challenge=42", "", nil)
		require.Equal(t, http.StatusOK, res.Status)
		require.Empty(t, res.Header.Get("RateLimit"))
	}
	require.Equal(t, 0, app.count("rate_counters"))
	c.expect(http.StatusOK, http.MethodGet, "/v1/queues", tn.APIKey, nil)
	c.expect(http.StatusTooManyRequests, http.MethodGet, "/v1/queues", tn.APIKey, nil)

	off, c := limitedApp(t, RateLimitConfig{APIRateLimit: 0})
	tn = off.bootstrap("Acme")
	for range 20 {
		res := c.expect(http.StatusOK, http.MethodGet, "/v1/queues", tn.APIKey, nil)
		require.Empty(t, res.Header.Get("RateLimit"))
		require.Empty(t, res.Header.Get("RateLimit-Policy"))
		off.gqlOK(tn.APIKey, `{ queues { id } }`, nil)
	}
	require.Equal(t, 0, off.count("rate_counters"))
}
