package persistence

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
)

// Store implements domain.Store. Every method except the AuthStore ones and
// CreateWorkspace reads the workspace from the principal in ctx and puts it
// in the WHERE clause (or in the row, for inserts); without a principal it
// fails closed.
type Store struct {
	db      *gorm.DB
	dialect string
	// enqueue inserts a job in the caller's transaction; it is set by the
	// wiring (the job system lives in another package).
	enqueue       Enqueuer
	scheduleTimer TimerScheduler
	statements    *statementCounter
	eventSinks    []EventSink
	// enqueueWebhook inserts a webhook delivery job (store_webhooks.go).
	enqueueWebhook WebhookEnqueuer
}

// Enqueuer inserts a durable job about a message inside tx.
type Enqueuer func(ctx context.Context, tx *sql.Tx, kind domain.JobKind, workspaceID, messageID string) error

// SetEnqueuer installs the transactional job insert used by Enqueue.
func (s *Store) SetEnqueuer(fn Enqueuer) { s.enqueue = fn }

// TimerScheduler inserts a durable timer job inside tx.
type TimerScheduler func(ctx context.Context, tx *sql.Tx, workspaceID string, t domain.Timer) error

// SetTimerScheduler installs the transactional insert used by ScheduleTimer.
func (s *Store) SetTimerScheduler(fn TimerScheduler) { s.scheduleTimer = fn }

// ScheduleTimer inserts a timer job in the open transaction.
func (s *Store) ScheduleTimer(ctx context.Context, t domain.Timer) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if s.scheduleTimer == nil {
		return fmt.Errorf("persistence: no job queue is configured for timers")
	}
	tx, err := s.sqlTx(ctx)
	if err != nil {
		return err
	}
	s.statements.add("job insert: timer " + string(t.Kind))
	return s.scheduleTimer(ctx, tx, ws, t)
}

// Enqueue inserts a job about the message in the open transaction, so the
// message and its job commit or roll back together.
func (s *Store) Enqueue(ctx context.Context, kind domain.JobKind, messageID string) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if s.enqueue == nil {
		return fmt.Errorf("persistence: no job queue is configured")
	}
	sqlTx, err := s.sqlTx(ctx)
	if err != nil {
		return err
	}
	s.statements.add("job insert: " + string(kind))
	return s.enqueue(ctx, sqlTx, kind, ws, messageID)
}

// sqlTx is the database/sql transaction open in ctx, which River's
// inserts join.
func (s *Store) sqlTx(ctx context.Context) (*sql.Tx, error) {
	tx, ok := ctx.Value(txKey{s}).(*gorm.DB)
	if !ok {
		return nil, fmt.Errorf("persistence: jobs are inserted in a transaction")
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("persistence: transaction is not a database/sql transaction")
	}
	return sqlTx, nil
}

var _ domain.Store = (*Store)(nil)

// txKey carries the open transaction in a ctx. It holds the Store so that a
// transaction of one database is never picked up by another.
type txKey struct{ store *Store }

// InTx runs fn in one transaction carried by the ctx given to fn. A nested
// InTx joins the outer transaction: the outermost call commits or rolls
// back, which is what the domain's multi-step writes need.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{s}).(*gorm.DB); ok {
		return fn(ctx)
	}
	s.statements.add("BEGIN")
	events := &committedEvents{}
	ctx = context.WithValue(ctx, committedEventsKey{s}, events)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{s}, tx))
	})
	s.statements.add("COMMIT or ROLLBACK")
	if err != nil {
		return txError(err)
	}
	s.publish(events)
	return nil
}

// txError is a failed transaction's error: the domain's own as it is, an
// unreachable database as an outage.
func txError(err error) error {
	if _, ok := domain.AsError(err); ok {
		return err
	}
	if isOutage(err) { // BEGIN, COMMIT or a savepoint could not reach the database
		return &outageError{cause: err}
	}
	return fmt.Errorf("persistence: transaction: %w", err)
}

// itemSavepoint names the savepoint Savepoint sets. One name serves every
// item: SQL's ROLLBACK TO undoes to the latest savepoint of that name.
const itemSavepoint = "centralita_item"

// Savepoint runs fn so that a failure undoes fn's writes alone: under a
// savepoint of the transaction open in ctx (the rest of the transaction
// goes on), else in a transaction of its own. A savepoint that succeeded
// is not released: that would cost a round trip per item on Postgres, and
// the next one nests inside it until the transaction ends (a batch is
// bounded by the delivery, at most 50 items from Meta).
func (s *Store) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	tx, ok := ctx.Value(txKey{s}).(*gorm.DB)
	if !ok {
		return s.InTx(ctx, fn)
	}
	if err := tx.WithContext(ctx).Exec("SAVEPOINT " + itemSavepoint).Error; err != nil {
		return txError(err)
	}
	events := s.eventsOf(ctx)
	appended := events.mark()
	err := fn(ctx)
	if err == nil {
		return nil
	}
	events.truncate(appended) // the rolled-back item's events never happened
	if rerr := tx.WithContext(ctx).Exec("ROLLBACK TO SAVEPOINT " + itemSavepoint).Error; rerr != nil {
		// The transaction cannot go on, whatever fn's error said: its
		// caller rolls it back.
		return txError(fmt.Errorf("%w (undoing: %v)", rerr, err))
	}
	return err
}

// conn returns the transaction in ctx, or the pool. Every statement goes
// through it: on SQLite, with its single connection, a statement that
// bypassed the open transaction would wait for it forever.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{s}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return s.db.WithContext(ctx)
}

// scope returns the connection and the caller's workspace id, or fails
// closed when ctx has no principal.
func (s *Store) scope(ctx context.Context) (*gorm.DB, string, error) {
	p, ok := domain.PrincipalFrom(ctx)
	if !ok {
		return nil, "", errNoPrincipal()
	}
	return s.conn(ctx), p.WorkspaceID, nil
}

// own checks that a record about to be written belongs to the caller's
// workspace, filling it in when the caller left it empty.
func own(workspaceID *string, ws string) error {
	if *workspaceID == "" {
		*workspaceID = ws
	}
	if *workspaceID != ws {
		return domain.Errorf(domain.CodeForbidden, "the record belongs to another workspace")
	}
	return nil
}

// updated turns an UPDATE result into "not found" when it touched no row of
// the caller's workspace (Postgres and SQLite count matched rows, so an
// update that changes nothing still counts).
func updated(res *gorm.DB, kind string) error {
	if res.Error != nil {
		return writeError(res.Error, kind)
	}
	if res.RowsAffected == 0 {
		return domain.NotFound(kind)
	}
	return nil
}
