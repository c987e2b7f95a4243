package persistence_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

func postgresOnly(t *testing.T) {
	t.Helper()
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("row-level security is Postgres's; SQLite relies on the store's scoping")
	}
}

// Every table with a workspace_id, and workspaces itself, has row-level
// security enabled and forced (its owner obeys it too) and the
// tenant_isolation policy on app.workspace_id. A migration that adds a
// tenant table without them fails here.
func TestEveryTenantTableHasRowLevelSecurity(t *testing.T) {
	postgresOnly(t)
	t.Parallel()
	db := persistencetest.New(t)
	rows, err := persistencetest.SQL(t, db).Query(`
		SELECT t.table_name, c.relrowsecurity, c.relforcerowsecurity,
		       coalesce((SELECT p.qual || ' / ' || p.with_check FROM pg_policies p
		                 WHERE p.schemaname = t.table_schema AND p.tablename = t.table_name
		                   AND p.policyname = 'tenant_isolation' AND p.cmd = 'ALL'), '')
		FROM information_schema.tables t
		JOIN pg_class c ON c.relname = t.table_name AND c.relnamespace = to_regnamespace(t.table_schema)
		WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		  AND (t.table_name = 'workspaces' OR EXISTS (SELECT 1 FROM information_schema.columns col
		       WHERE col.table_schema = t.table_schema AND col.table_name = t.table_name AND col.column_name = 'workspace_id'))
		ORDER BY t.table_name`)
	must(t, err)
	defer rows.Close()
	var checked []string
	for rows.Next() {
		var table, policy string
		var enabled, forced bool
		must(t, rows.Scan(&table, &enabled, &forced, &policy))
		checked = append(checked, table)
		if !enabled || !forced {
			t.Errorf("%s: row-level security enabled %v, forced %v; want both (ENABLE and FORCE)", table, enabled, forced)
		}
		column := "workspace_id"
		if table == "workspaces" {
			column = "id"
		}
		want := "(" + column + " = current_setting('app.workspace_id'::text, true))"
		if policy != want+" / "+want {
			t.Errorf("%s: tenant_isolation policy is %q, want USING and WITH CHECK %s", table, policy, want)
		}
	}
	must(t, rows.Err())
	// The schema has more than twenty tenant tables: an empty or short
	// list means the query, not the schema, is wrong.
	if len(checked) < 20 || !strings.Contains(strings.Join(checked, ","), "messages") {
		t.Fatalf("checked only %v", checked)
	}
}

