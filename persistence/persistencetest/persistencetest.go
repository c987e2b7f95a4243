// Package persistencetest gives each test its own migrated, empty database:
// SQLite in a temporary directory by default, or Postgres when
// CENTRALITA_TEST_DATABASE_URL is set, so every package's tests run
// unchanged on both.
package persistencetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/centralita/centralita/persistence"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for the admin connection
)

// EnvDatabaseURL names the variable that selects Postgres for tests, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. The database
// it names is only used to create and drop the per-test databases.
const EnvDatabaseURL = "CENTRALITA_TEST_DATABASE_URL"

// Test databases are named ctl_tmpl_<unix>_<host>_<pid>_<rand> (one
// template per test process) and ctl_t_<unix>_<host>_<pid>_<rand> (one per
// test), so that a later run can tell which are leftovers: those of a
// process of this host that is no longer running, and any older than
// staleAfter (the owner may be another host sharing the server).
const staleAfter = 2 * time.Hour

var testDatabaseName = regexp.MustCompile(`^ctl_(?:tmpl|t)_(\d+)_([0-9a-f]{8})_(\d+)_[0-9a-f]+$`)

// Dialect reports which database New uses: "sqlite" or "postgres".
func Dialect() string {
	if os.Getenv(EnvDatabaseURL) != "" {
		return persistence.DialectPostgres
	}
	return persistence.DialectSQLite
}

// AppRole is the role the tests' application connects to Postgres as: not
// a superuser, without BYPASSRLS, owning nothing, as in production with
// CENTRALITA_MIGRATE_DATABASE_URL, so that every Postgres test runs under
// row-level security. The server's admin URL migrates the databases. The
// role is created once per server (roles are cluster-wide).
const AppRole = "centralita_test_app"

// appRolePassword is the test role's password: the tests' server may ask
// for one where the admin URL carries its own.
const appRolePassword = "centralita-test-app"

// New returns a migrated, empty database for one test, closed (and on
// Postgres dropped) when the test ends. On Postgres it is connected as
// AppRole.
func New(t testing.TB) *persistence.DB {
	t.Helper()
	ctx := context.Background()
	if Dialect() == persistence.DialectSQLite {
		db, err := persistence.Open(ctx, persistence.Config{DataDir: t.TempDir()})
		if err != nil {
			t.Fatalf("persistencetest: open sqlite: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("persistencetest: migrate sqlite: %v", err)
		}
		return db
	}
	return newPostgres(ctx, t)
}

// server is the Postgres server of this test process: an admin connection
// and a migrated template database cloned for every test, so migrations
// run once per process instead of once per test.
type server struct {
	admin    *sql.DB
	base     *url.URL
	template string
	mu       sync.Mutex // CREATE DATABASE ... TEMPLATE is serialised
	// inspectors are admin connections to test databases, by name (SQL).
	inspectors sync.Map
}

var (
	serverOnce sync.Once
	shared     *server
	sharedErr  error
)

func newPostgres(ctx context.Context, t testing.TB) *persistence.DB {
	name := createDatabase(ctx, t)
	db, err := persistence.Open(ctx, persistence.Config{DatabaseURL: shared.urlFor(name), MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("persistencetest: open test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// NewURL returns the URL of a migrated, empty Postgres database for one
// test, for server processes the test starts itself; it is dropped when
// the test ends (after the test's own cleanups). On SQLite it returns ""
// and the caller hands the processes a data directory instead.
func NewURL(t testing.TB) string {
	t.Helper()
	if Dialect() == persistence.DialectSQLite {
		return ""
	}
	return shared.urlFor(createDatabase(context.Background(), t))
}

// NewEmptyURLs creates an empty Postgres database, not migrated, dropped
// when the test ends, and returns its admin URL (the role that will own
// the schema) and its AppRole URL, for tests of migrating as one role and
// running as another. It skips the test on SQLite.
func NewEmptyURLs(t testing.TB) (ownerURL, appURL string) {
	t.Helper()
	if Dialect() == persistence.DialectSQLite {
		t.Skip("Postgres only")
	}
	ctx := context.Background()
	serverOnce.Do(func() { shared, sharedErr = startServer(ctx, os.Getenv(EnvDatabaseURL)) })
	if sharedErr != nil {
		t.Fatalf("persistencetest: %v", sharedErr)
	}
	name := databaseName("ctl_t")
	if _, err := shared.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("persistencetest: create test database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(context.Background(), shared.admin, name) })
	return shared.adminURLFor(name), shared.urlFor(name)
}

// createDatabase clones the migrated template into a database dropped when
// the test ends.
func createDatabase(ctx context.Context, t testing.TB) string {
	serverOnce.Do(func() { shared, sharedErr = startServer(ctx, os.Getenv(EnvDatabaseURL)) })
	if sharedErr != nil {
		t.Fatalf("persistencetest: %v", sharedErr)
	}
	name := databaseName("ctl_t")
	shared.mu.Lock()
	_, err := shared.admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+shared.template)
	shared.mu.Unlock()
	if err != nil {
		t.Fatalf("persistencetest: create test database: %v", err)
	}
	t.Cleanup(func() {
		if inspector, ok := shared.inspectors.LoadAndDelete(name); ok {
			_ = inspector.(*sql.DB).Close()
		}
		dropDatabase(context.Background(), shared.admin, name)
	})
	return name
}

func startServer(ctx context.Context, rawURL string) (*server, error) {
	base, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s is not a URL: %w", EnvDatabaseURL, err)
	}
	admin, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, err
	}
	admin.SetMaxOpenConns(2)
	if err := admin.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", EnvDatabaseURL, err)
	}
	s := &server{admin: admin, base: base}
	s.dropStale(ctx)
	if err := ensureAppRole(ctx, admin); err != nil {
		return nil, err
	}
	s.template = databaseName("ctl_tmpl")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+s.template); err != nil {
		return nil, fmt.Errorf("create template database: %w", err)
	}
	db, err := persistence.Open(ctx, persistence.Config{DatabaseURL: s.adminURLFor(s.template), MaxOpenConns: 2})
	if err != nil {
		return nil, fmt.Errorf("open template database: %w", err)
	}
	err = db.Migrate(ctx)
	if err == nil {
		err = db.GrantApp(ctx, AppRole)
	}
	// The template must have no connections left, or cloning it fails.
	_ = db.Close()
	if err != nil {
		return nil, fmt.Errorf("migrate template database: %w", err)
	}
	return s, nil
}

// urlFor is the application's URL of a database: as AppRole.
func (s *server) urlFor(database string) string {
	u := *s.base
	u.Path = "/" + database
	u.User = url.UserPassword(AppRole, appRolePassword)
	return u.String()
}

// adminURLFor is the admin's URL of a database.
func (s *server) adminURLFor(database string) string {
	u := *s.base
	u.Path = "/" + database
	return u.String()
}

// AdminURL is the admin's URL of the database NewURL named by dbURL, for
// tests that grant or inspect what AppRole cannot.
func AdminURL(t testing.TB, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil || shared == nil {
		t.Fatalf("persistencetest: %q is not a URL from NewURL", dbURL)
	}
	return shared.adminURLFor(strings.TrimPrefix(u.Path, "/"))
}

// ensureAppRole creates AppRole unless it exists. Test processes start at
// once: an advisory lock makes them take turns, and a creation that lost a
// race anyway counts as done.
func ensureAppRole(ctx context.Context, admin *sql.DB) error {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	const lockKey = 7302665 // any constant shared by the test processes
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("lock to create the test role: %w", err)
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey) }()
	_, err = conn.ExecContext(ctx, `DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '`+AppRole+`') THEN
			CREATE ROLE `+AppRole+` LOGIN PASSWORD '`+appRolePassword+`' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
		END IF;
	EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
	END $$`)
	if err != nil {
		return fmt.Errorf("create the test role %s: %w", AppRole, err)
	}
	return nil
}

