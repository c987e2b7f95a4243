package persistence

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one folder of versioned SQL files per dialect. The two
// folders describe the same logical schema and move together: a new version
// is added to both.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// Migrate applies every pending migration. It is safe to run on every start
// and from several replicas at once: on Postgres a session advisory lock
// makes the others wait.
func (db *DB) Migrate(ctx context.Context) error {
	provider, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("persistence: migrate %s: %w", db.dialect, err)
	}
	return nil
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
