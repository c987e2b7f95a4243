// Package persistence implements domain.Store with gorm on Postgres
// (production) and on embedded pure-Go SQLite (the zero-setup default).
// Both run the same tests and the same logical schema, migrated by versioned
// SQL files, one folder per dialect.
package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// Dialect names returned by DB.Dialect.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// DefaultMaxOpenConns is the Postgres pool size when Config leaves it zero.
const DefaultMaxOpenConns = 20

// JobPoolConns is the size of the job system's own Postgres pool: one
// LISTEN connection, the producer's fetches, the completer and the
// leader's maintenance.
const JobPoolConns = 5

// SQLiteFileName is the database file created inside Config.DataDir.
const SQLiteFileName = "centralita.db"

// slowQueryThreshold is when a statement is logged as slow.
const slowQueryThreshold = 200 * time.Millisecond

// Config says which database to open.
type Config struct {
	// DatabaseURL selects Postgres when it starts with postgres:// or
	// postgresql://; empty selects SQLite.
	DatabaseURL string
	// DataDir holds the SQLite file (created 0700 when missing).
	DataDir string
	// MaxOpenConns is the Postgres pool size (default 20). SQLite always
	// uses one connection: it has a single writer, and one connection makes
	// every write queue in-process instead of failing with SQLITE_BUSY.
	MaxOpenConns int
	// Logger receives errors and slow statements; nil discards them.
	Logger *slog.Logger
}

// DB is an open database.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	pool    *pgxpool.Pool // nil on SQLite
	jobPool *pgxpool.Pool // River's own connections; nil on SQLite
	dialect string
	queries *statementCounter
	store   *Store
	// stopLive ends the live-event goroutines (live_listen.go).
	stopLive context.CancelFunc
	liveDone sync.WaitGroup
	liveMu   sync.Mutex
	// livePublishers receive what the LISTEN connection brings.
	livePublishers []EventSink
}

// Open opens and pings the database. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gcfg := &gorm.Config{
		TranslateError: true,
		// Silent while opening: gorm logs its own failure to connect before
		// returning it, and the error returned (logged once by the caller)
		// already says everything.
		Logger:                 gormlogger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true, // single statements need no implicit tx
		PrepareStmt:            false,
	}
	db := &DB{queries: &statementCounter{}}
	var err error
	switch {
	case cfg.DatabaseURL == "":
		err = db.openSQLite(cfg, gcfg)
	case strings.HasPrefix(cfg.DatabaseURL, "postgres://"), strings.HasPrefix(cfg.DatabaseURL, "postgresql://"):
		err = db.openPostgres(ctx, cfg, gcfg)
	default:
		return nil, errors.New("persistence: DatabaseURL must start with postgres:// or postgresql://, or be empty for SQLite")
	}
	if err != nil {
		return nil, err
	}
	db.gorm.Logger = newGormLogger(logger, slowQueryThreshold)
	if err := db.registerCounter(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := db.registerOutageTranslation(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("persistence: ping %s: %w", db.dialect, err)
	}
	db.store = &Store{db: db.gorm, dialect: db.dialect, statements: db.queries}
	return db, nil
}

func (db *DB) openSQLite(cfg Config, gcfg *gorm.Config) error {
	if cfg.DataDir == "" {
		return errors.New("persistence: DataDir is required for SQLite")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("persistence: create data dir: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(5000)", "foreign_keys(1)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	// BEGIN IMMEDIATE takes the write lock up front, so a transaction never
	// fails half-way upgrading a read lock when another process writes.
	q.Set("_txlock", "immediate")
	dsn := filepath.Join(cfg.DataDir, SQLiteFileName) + "?" + q.Encode()
	g, err := gorm.Open(sqlite.Open(dsn), gcfg)
	if err != nil {
		return fmt.Errorf("persistence: open sqlite: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	// One connection: SQLite has a single writer. Every call inside a
	// transaction must use the tx carried by ctx (see conn), or it would
	// wait for this very connection forever.
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetMaxIdleConns(1)
	sqlDB.SetConnMaxLifetime(0)
	db.gorm, db.sql, db.dialect = g, sqlDB, DialectSQLite
	return nil
}

func (db *DB) openPostgres(ctx context.Context, cfg Config, gcfg *gorm.Config) error {
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return errors.New("persistence: DatabaseURL is not a valid Postgres URL")
	}
	maxConns := cfg.MaxOpenConns
	if maxConns <= 0 {
		maxConns = DefaultMaxOpenConns
	}
	// Migrate holds one connection for its advisory lock while it migrates
	// on another: fewer than two would deadlock.
	maxConns = max(maxConns, 2)
	// pgxpool defaults to max(4, NumCPU): far too few for a server.
	pcfg.MaxConns = int32(maxConns)
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return fmt.Errorf("persistence: open postgres pool: %w", err)
	}
	// The job system's fetching, LISTEN, completion and leader election
	// get connections of their own: sharing the request pool, they
	// stalled under load ("JobGetAvailable timed out") while requests
	// held every connection. The jobs' own work still goes through the
	// request pool, in the domain's transactions.
	jcfg := pcfg.Copy()
	jcfg.MaxConns = JobPoolConns
	jobPool, err := pgxpool.NewWithConfig(ctx, jcfg)
	if err != nil {
		pool.Close()
		return fmt.Errorf("persistence: open postgres job pool: %w", err)
	}
	// As stdlib.OpenDBFromPool, with connections that set the row-level
	// security settings of each transaction (rls.go).
	sqlDB := sql.OpenDB(rlsConnector{stdlib.GetPoolConnector(pool)})
	sqlDB.SetMaxIdleConns(0) // the pgxpool keeps the idle connections
	sqlDB.SetMaxOpenConns(maxConns)
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gcfg)
	if err != nil {
		_ = sqlDB.Close()
		pool.Close()
		jobPool.Close()
		return fmt.Errorf("persistence: open postgres: %w", err)
	}
	db.gorm, db.sql, db.pool, db.jobPool, db.dialect = g, sqlDB, pool, jobPool, DialectPostgres
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Close releases every connection.
func (db *DB) Close() error {
	if db.stopLive != nil {
		db.stopLive()
		db.liveDone.Wait()
	}
	err := db.sql.Close()
	if db.pool != nil {
		// Closing the *sql.DB does not close the pgxpool under it.
		db.pool.Close()
		db.jobPool.Close()
	}
	return err
}

// SQLDB exposes the connection pool for the Prometheus DB stats collector.
func (db *DB) SQLDB() *sql.DB { return db.sql }

// Dialect returns "postgres" or "sqlite".
func (db *DB) Dialect() string { return db.dialect }

// Store returns the domain.Store backed by this database.
func (db *DB) Store() *Store { return db.store }

// PgxPool is the Postgres pool requests use (nil on SQLite).
func (db *DB) PgxPool() *pgxpool.Pool { return db.pool }

// JobPool is the job system's own Postgres pool (nil on SQLite): its
// workers fetch, complete and LISTEN for new jobs through it.
func (db *DB) JobPool() *pgxpool.Pool { return db.jobPool }
