package persistencetest_test

import (
	"context"
	"testing"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// TestEachTestGetsItsOwnDatabase checks that New hands out migrated,
// empty, independent databases of the announced dialect.
func TestEachTestGetsItsOwnDatabase(t *testing.T) {
	first, second := persistencetest.New(t), persistencetest.New(t)
	if first.Dialect() != persistencetest.Dialect() {
		t.Fatalf("dialect %q, want %q", first.Dialect(), persistencetest.Dialect())
	}
	ctx := context.Background()
	ws := &domain.Workspace{ID: domain.NewID(domain.PrefixWorkspace), Name: "One", Timezone: "UTC", Locale: "es"}
	if err := first.Store().CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	sys := domain.SystemContext(ctx, ws.ID)
	if _, err := first.Store().FindWorkspace(sys); err != nil {
		t.Fatalf("workspace missing in its database: %v", err)
	}
	if _, err := second.Store().FindWorkspace(sys); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("second database is not independent: %v", err)
	}
}
