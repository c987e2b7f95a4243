package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A database once seeded with --demo and then served in production
// refuses the demo's published API key (REST and GraphQL) and password,
// says so in one line at start, and keeps the credentials created
// privately working, in the demo workspace and in others.
func TestProductionRefusesDemoCredentials(t *testing.T) {
	ctx := context.Background()
	dev := newTestApp(t)
	info, err := seedDemo(ctx, &app{db: dev.DB, service: dev.Service})
	require.NoError(t, err)
	res := dev.do(http.MethodPost, "/v1/api-keys", demoAPIKey, map[string]any{"name": "ops", "role": "admin"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var private struct {
		Secret string `json:"secret"`
	}
	res.decode(t, &private)
	other := dev.bootstrap("Real Co")

	prod, logged := restartInProduction(t, dev)
	for name, res := range map[string]response{
		"rest":    prod.do(http.MethodGet, "/v1/conversations", demoAPIKey, nil),
		"graphql": prod.do(http.MethodPost, "/graphql", demoAPIKey, map[string]any{"query": `{ me { id } }`}),
		"owner": prod.do(http.MethodPost, "/v1/auth/login", "",
			map[string]string{"email": demoOwnerEmail, "password": demoPassword}),
		"agent": prod.do(http.MethodPost, "/v1/auth/login", "",
			map[string]string{"email": "ana@demo.centralita.dev", "password": demoPassword}),
	} {
		require.Equal(t, http.StatusUnauthorized, res.Status, "%s: %s", name, res.Body)
	}
	for name, key := range map[string]string{"demo workspace's own key": private.Secret, "other workspace": other.APIKey} {
		res := prod.do(http.MethodGet, "/v1/conversations", key, nil)
		require.Equal(t, http.StatusOK, res.Status, "%s: %s", name, res.Body)
	}
	prod.login(other.OwnerEmail, testPassword)

	var lines []string
	for line := range strings.Lines(logged.String()) {
		if strings.Contains(line, "demo") {
			lines = append(lines, line)
		}
	}
	require.Len(t, lines, 1, logged.String())
	require.Contains(t, lines[0], "demo credentials found and refused")
	require.Contains(t, lines[0], info.WorkspaceID)

	// Development still lets the demo in: nothing was changed in the data.
	require.Equal(t, http.StatusOK, dev.do(http.MethodGet, "/v1/conversations", demoAPIKey, nil).Status)
}

// A database without the demo starts in production without that warning.
func TestProductionWithoutDemoSaysNothingOfIt(t *testing.T) {
	_, logged := restartInProduction(t, newTestApp(t))
	require.NotContains(t, logged.String(), "demo")
}

// restartInProduction starts the application again on before's database
// with CENTRALITA_ENV=production, as runServe does, and returns what it
// logged while starting.
func restartInProduction(t *testing.T, before *testApp) (*testApp, *bytes.Buffer) {
	t.Helper()
	cfg := before.Config
	cfg.Env = "production"
	var logged bytes.Buffer
	a, err := newApp(context.Background(), cfg, before.DB, slog.New(slog.NewJSONHandler(&logged, nil)))
	require.NoError(t, err)
	require.NoError(t, warnDemoCredentials(context.Background(), a))
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	return &testApp{t: t, app: a, URL: srv.URL, DB: before.DB, Service: a.service, Config: cfg}, &logged
}