// SQL returns a connection to db's database that row-level security does
// not bind (on Postgres, the admin's; on SQLite, db's own), for tests that
// inspect or arrange rows behind the application's back.
func SQL(t testing.TB, db *persistence.DB) *sql.DB {
	t.Helper()
	if db.Dialect() == persistence.DialectSQLite {
		return db.SQLDB()
	}
	name := db.PgxPool().Config().ConnConfig.Database
	if inspector, ok := shared.inspectors.Load(name); ok {
		return inspector.(*sql.DB)
	}
	inspector, err := sql.Open("pgx", shared.adminURLFor(name))
	if err != nil {
		t.Fatalf("persistencetest: open admin connection: %v", err)
	}
	inspector.SetMaxOpenConns(2)
	if existing, loaded := shared.inspectors.LoadOrStore(name, inspector); loaded {
		_ = inspector.Close()
		return existing.(*sql.DB)
	}
	return inspector
}

// Owner returns db's database opened as the role that owns its schema
// (on SQLite, db itself), for tests that migrate down and up again.
func Owner(t testing.TB, db *persistence.DB) *persistence.DB {
	t.Helper()
	if db.Dialect() == persistence.DialectSQLite {
		return db
	}
	owner, err := persistence.Open(context.Background(), persistence.Config{
		DatabaseURL: shared.adminURLFor(db.PgxPool().Config().ConnConfig.Database), MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("persistencetest: open as owner: %v", err)
	}
	t.Cleanup(func() { _ = owner.Close() })
	return owner
}

// dropStale drops the test databases of earlier test processes that are
// gone. A process cannot drop its own template (testing has no end-of-run
// hook outside TestMain), so this is what removes templates.
func (s *server) dropStale(ctx context.Context) {
	rows, err := s.admin.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'ctl\\_%'")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		m := testDatabaseName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		created, _ := strconv.ParseInt(m[1], 10, 64)
		pid, _ := strconv.Atoi(m[3])
		if time.Since(time.Unix(created, 0)) > staleAfter || (m[2] == hostTag() && !processRunning(pid)) {
			stale = append(stale, name)
		}
	}
	_ = rows.Close()
	for _, name := range stale {
		dropDatabase(ctx, s.admin, name)
	}
}

func databaseName(prefix string) string {
	return fmt.Sprintf("%s_%d_%s_%d_%s", prefix, time.Now().Unix(), hostTag(), os.Getpid(), randomHex())
}

// hostTag tells this machine's test databases from other machines'.
func hostTag() string {
	host, _ := os.Hostname()
	sum := sha256.Sum256([]byte(host))
	return hex.EncodeToString(sum[:4])
}

func dropDatabase(ctx context.Context, admin *sql.DB, name string) {
	_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
