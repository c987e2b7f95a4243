package main

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// limitedApp starts the application with rate limits (testConfig has them
// off) and a client that validates answers against openapi.yaml. It waits,
// if need be, for a minute window with time to spare, so a test never
// straddles two windows and its counts are exact.
func limitedApp(t *testing.T, limits RateLimitConfig, options ...func(*Config)) (*testApp, *restClient) {
	t.Helper()
	freshRateWindow()
	app := newTestApp(t, append([]func(*Config){func(c *Config) { c.RateLimitConfig = limits }}, options...)...)
	return app, specClient(t, app)
}

func specClient(t *testing.T, app *testApp) *restClient {
	t.Helper()
	spec, err := legacy.NewRouter(loadOpenAPI(t))
	require.NoError(t, err)
	return &restClient{t: t, app: app, spec: spec}
}

// freshRateWindow sleeps out the end of the current minute window when
// fewer than 15 s are left in it.
func freshRateWindow() {
	now := time.Now()
	if left := now.Truncate(domain.RateWindow).Add(domain.RateWindow).Sub(now); left < 15*time.Second {
		time.Sleep(left + 50*time.Millisecond)
	}
}

func intPtr(n int) *int { return &n }

// quota is one item of the RateLimit or RateLimit-Policy field.
type quota struct{ q, w, r, t int }

var rateItem = regexp.MustCompile(`"([a-z-]+)"((?:;[a-z]+=\d+)+)`)
var rateParam = regexp.MustCompile(`;([a-z]+)=(\d+)`)

// rateField reads a RateLimit or RateLimit-Policy field by policy name.
func rateField(t *testing.T, value string) map[string]quota {
	t.Helper()
	out := map[string]quota{}
	for _, item := range rateItem.FindAllStringSubmatch(value, -1) {
		var q quota
		for _, p := range rateParam.FindAllStringSubmatch(item[2], -1) {
			n, err := strconv.Atoi(p[2])
			require.NoError(t, err)
			switch p[1] {
			case "q":
				q.q = n
			case "w":
				q.w = n
			case "r":
				q.r = n
			case "t":
				q.t = n
			}
		}
		out[item[1]] = q
	}
	return out
}

// remaining reads what the RateLimit field of res says is left, by policy,
// checking each reset lies within one window.
func remaining(t *testing.T, res response) map[string]int {
	t.Helper()
	out := map[string]int{}
	for name, q := range rateField(t, res.Header.Get("RateLimit")) {
		require.True(t, q.t >= 1 && q.t <= 60, "reset of %s is %d s", name, q.t)
		out[name] = q.r
	}
	return out
}

// newAPIKey creates an API key of the tenant's workspace without an API
// call (which would count); it returns the secret and the key's counter.
func newAPIKey(t *testing.T, app *testApp, tn tenant, name string) (secret, subject string) {
	t.Helper()
	k, err := app.Service.CreateAPIKey(app.system(tn), domain.NewAPIKey{Name: name, Role: domain.RoleAdmin})
	require.NoError(t, err)
	return k.Secret, "key:" + k.Key.ID
}

// rateCount is what the shared counter of subject holds in the current
// window.
func rateCount(t *testing.T, app *testApp, subject string) int {
	t.Helper()
	var n int
	window := time.Now().Truncate(domain.RateWindow).Unix()
	err := app.DB.SQLDB().QueryRowContext(context.Background(),
		"SELECT COALESCE(SUM(count), 0) FROM rate_counters WHERE subject = $1 AND window_start = $2", subject, window).Scan(&n)
	require.NoError(t, err)
	return n
}
