package persistence

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/centralita/centralita/domain"
)

// Row-level security on Postgres (migration 00026) admits a row of a
// tenant table only when its workspace_id equals the transaction's
// app.workspace_id setting. This file sets it: every transaction that
// runs for a principal starts with set_config('app.workspace_id', ws,
// true), merged into its BEGIN (no extra round trip), and a statement run
// outside a transaction for a principal gets a transaction of its own. The
// setting is transaction-local, so nothing leaks to the next user of a
// pooled connection.
//
// A few lookups happen before any workspace is known (routing a webhook by
// phone_number_id, authenticating a key, a session or an email) or sweep
// every workspace (pruning parked receipts). Those store methods, and only
// those, mark their ctx with crossTenant: the transaction then carries
// app.cross_tenant = 'on', which the policies accept only on the tables and
// commands those lookups need (see the migration). SQLite has no
// row-level security and keeps relying on the store's own scoping.

// rlsSetting is what a transaction tells the policies.
type rlsSetting struct {
	workspaceID string
	crossTenant bool
}

func (s rlsSetting) none() bool { return s == rlsSetting{} }

type rlsKey struct{}

// crossTenant marks ctx for a store method that reads or writes across
// workspaces by nature. Call it only in the methods documented as
// unscoped (AuthStore, routing, housekeeping).
func crossTenant(ctx context.Context) context.Context {
	return context.WithValue(ctx, rlsKey{}, rlsSetting{crossTenant: true})
}

// inWorkspace runs the statements of ctx in workspace ws, for the unscoped
// methods that know the workspace from their arguments (a verified token,
// a new session, a new workspace).
func inWorkspace(ctx context.Context, ws string) context.Context {
	return context.WithValue(ctx, rlsKey{}, rlsSetting{workspaceID: ws})
}

// outsideTenancy marks ctx for a statement on a table that is not tenant
// data (the rate counters, keyed by subject): it runs as it is, without the
// transaction a principal's statement would otherwise get, so it stays one
// round trip.
func outsideTenancy(ctx context.Context) context.Context {
	return context.WithValue(ctx, rlsKey{}, rlsSetting{})
}

// rlsFor is the setting statements run with under ctx: a store method's
// explicit mark, else the principal's workspace, else nothing (tenant
// tables then show no rows).
func rlsFor(ctx context.Context) rlsSetting {
	if s, ok := ctx.Value(rlsKey{}).(rlsSetting); ok {
		return s
	}
	if p, ok := domain.PrincipalFrom(ctx); ok {
		return rlsSetting{workspaceID: p.WorkspaceID}
	}
	return rlsSetting{}
}

// sqlLiteral quotes s for the simple-protocol BEGIN (parameters cannot be
// sent there). pgx requires standard_conforming_strings, so doubling the
// quotes is enough; NUL and invalid UTF-8 are refused.
func sqlLiteral(s string) (string, error) {
	if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
		return "", errors.New("persistence: workspace id is not valid text")
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

func (s rlsSetting) configSQL() (string, error) {
	ws, err := sqlLiteral(s.workspaceID)
	if err != nil {
		return "", err
	}
	cross := "''"
	if s.crossTenant {
		cross = "'on'"
	}
	return "SELECT set_config('app.workspace_id', " + ws + ", true), set_config('app.cross_tenant', " + cross + ", true)", nil
}

// rlsConnector hands database/sql connections that set the transaction's
// row-level security settings.
type rlsConnector struct{ driver.Connector }

func (c rlsConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("persistence: unexpected Postgres driver connection")
	}
	return &rlsConn{Conn: sc}, nil
}

// rlsConn is a pgx connection that knows whether it is in a transaction
// and which setting that transaction carries.
type rlsConn struct {
	*stdlib.Conn
	inTx    bool
	setting rlsSetting
}

// BeginTx merges the settings of ctx into the BEGIN: one round trip.
func (c *rlsConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	want := rlsFor(ctx)
	begin := "BEGIN"
	if opts.ReadOnly {
		begin += " READ ONLY"
	}
	if opts.Isolation != driver.IsolationLevel(0) {
		return nil, errors.New("persistence: transactions run at the default isolation level")
	}
	if !want.none() {
		config, err := want.configSQL()
		if err != nil {
			return nil, err
		}
		begin += "; " + config
	}
	tx, err := c.Conn.Conn().BeginTx(ctx, pgx.TxOptions{BeginQuery: begin})
	if err != nil {
		return nil, err
	}
	c.inTx, c.setting = true, want
	return &rlsTx{conn: c, ctx: ctx, tx: tx}, nil
}

type rlsTx struct {
	conn *rlsConn
	ctx  context.Context
	tx   pgx.Tx
}

func (t *rlsTx) Commit() error {
	t.conn.inTx, t.conn.setting = false, rlsSetting{}
	return t.tx.Commit(t.ctx)
}

func (t *rlsTx) Rollback() error {
	t.conn.inTx, t.conn.setting = false, rlsSetting{}
	return t.tx.Rollback(t.ctx)
}

// prepare makes the statement about to run see the settings of its ctx.
// In a transaction it changes them only when a statement asks for other
// ones (a cross-tenant lookup inside a scoped transaction): one extra
// statement, then. Outside one it opens a transaction for the statement,
// which the caller must end with finish.
func (c *rlsConn) prepare(ctx context.Context) (own *rlsTx, err error) {
	want := rlsFor(ctx)
	if c.inTx {
		if want.none() || want == c.setting {
			return nil, nil
		}
		config, err := want.configSQL()
		if err != nil {
			return nil, err
		}
		if _, err := c.Conn.Conn().Exec(ctx, config); err != nil {
			return nil, err
		}
		c.setting = want
		return nil, nil
	}
	if want.none() {
		return nil, nil
	}
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	return tx.(*rlsTx), nil
}

// finish commits a statement's own transaction, or rolls it back when the
// statement failed.
func finish(own *rlsTx, failed error) error {
	if own == nil {
		return failed
	}
	if failed != nil {
		_ = own.Rollback()
		return failed
	}
	return own.Commit()
}

func (c *rlsConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	own, err := c.prepare(ctx)
	if err != nil {
		return nil, err
	}
	res, err := c.Conn.ExecContext(ctx, query, args)
	if err := finish(own, err); err != nil {
		return nil, err
	}
	return res, nil
}

func (c *rlsConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	own, err := c.prepare(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.Conn.QueryContext(ctx, query, args)
	if err != nil || own == nil {
		return rows, finish(own, err)
	}
	pgRows, ok := rows.(*stdlib.Rows)
	if !ok {
		_ = rows.Close()
		return nil, finish(own, errors.New("persistence: unexpected Postgres driver rows"))
	}
	return &rlsRows{Rows: pgRows, own: own}, nil
}

// rlsRows commits the statement's own transaction once its rows are read.
// It embeds the driver's rows so that their column type methods stay.
type rlsRows struct {
	*stdlib.Rows
	own *rlsTx
}

func (r *rlsRows) Close() error {
	err := r.Rows.Close()
	if r.own == nil {
		return err
	}
	own := r.own
	r.own = nil
	return finish(own, err)
}
