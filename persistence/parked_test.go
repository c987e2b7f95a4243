package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

// Parked receipts belong to their workspace: another workspace cannot take
// them even with the channel's id, and pruning deletes only those parked
// before the cutoff.
func TestParkedReceiptsStayInTheirWorkspaceUntilPruned(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.seedA(t)
	park := func(wamid string, at time.Time) {
		must(t, e.store.ParkStatus(e.a.ctx, r.channel.ID, domain.StatusUpdate{ProviderMessageID: wamid,
			Status: domain.DeliveryDelivered, Timestamp: at}, at))
	}
	park("wamid.old", base.Add(-8*24*time.Hour))
	park("wamid.recent", base.Add(-24*time.Hour))

	got, err := e.store.TakeParkedStatuses(e.b.ctx, r.channel.ID, "wamid.recent")
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("workspace B took A's receipt: %+v", got)
	}

	pruned, err := e.store.PruneParkedStatuses(context.Background(), base.Add(-domain.ParkedStatusTTL))
	must(t, err)
	if pruned != 1 {
		t.Fatalf("pruned %d receipts, want the one parked over a week ago", pruned)
	}
	old, err := e.store.TakeParkedStatuses(e.a.ctx, r.channel.ID, "wamid.old")
	must(t, err)
	recent, err := e.store.TakeParkedStatuses(e.a.ctx, r.channel.ID, "wamid.recent")
	must(t, err)
	if len(old) != 0 || len(recent) != 1 || recent[0].Status != domain.DeliveryDelivered {
		t.Fatalf("after pruning: old %+v, recent %+v", old, recent)
	}
}
