package persistence

import (
	"fmt"
	"sync/atomic"

	"gorm.io/gorm"
)

// statementCounter counts the round trips to the database: every statement
// gorm runs, BEGIN and COMMIT (or ROLLBACK) of each transaction, and each
// job inserted in one. Tests use it to pin how many statements a request
// costs (dataloaders batch, an ingest stays a handful), so a regression
// fails instead of slowing production down unnoticed.
type statementCounter struct {
	n        atomic.Int64
	observer atomic.Pointer[func(string)]
}

// add counts one round trip; what describes it for an observer.
func (c *statementCounter) add(what string) {
	if c == nil {
		return
	}
	c.n.Add(1)
	if fn := c.observer.Load(); fn != nil {
		(*fn)(what)
	}
}

// registerCounter counts every statement gorm executes.
func (db *DB) registerCounter() error {
	count := func(g *gorm.DB) {
		if g.Statement.SQL.Len() > 0 && !g.DryRun {
			db.queries.add(g.Statement.SQL.String())
		}
	}
	cb := db.gorm.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("centralita:count_query", count),
		cb.Create().After("gorm:create").Register("centralita:count_create", count),
		cb.Update().After("gorm:update").Register("centralita:count_update", count),
		cb.Delete().After("gorm:delete").Register("centralita:count_delete", count),
		cb.Row().After("gorm:row").Register("centralita:count_row", count),
		cb.Raw().After("gorm:raw").Register("centralita:count_raw", count),
	} {
		if err != nil {
			return fmt.Errorf("persistence: register query counter: %w", err)
		}
	}
	return nil
}

// QueryCount is the number of round trips to the database so far: SQL
// statements, transaction boundaries and job inserts.
func (db *DB) QueryCount() int64 { return db.queries.n.Load() }

// ObserveStatements calls fn with the SQL of every round trip counted by
// QueryCount until the returned stop is called (one observer at a time).
// Tests print it when a statement budget is exceeded.
func (db *DB) ObserveStatements(fn func(sql string)) (stop func()) {
	db.queries.observer.Store(&fn)
	return func() { db.queries.observer.Store(nil) }
}
