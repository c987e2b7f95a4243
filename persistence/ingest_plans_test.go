package persistence_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

var planCount atomic.Int64

// planOf runs lookup, captures its SQL and returns the database's plan
// for it: SQLite's EXPLAIN QUERY PLAN, or on Postgres the generic plan a
// cached prepared statement gets (what pgx runs after a few executions),
// where a partial index is usable only if the query repeats its predicate.
func planOf(t *testing.T, db *persistence.DB, lookup func()) string {
	t.Helper()
	var query string
	stop := db.ObserveStatements(func(sql string) {
		if query == "" {
			query = sql
		}
	})
	lookup()
	stop()
	n := strings.Count(query, "?")
	args := make([]any, n)
	for i := range args {
		args[i] = "x"
	}
	ctx := context.Background()
	conn, err := db.SQLDB().Conn(ctx)
	must(t, err)
	defer conn.Close()
	var rows *sql.Rows
	if persistencetest.Dialect() == persistence.DialectSQLite {
		rows, err = conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	} else {
		n = strings.Count(query, "$")
		_, err = conn.ExecContext(ctx, "SET plan_cache_mode = force_generic_plan")
		must(t, err)
		name := fmt.Sprintf("plan_of_%d", planCount.Add(1))
		_, err = conn.ExecContext(ctx, "PREPARE "+name+" AS "+query)
		must(t, err)
		defer conn.ExecContext(ctx, "DEALLOCATE "+name) //nolint:errcheck // the connection is discarded anyway
		rows, err = conn.QueryContext(ctx, "EXPLAIN EXECUTE "+name+"("+strings.TrimSuffix(strings.Repeat("'1',", n), ",")+")")
	}
	must(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	must(t, err)
	var plan strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		for _, v := range vals {
			if s, ok := v.(string); ok {
				plan.WriteString(s + " ")
			}
		}
		plan.WriteString("\n")
	}
	must(t, rows.Err())
	return plan.String()
}

// The inbound path's lookups by wamid and by sender use their unique
// indexes on both databases, also in Postgres' generic plans: scanning
// instead made every ingest slower as the tables grew.
func TestInboundLookupsUseTheirIndexes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	for name, tc := range map[string]struct {
		lookup func()
		index  string
	}{
		"message by wamid":     {func() { _, _ = e.store.FindMessageByProviderID(ctx, "chn_x", "wamid.x") }, "messages_provider_id"},
		"contact by wa_id":     {func() { _, _ = e.store.FindContactByWaID(ctx, "51987654321") }, "contacts_live_wa_id"},
		"sender by wa_id":      {func() { _, _ = e.store.FindSender(ctx, "51987654321", "", "") }, "contacts_live_wa_id"},
		"sender by bsuid":      {func() { _, _ = e.store.FindSender(ctx, "", "US.123", "") }, "contacts_live_user_id"},
		"last redirect notice": {func() { _, _ = e.store.LastRedirectNotice(ctx, "chn_x", "ctc_x") }, "messages_bot_by_conversation"},
	} {
		plan := planOf(t, e.db, tc.lookup)
		t.Logf("%s:\n%s", name, plan)
		if !strings.Contains(plan, tc.index) {
			t.Errorf("%s does not use %s:\n%s", name, tc.index, plan)
		}
	}
}
