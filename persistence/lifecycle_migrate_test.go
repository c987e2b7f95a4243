package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// Migration 00024 gives every existing workspace the default close reasons
// and lifecycle settings; conversations closed with free text keep it.
func TestMigrationGivesEveryWorkspaceTheDefaultCloseReasons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	owner := persistencetest.Owner(t, e.db) // RLS binds e.db's role, which owns nothing
	must(t, owner.MigrateDownTo(ctx, 23))
	_, err := persistencetest.SQL(t, e.db).Exec(`INSERT INTO conversations (id, workspace_id, contact_id, status, priority, version,
		close_reason, created_at, updated_at, last_activity_at, closed_at)
		VALUES ($1, $2, $3, 'closed', 'normal', 1, 'se fue contento', $4, $4, $4, $4)`,
		"conv_legacyfreetextreason000000", e.a.ws.ID, e.contact(t, e.a.ctx, "51933333333", "Caro").ID, base.UTC())
	must(t, err)
	must(t, owner.Migrate(ctx))

	want := []string{"follow_up", "no_response", "resolved", "spam", "transferred_to_other_channel"}
	for _, tn := range []tenant{e.a, e.b} {
		reasons, err := e.svc.CloseReasons(tn.ctx)
		must(t, err)
		var keys []string
		for _, r := range reasons {
			if !domain.ValidID(domain.PrefixCloseReason, r.ID) || r.WorkspaceID != tn.ws.ID || r.Name == "" {
				t.Errorf("%s: malformed reason %+v", tn.ws.Name, r)
			}
			keys = append(keys, r.Key)
		}
		if len(keys) != len(want) {
			t.Fatalf("%s has reasons %v, want %v", tn.ws.Name, keys, want)
		}
		for i := range want {
			if keys[i] != want[i] {
				t.Errorf("%s has reasons %v, want %v", tn.ws.Name, keys, want)
			}
		}
		ws, err := e.store.FindWorkspace(tn.ctx)
		must(t, err)
		if ws.Lifecycle != (domain.LifecycleSettings{ReopenWindow: 72 * time.Hour}) {
			t.Errorf("%s's lifecycle is %+v, want the defaults", tn.ws.Name, ws.Lifecycle)
		}
	}
	got, err := e.store.FindConversation(e.a.ctx, "conv_legacyfreetextreason000000")
	must(t, err)
	if got.CloseReason != "se fue contento" {
		t.Errorf("a free-text reason became %q", got.CloseReason)
	}
}
