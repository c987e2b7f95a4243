package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// gqlRaw posts a GraphQL operation and keeps the HTTP answer.
func gqlRaw(app *testApp, token, query string) response {
	return app.do(http.MethodPost, "/graphql", token, map[string]any{"query": query})
}

// A GraphQL operation spends its computed cost from the caller's budget:
// a large listing spends many times what a small lookup does, and once the
// budget is spent GraphQL answers 429 RATE_LIMITED while REST, counted in
// requests, still works.
func TestGraphQLCostBudget(t *testing.T) {
	app, c := limitedApp(t, RateLimitConfig{APIRateLimit: 1000, GraphQLCostBudget: intPtr(1000)},
		func(c *Config) { c.GraphQLComplexity = 500 })
	tn := app.bootstrap("Acme")
	const cheap = `{ queues { id } }`
	const expensive = `{ conversations(first: 100) { nodes { id status } } }`

	res := gqlRaw(app, tn.APIKey, cheap)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	policy := rateField(t, res.Header.Get("RateLimit-Policy"))
	require.Equal(t, quota{q: 1000, w: 60}, policy["graphql-cost"])
	require.Equal(t, quota{q: 1000, w: 60}, policy["per-key"], "the request quotas are in the same field")
	left := remaining(t, res)
	cheapCost := 1000 - left["graphql-cost"]
	require.Positive(t, cheapCost)
	require.Equal(t, 999, left["per-key"])

	res = gqlRaw(app, tn.APIKey, expensive)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	expensiveCost := left["graphql-cost"] - remaining(t, res)["graphql-cost"]
	t.Logf("cost of a lookup: %d points; of a 100-row listing: %d points", cheapCost, expensiveCost)
	require.Greater(t, expensiveCost, 10*cheapCost, "a 100-row listing weighs more than a lookup")
	require.Equal(t, 998, remaining(t, res)["per-key"], "each is one request")

	// Spend the rest: the first operation that does not fit is refused.
	var refused response
	for range 1000/expensiveCost + 1 {
		refused = gqlRaw(app, tn.APIKey, expensive)
		if refused.Status != http.StatusOK {
			break
		}
	}
	require.Equal(t, http.StatusTooManyRequests, refused.Status, "%s", refused.Body)
	var out gqlResponse
	refused.decode(t, &out)
	require.Equal(t, []string{"RATE_LIMITED"}, out.errorCodes())
	require.Contains(t, out.Errors[0].Message, "graphql-cost")
	require.NotEmpty(t, refused.Header.Get("Retry-After"))
	require.Equal(t, 0, remaining(t, refused)["graphql-cost"])

	// Spent means spent until the window resets, for small operations too.
	res = gqlRaw(app, tn.APIKey, cheap)
	require.Equal(t, http.StatusTooManyRequests, res.Status)
	// The budget is the caller's: REST goes on, and so do other keys.
	c.expect(http.StatusOK, http.MethodGet, "/v1/queues", tn.APIKey, nil)
	other, _ := newAPIKey(t, app, tn, "crm")
	app.gqlOK(other, cheap, nil)
}

// Two application instances on one database share the counters: the
// quota is the key's, not each process's.
func TestRateLimitSharedByInstances(t *testing.T) {
	freshRateWindow()
	limits := func(c *Config) { c.RateLimitConfig = RateLimitConfig{APIRateLimit: 6} }
	var first, second *testApp
	if persistencetest.Dialect() == persistence.DialectPostgres {
		url := persistencetest.NewURL(t)
		open := func() *persistence.DB { // each instance with a pool of its own
			db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: url, MaxOpenConns: 4})
			require.NoError(t, err)
			t.Cleanup(func() { _ = db.Close() })
			return db
		}
		first, second = newTestAppOn(t, open(), limits), newTestAppOn(t, open(), limits)
	} else {
		// SQLite is one process's database: two instances share its handle.
		db := persistencetest.New(t)
		first, second = newTestAppOn(t, db, limits), newTestAppOn(t, db, limits)
	}
	tn := first.bootstrap("Acme")
	clients := []*restClient{specClient(t, first), specClient(t, second)}
	for i := range 6 {
		res := clients[i%2].expect(http.StatusOK, http.MethodGet, "/v1/queues", tn.APIKey, nil)
		require.Equal(t, 5-i, remaining(t, res)["per-key"], "request %d", i+1)
	}
	clients[0].expect(http.StatusTooManyRequests, http.MethodGet, "/v1/queues", tn.APIKey, nil)
	// The second instance has refused nothing yet: it learns from the
	// shared counter.
	clients[1].expect(http.StatusTooManyRequests, http.MethodGet, "/v1/queues", tn.APIKey, nil)
}
