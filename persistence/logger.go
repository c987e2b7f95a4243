package persistence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// gormLogger routes gorm's statement trace to slog. It logs only what an
// operator acts on: unexpected errors and slow statements. Expected outcomes
// (not found, unique and foreign-key violations that become domain errors)
// stay quiet, and SQL is logged without its arguments, which may hold
// password and token hashes or customer text.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(l *slog.Logger, slow time.Duration) *gormLogger {
	return &gormLogger{log: l.With("component", "persistence"), slow: slow}
}

func (l *gormLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return l }

// Info, Warn and Error receive printf-style messages from gorm itself.
func (l *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// ParamsFilter drops the arguments from logged SQL.
func (l *gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	expected := err == nil || errors.Is(err, gorm.ErrRecordNotFound) ||
		errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrForeignKeyViolated) ||
		errors.Is(err, context.Canceled)
	if expected && elapsed <= l.slow {
		return
	}
	sql, rows := fc()
	attrs := []any{"sql", sql, "rows", rows, "duration_ms", float64(elapsed.Microseconds()) / 1000}
	if id := domain.RequestID(ctx); id != "" {
		attrs = append(attrs, "request_id", id)
	}
	if !expected {
		l.log.ErrorContext(ctx, "sql failed", append(attrs, "error", err.Error())...)
		return
	}
	l.log.WarnContext(ctx, "slow sql", attrs...)
}
