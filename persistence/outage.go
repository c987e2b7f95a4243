package persistence

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
	"gorm.io/gorm"

	"github.com/centralita/centralita/domain"
)

// outageRetryAfterSeconds is the Retry-After offered while the database is
// unreachable: long enough not to hammer it, short enough to notice it back.
const outageRetryAfterSeconds = 5

// errDatabaseUnavailable is what callers see of an outage: a temporary
// condition worth retrying (503), never an internal error (500). Meta
// retries a webhook either way, but clients and monitors treat them apart.
var errDatabaseUnavailable = &domain.Error{Code: domain.CodeUnavailable,
	Message: "the database is unavailable; retry later", RetryAfterSeconds: outageRetryAfterSeconds}

// outageError keeps the driver's error for logs and errors.Is while
// answering domain.AsError with errDatabaseUnavailable.
type outageError struct{ cause error }

func (e *outageError) Error() string   { return "persistence: database unavailable: " + e.cause.Error() }
func (e *outageError) Unwrap() []error { return []error{errDatabaseUnavailable, e.cause} }

// isOutage reports whether err says the database cannot serve us now, as
// opposed to refusing this statement: the same request may succeed later.
func isOutage(err error) bool {
	// A connection that could not be made ran no statement: whatever the
	// server answered (closed to connections, out of connection slots,
	// starting up or shutting down, refusing our credentials), the database
	// is not available to us until an operator or time fixes it.
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return isPostgresOutage(pgErr)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // primary result code
		case sqliteBusy, sqliteReadOnly, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
		return false
	}
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, puddle.ErrClosedPool) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &netErr) ||
		// database/sql does not export its "database is closed" error.
		strings.Contains(err.Error(), "sql: database is closed")
}

// isPostgresOutage reports whether an answer of the server is about the
// server (its connections, its resources, its state) rather than about the
// statement we sent.
func isPostgresOutage(pgErr *pgconn.PgError) bool {
	// FATAL ends the session: the server dropped us, whatever the reason.
	if severity := cmp.Or(pgErr.SeverityUnlocalized, pgErr.Severity); severity == "FATAL" || severity == "PANIC" {
		return true
	}
	switch code := pgErr.Code; {
	case strings.HasPrefix(code, "08"), // connection exception
		strings.HasPrefix(code, "53"),                     // insufficient resources: too many connections, disk full
		code == "57P01", code == "57P02", code == "57P03": // admin/crash shutdown, cannot connect now
		return true
	case code == "55000": // object_not_in_prerequisite_state, usually about a statement's object
		// ALTER DATABASE … ALLOW_CONNECTIONS false answers this at connect.
		return strings.Contains(pgErr.Message, "not currently accepting connections")
	}
	return false
}

// SQLite primary result codes (sqlite3.h) that mean the file cannot be
// used right now rather than that the statement is wrong.
const (
	sqliteBusy     = 5
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// registerOutageTranslation marks outage errors of every statement as
// unavailable where gorm records them, so that methods returning a driver
// error as is (and not through translate) still answer 503, not 500.
func (db *DB) registerOutageTranslation() error {
	mark := func(g *gorm.DB) {
		if g.Error != nil && isOutage(g.Error) {
			if _, ok := domain.AsError(g.Error); !ok {
				g.Error = &outageError{cause: g.Error}
			}
		}
	}
	cb := db.gorm.Callback()
	for _, err := range []error{
		cb.Query().After("*").Register("centralita:outage_query", mark),
		cb.Create().After("*").Register("centralita:outage_create", mark),
		cb.Update().After("*").Register("centralita:outage_update", mark),
		cb.Delete().After("*").Register("centralita:outage_delete", mark),
		cb.Row().After("*").Register("centralita:outage_row", mark),
		cb.Raw().After("*").Register("centralita:outage_raw", mark),
	} {
		if err != nil {
			return fmt.Errorf("persistence: register outage translation: %w", err)
		}
	}
	return nil
}
