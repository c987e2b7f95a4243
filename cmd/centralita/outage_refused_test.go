package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// Postgres refusing new connections (the database closed to connections,
// the role or database out of its connection limit) is an outage like a
// dropped connection: 503 with Retry-After on REST and GraphQL, and the
// readiness probe says not ready, so the balancer stops routing here.
func TestRefusedConnectionsAnswer503(t *testing.T) {
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("Postgres only: SQLite has no server to refuse connections")
	}
	t.Run("database not accepting connections", func(t *testing.T) {
		dbURL := persistencetest.NewURL(t)
		a, tn := refusalApp(t, dbURL)
		adminExec(t, "ALTER DATABASE "+databaseOf(t, dbURL)+" ALLOW_CONNECTIONS false")
		// Connections already open keep working; only new ones are refused.
		a.DB.PgxPool().Reset()
		requireRefusalIsOutage(t, a, tn)
	})
	t.Run("sessions ended by the server", func(t *testing.T) {
		// What an operator does before maintenance; the app's open
		// connections get FATAL 57P01 or EOF, and new ones are refused.
		dbURL := persistencetest.NewURL(t)
		a, tn := refusalApp(t, dbURL)
		name := databaseOf(t, dbURL)
		adminExec(t, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false")
		adminExec(t, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+name+"'")
		requireRefusalIsOutage(t, a, tn)
	})
	t.Run("role out of connections", func(t *testing.T) {
		// Superusers ignore connection limits: the app runs as its own role.
		dbURL := persistencetest.NewURL(t)
		role := limitedRole(t, dbURL)
		u, err := url.Parse(dbURL)
		require.NoError(t, err)
		u.User = url.User(role)
		a, tn := refusalApp(t, u.String())
		adminExec(t, "ALTER ROLE "+role+" CONNECTION LIMIT 0")
		a.DB.PgxPool().Reset()
		requireRefusalIsOutage(t, a, tn)
	})
}

func refusalApp(t *testing.T, dbURL string) (*testApp, tenant) {
	t.Helper()
	db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: dbURL, MaxOpenConns: 4})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	a := newTestAppOn(t, db)
	return a, a.bootstrap("Refused Co")
}

func requireRefusalIsOutage(t *testing.T, a *testApp, tn tenant) {
	t.Helper()
	for name, res := range map[string]response{
		"rest":    a.do(http.MethodGet, "/v1/conversations", tn.APIKey, nil),
		"graphql": a.do(http.MethodPost, "/graphql", tn.OwnerToken, map[string]any{"query": `{ me { id } }`}),
		"readyz":  a.do(http.MethodGet, "/readyz", "", nil),
	} {
		require.Equal(t, http.StatusServiceUnavailable, res.Status, "%s: %s", name, res.Body)
		require.Contains(t, string(res.Body), `"code":"unavailable"`, name)
		if name != "readyz" {
			require.Equal(t, "5", res.Header.Get("Retry-After"), name)
		}
	}
}

// adminExec runs a statement on the test server's admin database.
func adminExec(t *testing.T, statement string) {
	t.Helper()
	admin, err := sql.Open("pgx", os.Getenv(persistencetest.EnvDatabaseURL))
	require.NoError(t, err)
	defer admin.Close()
	_, err = admin.Exec(statement)
	require.NoError(t, err)
}

func databaseOf(t *testing.T, dbURL string) string {
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	return strings.TrimPrefix(u.Path, "/")
}

// limitedRole creates a login role that may use the test database's
// tables, dropped when the test ends (after the app's connections close).
func limitedRole(t *testing.T, dbURL string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	role := "ctl_role_" + hex.EncodeToString(b)
	adminExec(t, "CREATE ROLE "+role+" LOGIN NOSUPERUSER")
	// The tests' application role owns nothing, so it cannot grant.
	dbURL = persistencetest.AdminURL(t, dbURL)
	db, err := sql.Open("pgx", dbURL)
	require.NoError(t, err)
	defer db.Close()
	for _, grant := range []string{"ALL ON SCHEMA public", "ALL ON ALL TABLES IN SCHEMA public",
		"ALL ON ALL SEQUENCES IN SCHEMA public"} {
		_, err := db.Exec("GRANT " + grant + " TO " + role)
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		// DROP OWNED revokes the grants inside the test database.
		db, err := sql.Open("pgx", dbURL)
		if err == nil {
			_, _ = db.Exec("DROP OWNED BY " + role)
			_ = db.Close()
		}
		adminExec(t, "DROP ROLE IF EXISTS "+role)
	})
	return role
}