// The application's role is bound by row-level security: not a superuser,
// no BYPASSRLS, and it owns no table (an owner could turn it off).
func TestApplicationRoleIsBoundByRowSecurity(t *testing.T) {
	postgresOnly(t)
	t.Parallel()
	db := persistencetest.New(t)
	applies, err := db.RowSecurityApplies(context.Background())
	must(t, err)
	if !applies {
		t.Fatal("the tests' application role is a superuser or has BYPASSRLS")
	}
	var owned int
	must(t, db.SQLDB().QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user").Scan(&owned))
	if owned != 0 {
		t.Fatalf("the application role owns %d tables", owned)
	}
}

// With the store's own scoping out of the way (no WHERE workspace_id),
// row-level security alone keeps workspace A from B's rows: reads find
// nothing, updates and deletes touch nothing, inserts into B are refused;
// in a transaction and out of one. Without a principal nothing shows, and
// the cross-tenant mark of the unscoped lookups opens only their tables.
func TestRowLevelSecurityAloneRefusesCrossTenantRows(t *testing.T) {
	postgresOnly(t)
	t.Parallel()
	e := newEnv(t)
	theirs := e.contact(t, e.b.ctx, "51900000002", "Beto")
	conv := e.conversation(t, e.b.ctx, theirs.ID, base)
	msg := e.message(t, e.b.ctx, conv, "secreto", base)
	mine := e.contact(t, e.a.ctx, "51900000001", "Ana")
	theirIDs := map[string]string{"workspaces": e.b.ws.ID, "users": e.b.owner.ID, "contacts": theirs.ID,
		"conversations": conv.ID, "messages": msg.ID}

	count := func(db *gorm.DB, table, id string) int64 {
		var n int64
		must(t, db.Table(table).Where("id = ?", id).Count(&n).Error)
		return n
	}
	// Autocommit and inside a transaction: both paths set the workspace.
	check := func(db *gorm.DB) {
		for table, id := range theirIDs {
			if n := count(db, table, id); n != 0 {
				t.Errorf("A reads B's %s row %s: %d rows", table, id, n)
			}
		}
		if n := count(db, "contacts", mine.ID); n != 1 {
			t.Errorf("A's own contact: %d rows, want 1 (the test would prove nothing)", n)
		}
		var all int64
		must(t, db.Table("contacts").Count(&all).Error)
		if all != 1 {
			t.Errorf("A counts %d contacts in the whole table, want only its own", all)
		}
		res := db.Table("messages").Where("id = ?", msg.ID).Update("text", "alterado")
		if res.Error != nil || res.RowsAffected != 0 {
			t.Errorf("A updates B's message: %d rows, %v", res.RowsAffected, res.Error)
		}
		res = db.Exec("DELETE FROM contacts WHERE id = ?", theirs.ID)
		if res.Error != nil || res.RowsAffected != 0 {
			t.Errorf("A deletes B's contact: %d rows, %v", res.RowsAffected, res.Error)
		}
	}
	check(e.store.Unscoped(e.a.ctx))
	must(t, e.store.InTx(e.a.ctx, func(ctx context.Context) error {
		check(e.store.Unscoped(ctx))
		return nil
	}))
	err := e.store.Unscoped(e.a.ctx).Exec(`INSERT INTO tags (id, workspace_id, name, color, created_at, updated_at)
		VALUES ('tag_planted', ?, 'planted', '', now(), now())`, e.b.ws.ID).Error
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("A inserts a tag into B: %v, want a row-level security refusal", err)
	}
	got, err := e.store.FindMessage(e.b.ctx, msg.ID)
	must(t, err)
	if got.Text != "secreto" {
		t.Errorf("B's message became %q", got.Text)
	}
	if _, err := e.store.FindContact(e.b.ctx, theirs.ID); err != nil {
		t.Errorf("B's contact is gone: %v", err)
	}

	nobody := e.store.Unscoped(context.Background())
	for table, id := range theirIDs {
		if n := count(nobody, table, id); n != 0 {
			t.Errorf("without a principal, %s row %s shows", table, id)
		}
	}
	cross := e.store.Unscoped(persistence.CrossTenant(context.Background()))
	for table, id := range theirIDs {
		if table == "users" || table == "workspaces" {
			// Logging in by email reads users across workspaces; event
			// retention reads every workspace's event_retention_days.
			continue
		}
		if n := count(cross, table, id); n != 0 {
			t.Errorf("the cross-tenant mark shows %s row %s", table, id)
		}
	}
	if res := cross.Exec("DELETE FROM events WHERE workspace_id = ?", e.b.ws.ID); res.RowsAffected != 0 {
		t.Errorf("the cross-tenant mark deletes events: %d rows, %v", res.RowsAffected, res.Error)
	}
	if res := cross.Exec("UPDATE workspaces SET name = 'x' WHERE id = ?", e.b.ws.ID); res.RowsAffected != 0 {
		t.Errorf("the cross-tenant mark changes a workspace: %d rows, %v", res.RowsAffected, res.Error)
	}
	if res := cross.Exec("DELETE FROM users WHERE id = ?", e.b.owner.ID); res.RowsAffected != 0 {
		t.Errorf("the cross-tenant mark deletes a user: %d rows, %v", res.RowsAffected, res.Error)
	}
}
