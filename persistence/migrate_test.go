package persistence_test

import (
	"context"
	"testing"

	"github.com/centralita/centralita/domain"
)

// Before migration 00014 a workspace could have several official numbers.
// The migration keeps official the one the redirect text named (first by
// name) and makes the others redirect numbers, in each workspace; from
// then on the database refuses a second official number.
func TestMigrationLeavesOneOfficialNumberPerWorkspace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	must(t, e.db.MigrateDownTo(ctx, 13))
	channel := func(tn tenant, name, phoneNumberID string, mode domain.ChannelMode) string {
		c := &domain.Channel{ID: domain.NewID(domain.PrefixChannel), Name: name, PhoneNumberID: phoneNumberID,
			WABAID: "1", DisplayPhoneNumber: phoneNumberID, Mode: mode, RedirectText: "x",
			RedirectEvery: domain.DefaultRedirectEvery, CreatedAt: base, UpdatedAt: base}
		must(t, e.store.CreateChannel(tn.ctx, c))
		return c.ID
	}
	beta := channel(e.a, "Beta", "1002", domain.ChannelModeOfficial)
	alfa := channel(e.a, "Alfa", "1001", domain.ChannelModeOfficial)
	legacy := channel(e.a, "Legacy", "1003", domain.ChannelModeRedirect)
	theirs := channel(e.b, "Zeta", "2001", domain.ChannelModeOfficial)
	must(t, e.db.Migrate(ctx))

	want := map[string]domain.ChannelMode{alfa: domain.ChannelModeOfficial, beta: domain.ChannelModeRedirect,
		legacy: domain.ChannelModeRedirect, theirs: domain.ChannelModeOfficial}
	for _, tn := range []tenant{e.a, e.b} {
		channels, err := e.store.FindChannels(tn.ctx)
		must(t, err)
		for _, c := range channels {
			if c.Mode != want[c.ID] {
				t.Errorf("%s (%s) is %s, want %s", c.Name, c.ID, c.Mode, want[c.ID])
			}
		}
	}
	err := e.store.CreateChannel(e.a.ctx, &domain.Channel{ID: domain.NewID(domain.PrefixChannel), Name: "Second",
		PhoneNumberID: "1004", WABAID: "1", DisplayPhoneNumber: "1004", Mode: domain.ChannelModeOfficial,
		RedirectText: "x", RedirectEvery: domain.DefaultRedirectEvery, CreatedAt: base, UpdatedAt: base})
	wantCode(t, err, domain.CodeConflict)
}
