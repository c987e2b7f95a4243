package persistence

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/centralita/centralita/domain"
)

// Postgres answers that a test cannot provoke on a shared server (too many
// connections, shutdown, recovery) are outages; its other answers are about
// the statement, and a caller giving up is not the database's fault.
func TestTranslateOutageCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want domain.Code
	}{
		{&pgconn.PgError{Code: "53300"}, domain.CodeUnavailable}, // too_many_connections
		{&pgconn.PgError{Code: "57P01"}, domain.CodeUnavailable}, // admin_shutdown
		{&pgconn.PgError{Code: "57P02"}, domain.CodeUnavailable}, // crash_shutdown
		{&pgconn.PgError{Code: "57P03"}, domain.CodeUnavailable}, // cannot_connect_now
		{&pgconn.PgError{Code: "08006"}, domain.CodeUnavailable}, // connection_failure
		// ALTER DATABASE … ALLOW_CONNECTIONS false: known by its message, or
		// in another language by its severity (the session is over).
		{&pgconn.PgError{Code: "55000", Message: `database "shop" is not currently accepting connections`}, domain.CodeUnavailable},
		{&pgconn.PgError{Code: "55000", Severity: "FATAL", Message: "la base de datos «shop» no está aceptando conexiones"}, domain.CodeUnavailable},
		// Any session the server ends, e.g. idle_session_timeout.
		{&pgconn.PgError{Code: "57P05", Severity: "FATAL", SeverityUnlocalized: "FATAL"}, domain.CodeUnavailable},
		{&pgconn.PgError{Code: "55000", Severity: "ERROR", Message: "currval of sequence is not yet defined in this session"}, domain.CodeInternal},
		{&pgconn.PgError{Code: "55P03", Severity: "ERROR"}, domain.CodeInternal}, // lock_not_available
		{&pgconn.PgError{Code: "42P01"}, domain.CodeInternal},                    // undefined_table: a bug
		{&pgconn.PgError{Code: "57014"}, domain.CodeInternal},                    // query_canceled
		{context.Canceled, domain.CodeInternal},
		{errors.New("something else"), domain.CodeInternal},
	} {
		err := writeError(fmt.Errorf("wrapped: %w", tc.err), "message")
		if got := domain.ErrorCode(err); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.err, got, tc.want)
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%v: the driver error is lost", tc.err)
		}
	}
}
