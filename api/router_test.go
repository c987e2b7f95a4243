package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// newTestRouter builds a router without a service: enough for everything
// that is answered before a domain call.
func newTestRouter(t *testing.T, ready func(context.Context) error) (*gin.Engine, *bytes.Buffer) {
	t.Helper()
	tokens, err := NewTokens(testSecret, "centralita", time.Minute, nil)
	require.NoError(t, err)
	var logs bytes.Buffer
	r := NewRouter(Deps{Tokens: tokens, Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Registry: prometheus.NewRegistry(), OpenAPI: []byte("openapi: 3.1.0\n"), Ready: ready, MaxBodyBytes: 1024})
	return r, &logs
}

func serve(h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, reader)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func requireProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) problem {
	t.Helper()
	require.Equal(t, status, rec.Code, rec.Body.String())
	require.Equal(t, "application/problem+json; charset=utf-8", rec.Header().Get("Content-Type"))
	var p problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, status, p.Status)
	require.EqualValues(t, code, p.Code)
	require.NotEmpty(t, p.RequestID)
	require.Equal(t, rec.Header().Get("X-Request-Id"), p.RequestID)
	return p
}

func TestOperationalRoutes(t *testing.T) {
	r, _ := newTestRouter(t, nil)
	rec := serve(r, "GET", "/healthz", "")
	require.Equal(t, 200, rec.Code)
	require.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
	require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))

	rec = serve(r, "GET", "/readyz", "")
	require.Equal(t, 200, rec.Code)

	rec = serve(r, "GET", "/openapi.yaml", "")
	require.Equal(t, 200, rec.Code)
	require.Equal(t, "application/yaml", rec.Header().Get("Content-Type"))

	rec = serve(r, "GET", "/metrics", "")
	require.Equal(t, 200, rec.Code)
	require.Contains(t, rec.Body.String(), `http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`)
}

func TestReadyzFailsWithProblem(t *testing.T) {
	r, logs := newTestRouter(t, func(context.Context) error { return errors.New("db down: secret dsn") })
	p := requireProblem(t, serve(r, "GET", "/readyz", ""), 503, "unavailable")
	require.NotContains(t, p.Detail, "secret")
	require.Contains(t, logs.String(), "db down")
}

func TestUnknownRouteAndMethod(t *testing.T) {
	r, _ := newTestRouter(t, nil)
	requireProblem(t, serve(r, "GET", "/v1/nope", ""), 404, "not_found")
	requireProblem(t, serve(r, "GET", "/v1/conversations/", ""), 404, "not_found")
	rec := serve(r, "DELETE", "/healthz", "")
	requireProblem(t, rec, 405, "method_not_allowed")
	require.Contains(t, rec.Header().Get("Allow"), "GET")
}

func TestAuthFailuresLookAlike(t *testing.T) {
	r, _ := newTestRouter(t, nil)
	var details []string
	for _, header := range []string{"", "Bearer", "Basic dXNlcjpwYXNz", "Bearer garbage", "Bearer a.b.c",
		"Bearer " + strings.Repeat("x", 10000)} {
		rec := serve(r, "GET", "/v1/me", "", "Authorization", header)
		p := requireProblem(t, rec, 401, "unauthenticated")
		require.Equal(t, `Bearer realm="centralita"`, rec.Header().Get("WWW-Authenticate"))
		details = append(details, p.Detail)
	}
	for _, d := range details {
		require.Equal(t, details[0], d)
	}
}

func TestRequestID(t *testing.T) {
	r, logs := newTestRouter(t, nil)
	rec := serve(r, "GET", "/healthz", "", "X-Request-Id", "abc-123")
	require.Equal(t, "abc-123", rec.Header().Get("X-Request-Id"))
	require.Contains(t, logs.String(), `"request_id":"abc-123"`)
	require.Contains(t, logs.String(), `"route":"/healthz"`)

	rec = serve(r, "GET", "/healthz", "", "X-Request-Id", "evil\nlog line")
	require.NotContains(t, rec.Header().Get("X-Request-Id"), "evil")
	require.True(t, strings.HasPrefix(rec.Header().Get("X-Request-Id"), "req_"))
}

func TestBodyProblems(t *testing.T) {
	r, _ := newTestRouter(t, nil)
	requireProblem(t, serve(r, "POST", "/v1/auth/login", `{"email":`), 400, "invalid")
	p := requireProblem(t, serve(r, "POST", "/v1/auth/login", `{"email":"a@b.c","password":"x","role":"owner"}`), 400, "invalid")
	require.Equal(t, "role", p.Errors[0].Field)
	p = requireProblem(t, serve(r, "POST", "/v1/auth/login", `{"email":"a@b.c"}`), 400, "invalid")
	require.Equal(t, "password", p.Errors[0].Field)
	requireProblem(t, serve(r, "POST", "/v1/auth/login", `{"email":"`+strings.Repeat("a", 2000)+`"}`), 413, "payload_too_large")

	// Without Content-Length the limit is enforced while reading.
	req := httptest.NewRequest("POST", "/v1/auth/login", io.MultiReader(strings.NewReader(`{"email":"`), strings.NewReader(strings.Repeat("a", 4096))))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	requireProblem(t, rec, 413, "payload_too_large")
}

func TestRecoveryAnswersProblem(t *testing.T) {
	r, logs := newTestRouter(t, nil)
	r.GET("/boom", func(*gin.Context) { panic("kaboom") })
	p := requireProblem(t, serve(r, "GET", "/boom", ""), 500, "internal")
	require.Equal(t, "internal error", p.Detail)
	require.Contains(t, logs.String(), "kaboom")
	require.Contains(t, logs.String(), `"status":500`)
}
