package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence/persistencetest"
)

// With CENTRALITA_MIGRATE_DATABASE_URL the schema's owner migrates a new
// database and grants DATABASE_URL's role its rights; the application then
// runs as that role, which owns nothing and is bound by row-level security,
// and works end to end (bootstrap, login, a listing, a webhook delivery).
func TestMigratingAsOwnerAndRunningAsTheApplicationRole(t *testing.T) {
	ownerURL, appURL := persistencetest.NewEmptyURLs(t)
	cfg := testConfig(t)
	cfg.MigrateDatabaseURL, cfg.DatabaseURL = ownerURL, appURL
	ctx := context.Background()
	db, err := openDB(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })

	applies, err := db.RowSecurityApplies(ctx)
	require.NoError(t, err)
	require.True(t, applies, "the application role must be bound by row-level security")
	var owned, tables int
	require.NoError(t, db.SQLDB().QueryRow(`SELECT count(*) FILTER (WHERE tableowner = current_user), count(*)
		FROM pg_tables WHERE schemaname = current_schema()`).Scan(&owned, &tables))
	require.Zero(t, owned, "the application role owns tables")
	require.Greater(t, tables, 20, "the owner migrated the schema, River's tables included")

	a := newTestAppOn(t, db)
	tn := a.bootstrap("Two Roles Co")
	a.channel(tn, "106540352242922")
	require.Equal(t, http.StatusOK, a.deliver(fixture(t, "inbound_text.json")).Status)
	res := a.do(http.MethodGet, "/v1/conversations", tn.OwnerToken, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	require.Contains(t, string(res.Body), `"contact_id"`)

	// Starting again repeats the grants harmlessly and migrates nothing.
	again, err := openDB(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	require.NoError(t, again.Close())
}
