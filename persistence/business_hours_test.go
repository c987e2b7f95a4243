package persistence_test

import (
	"reflect"
	"testing"

	"github.com/centralita/centralita/domain"
)

// A plan round-trips with its shifts and holidays, a queue points at it,
// and another workspace sees neither.
func TestBusinessHoursRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := &domain.BusinessHours{ID: domain.NewID(domain.PrefixBusinessHours), Name: "Oficina Lima",
		Timezone: "America/Lima", CreatedAt: base, UpdatedAt: base,
		Weekly:   []domain.Shift{{Day: "mon", Open: "09:00", Close: "13:00"}, {Day: "mon", Open: "14:00", Close: "18:00"}},
		Holidays: []domain.Holiday{{Date: "2026-06-29", Name: "San Pedro y San Pablo"}}}
	must(t, e.store.CreateBusinessHours(e.a.ctx, b))
	got, err := e.store.FindBusinessHours(e.a.ctx, b.ID)
	must(t, err)
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("read back %+v, want %+v", got, b)
	}
	if _, err := got.Schedule(); err != nil {
		t.Fatalf("a stored plan is a valid schedule: %v", err)
	}
	q := e.queue(t, e.a.ctx, "Soporte")
	q.BusinessHoursID = b.ID
	must(t, e.store.UpdateQueue(e.a.ctx, q))
	q, err = e.store.FindQueue(e.a.ctx, q.ID)
	must(t, err)
	if q.BusinessHoursID != b.ID {
		t.Errorf("queue business hours %q, want %q", q.BusinessHoursID, b.ID)
	}

	_, err = e.store.FindBusinessHours(e.b.ctx, b.ID)
	wantCode(t, err, domain.CodeNotFound)
	all, err := e.store.FindAllBusinessHours(e.b.ctx)
	must(t, err)
	if len(all) != 0 {
		t.Errorf("workspace B sees %d plans of A", len(all))
	}
}
