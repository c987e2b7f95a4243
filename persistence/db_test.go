package persistence_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
)

func TestOpenSQLiteCreatesPrivateDataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	db, err := persistence.Open(context.Background(), persistence.Config{DataDir: dir})
	must(t, err)
	defer db.Close()
	info, err := os.Stat(dir)
	must(t, err)
	if info.Mode().Perm() != 0o700 {
		t.Fatalf("data dir mode %v, want 0700", info.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, persistence.SQLiteFileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if db.Dialect() != persistence.DialectSQLite || db.SQLDB().Stats().MaxOpenConnections != 1 {
		t.Fatalf("dialect %s, max conns %d", db.Dialect(), db.SQLDB().Stats().MaxOpenConnections)
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	t.Parallel()
	_, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: "mysql://x"})
	if err == nil {
		t.Fatal("mysql URL accepted")
	}
}

// TestSQLErrorsAreLoggedWithoutArguments checks what reaches the operator
// log: unexpected failures with their SQL but never the bound values, and
// nothing for expected outcomes such as not found.
func TestSQLErrorsAreLoggedWithoutArguments(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	db, err := persistence.Open(context.Background(), persistence.Config{DataDir: t.TempDir(), Logger: logger})
	must(t, err)
	must(t, db.Migrate(context.Background()))
	ctx := domain.SystemContext(context.Background(), "ws_secret-workspace")
	_, err = db.Store().FindTag(ctx, "tag_secret-value")
	wantCode(t, err, domain.CodeNotFound)
	if buf.Len() != 0 {
		t.Fatalf("not found was logged: %s", buf.String())
	}
	must(t, db.Close())
	_, err = db.Store().FindTag(ctx, "tag_secret-value")
	wantCode(t, err, domain.CodeUnavailable) // an outage, not a bug
	if domain.ErrorMessage(err) != "the database is unavailable; retry later" {
		t.Fatalf("driver text leaked to callers: %q", domain.ErrorMessage(err))
	}
	out := buf.String()
	if !strings.Contains(out, "sql failed") || strings.Contains(out, "secret") {
		t.Fatalf("log: %s", out)
	}
}
