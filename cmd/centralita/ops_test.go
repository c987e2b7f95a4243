package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHealthAndReadiness(t *testing.T) {
	a := newTestApp(t)
	res := a.do(http.MethodGet, "/healthz", "", nil)
	require.Equal(t, http.StatusOK, res.Status)
	res = a.do(http.MethodGet, "/readyz", "", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))

	// With the database gone the process is alive but not ready.
	require.NoError(t, a.DB.Close())
	res = a.do(http.MethodGet, "/readyz", "", nil)
	require.Equal(t, http.StatusServiceUnavailable, res.Status)
	require.Contains(t, res.Header.Get("Content-Type"), "application/problem+json")
	require.Equal(t, http.StatusOK, a.do(http.MethodGet, "/healthz", "", nil).Status)
}

func TestMetricsExposeHTTPAndDatabase(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Metrics Co")
	a.do(http.MethodGet, "/v1/conversations", tn.APIKey, nil)
	res := a.do(http.MethodGet, "/metrics", "", nil)
	require.Equal(t, http.StatusOK, res.Status)
	body := string(res.Body)
	require.Contains(t, body, "http_request_duration_seconds")
	require.Contains(t, body, `route="/v1/conversations"`, "latency is labelled by route template")
	require.Contains(t, body, `go_sql_max_open_connections{db_name="centralita"}`, "database pool stats")
}

func TestRequestIDIsEchoed(t *testing.T) {
	a := newTestApp(t)
	res := a.do(http.MethodGet, "/healthz", "", nil, "X-Request-Id", "abc-123")
	require.Equal(t, "abc-123", res.Header.Get("X-Request-Id"))
	res = a.do(http.MethodGet, "/healthz", "", nil)
	require.NotEmpty(t, res.Header.Get("X-Request-Id"), "a request id is generated when none is sent")
}

func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	cfg := testConfig(t)
	started := make(chan struct{})
	a := &app{cfg: cfg, logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			time.Sleep(300 * time.Millisecond)
			io.WriteString(w, "finished")
		})}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.serve(ctx, ready) }()
	addr := <-ready

	got := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		got <- string(b)
	}()
	<-started
	cancel() // SIGTERM arrives while the request is in flight
	require.Equal(t, "finished", <-got)
	require.NoError(t, <-served)
}

func TestConfigValidation(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"short secret":        {"CENTRALITA_JWT_SECRET": "short"},
		"production sans key": {"CENTRALITA_ENV": "production"},
		"mysql url":           {"DATABASE_URL": "mysql://x"},
		"bad ttl":             {"CENTRALITA_ACCESS_TOKEN_TTL": "10s"},
		"bad level":           {"CENTRALITA_LOG_LEVEL": "loud"},
		"not a duration":      {"CENTRALITA_REFRESH_TOKEN_TTL": "forever"},
		"bad proxy":           {"CENTRALITA_TRUSTED_PROXIES": "10.0.0.0/8,lb.internal"},
		"short secret key":    {"CENTRALITA_SECRET_KEY": "short"},
		"production sans enc": {"CENTRALITA_ENV": "production", "CENTRALITA_JWT_SECRET": "a-very-secret-value-of-at-least-32-chars"},
	} {
		t.Run(name, func(t *testing.T) {
			for k, v := range env {
				t.Setenv(k, v)
			}
			_, err := loadConfig()
			require.Error(t, err)
		})
	}
	t.Setenv("CENTRALITA_JWT_SECRET", "a-very-secret-value-of-at-least-32-chars")
	t.Setenv("DATABASE_URL", "postgres://user:hunter2-password@db/centralita")
	cfg, err := loadConfig()
	require.NoError(t, err)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("starting", "config", cfg)
	require.NotContains(t, logged.String(), "a-very-secret-value")
	require.NotContains(t, logged.String(), "hunter2")
	require.True(t, strings.Contains(logged.String(), `"database":"postgres"`), logged.String())
}
