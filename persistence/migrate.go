package persistence

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrations holds one folder of versioned SQL files per dialect. The two
// folders describe the same logical schema and move together: a new version
// is added to both.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// Migrate applies every pending migration, ours and those of the job
// queue's tables (River's), so that the role that owns the schema creates
// them all and the application's role needs no right to create anything.
// It is safe to run on every start and from several replicas at once: on
// Postgres a session advisory lock makes the others wait.
func (db *DB) Migrate(ctx context.Context) error {
	provider, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("persistence: migrate %s: %w", db.dialect, err)
	}
	if db.dialect == DialectPostgres {
		err = migrateJobTables(ctx, riverpgxv5.New(db.pool))
	} else {
		err = migrateJobTables(ctx, riversqlite.New(db.sql))
	}
	if err != nil {
		return fmt.Errorf("persistence: migrate the job tables: %w", err)
	}
	return nil
}

func migrateJobTables[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// GrantApp gives role, the role the application connects as when it is
// not the one that migrates, the rights it needs on every table and
// sequence, now and on those later migrations create (default privileges
// of the migrating role), and none to change the migration history. It is
// idempotent; it does nothing on SQLite or when role is the current user.
func (db *DB) GrantApp(ctx context.Context, role string) error {
	if db.dialect != DialectPostgres || role == "" {
		return nil
	}
	var current string
	if err := db.sql.QueryRowContext(ctx, "SELECT current_user").Scan(&current); err != nil {
		return fmt.Errorf("persistence: grant: %w", err)
	}
	if current == role {
		return nil
	}
	r := pgx.Identifier{role}.Sanitize()
	for _, stmt := range []string{
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + r,
		"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + r,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + r,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO " + r,
		"REVOKE INSERT, UPDATE, DELETE ON goose_db_version, river_migration FROM " + r,
	} {
		if _, err := db.sql.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("persistence: grant the application role %s: %w", role, err)
		}
	}
	return nil
}

// RowSecurityApplies reports whether row-level security binds the role
// this database is connected as: false on SQLite, and for a superuser or
// a role with BYPASSRLS.
func (db *DB) RowSecurityApplies(ctx context.Context) (bool, error) {
	if db.dialect != DialectPostgres {
		return false, nil
	}
	var applies bool
	err := db.sql.QueryRowContext(ctx,
		"SELECT NOT (rolsuper OR rolbypassrls) FROM pg_roles WHERE rolname = current_user").Scan(&applies)
	return applies, err
}

func (db *DB) migrations() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return nil, fmt.Errorf("persistence: migrations: %w", err)
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("persistence: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	// SQLite gets no session locker: it would hold the only connection
	// while goose waits for another one. A single writer needs no lock.
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	provider, err := goose.NewProvider(dialect, db.sql, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("persistence: migrations: %w", err)
	}
	return provider, nil
}
