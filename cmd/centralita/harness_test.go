package main

// The harness boots the real application (real router, real database) for
// end-to-end tests. The database is SQLite by default and Postgres when
// CENTRALITA_TEST_DATABASE_URL is set (see persistence/persistencetest), so
// the same tests run on both.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

const (
	testPassword    = "correct-horse-battery"
	testVerifyToken = "verify-me-please"
	testAppSecret   = "meta-app-secret-for-tests"
)

// testApp is one running application with its own empty database.
type testApp struct {
	t       *testing.T
	app     *app
	URL     string
	DB      *persistence.DB
	Service *domain.Service
	Config  Config
}

// testConfig is the configuration tests run with: cheap password hashing,
// fixed secrets, introspection on.
func testConfig(t *testing.T) Config {
	return Config{Env: "test", Addr: "127.0.0.1:0", DataDir: t.TempDir(), DBMaxOpenConns: 10,
		JWTSecret: "test-secret-test-secret-test-secret-0123", AccessTokenTTL: 15 * time.Minute,
		RefreshTokenTTL: 24 * time.Hour, GraphQLComplexity: 5000, GraphQLDepth: 12,
		MaxBodyBytes: 1 << 20, LogLevel: "error", Argon2MemoryKiB: 64, Argon2Iterations: 1,
		ShutdownTimeout: 5 * time.Second, WhatsAppVerifyToken: testVerifyToken, WhatsAppAppSecret: testAppSecret,
		SecretKey: "test-secret-key-test-secret-key-0123456", WhatsAppGraphURL: "http://127.0.0.1:9",
		WhatsAppGraphVersion: "v24.0", WhatsAppSendRate: 1000}
}

// newTestApp starts the application on an httptest server. Options may
// change the configuration before it is wired.
func newTestApp(t *testing.T, options ...func(*Config)) *testApp {
	t.Helper()
	return newTestAppOn(t, persistencetest.New(t), options...)
}

// newTestAppOn starts the application on a database the test opened.
func newTestAppOn(t *testing.T, db *persistence.DB, options ...func(*Config)) *testApp {
	t.Helper()
	cfg := testConfig(t)
	for _, o := range options {
		o(&cfg)
	}
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	a, err := newApp(context.Background(), cfg, db, logger)
	require.NoError(t, err)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	return &testApp{t: t, app: a, URL: srv.URL, DB: db, Service: a.service, Config: cfg}
}

// sql is a connection to the test's database that row-level security
// does not bind, for looking at rows (or arranging them) behind the
// application's back; the application itself runs as
// persistencetest.AppRole on Postgres.
func (a *testApp) sql() *sql.DB { return persistencetest.SQL(a.t, a.DB) }

// tenant is one bootstrapped workspace with its owner.
type tenant struct {
	WorkspaceID string
	OwnerID     string
	OwnerEmail  string
	APIKey      string // admin API key
	OwnerToken  string // access token of the owner
}

// bootstrap creates a workspace (as `centralita bootstrap` does) and logs
// its owner in through the REST API.
func (a *testApp) bootstrap(name string) tenant {
	a.t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", "")) + "-owner@example.com"
	out, err := a.Service.Bootstrap(context.Background(), domain.BootstrapInput{WorkspaceName: name,
		Email: email, Password: testPassword})
	require.NoError(a.t, err)
	return tenant{WorkspaceID: out.Workspace.ID, OwnerID: out.Owner.ID, OwnerEmail: email,
		APIKey: out.APIKey.Secret, OwnerToken: a.login(email, testPassword)}
}

// login returns an access token for the user.
func (a *testApp) login(email, password string) string {
	a.t.Helper()
	res := a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": email, "password": password})
	require.Equal(a.t, http.StatusOK, res.Status, "login %s: %s", email, res.Body)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	res.decode(a.t, &body)
	require.NotEmpty(a.t, body.AccessToken)
	return body.AccessToken
}

// member creates a user of the tenant's workspace with a role and queue
// memberships, and returns its id and access token.
func (a *testApp) member(tn tenant, email string, role domain.Role, queueIDs ...string) (string, string) {
	a.t.Helper()
	ctx := domain.SystemContext(context.Background(), tn.WorkspaceID)
	u, err := a.Service.CreateUser(ctx, domain.NewUser{Email: email, Name: email, Password: testPassword,
		Role: role, QueueIDs: queueIDs})
	require.NoError(a.t, err)
	return u.ID, a.login(email, testPassword)
}

// system returns a context acting as the system inside the tenant's
// workspace, for seeding data directly through the domain.
func (a *testApp) system(tn tenant) context.Context {
	return domain.SystemContext(context.Background(), tn.WorkspaceID)
}

// response is a fully read HTTP response.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.Body, v), "body: %s", r.Body)
}

// do sends a request. body may be nil, a string or []byte (sent raw), or any
// other value (sent as JSON). token may be an access token or an API key.
func (a *testApp) do(method, path, token string, body any, headers ...string) response {
	a.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(a.t, err)
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.URL+path, reader)
	require.NoError(a.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(a.t, err)
	return response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// gqlResponse is a GraphQL answer.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	HTTPStatus int `json:"-"`
}

// graphql posts a GraphQL operation.
func (a *testApp) graphql(token, query string, variables map[string]any) gqlResponse {
	a.t.Helper()
	res := a.do(http.MethodPost, "/graphql", token, map[string]any{"query": query, "variables": variables})
	var out gqlResponse
	res.decode(a.t, &out)
	out.HTTPStatus = res.Status
	return out
}

// errorCodes lists the extensions.code of every error.
func (g gqlResponse) errorCodes() []string {
	var codes []string
	for _, e := range g.Errors {
		code, _ := e.Extensions["code"].(string)
		codes = append(codes, code)
	}
	return codes
}

// startJobs runs the background workers (sends) until the test ends. Tests
// that do not call it leave enqueued jobs untouched.
func (a *testApp) startJobs() {
	a.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(a.t, a.app.jobs.Start(ctx))
	a.t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		_ = a.app.jobs.Stop(stopCtx)
		cancel()
	})
}
