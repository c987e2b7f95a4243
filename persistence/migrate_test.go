package persistence_test

import (
	"context"
	"testing"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// Before migration 00014 a workspace could have several official numbers.
// The migration keeps official the one the redirect text named (first by
// name) and makes the others redirect numbers, in each workspace; from
// then on the database refuses a second official number.
func TestMigrationLeavesOneOfficialNumberPerWorkspace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	owner := persistencetest.Owner(t, e.db) // RLS binds e.db's role, which owns nothing
	must(t, owner.MigrateDownTo(ctx, 13))
	channel := func(tn tenant, name, phoneNumberID string, mode domain.ChannelMode) string {
		return e.oldChannel(t, tn, name, phoneNumberID, mode)
	}
	beta := channel(e.a, "Beta", "1002", domain.ChannelModeOfficial)
	alfa := channel(e.a, "Alfa", "1001", domain.ChannelModeOfficial)
	legacy := channel(e.a, "Legacy", "1003", domain.ChannelModeRedirect)
	theirs := channel(e.b, "Zeta", "2001", domain.ChannelModeOfficial)
	must(t, owner.Migrate(ctx))

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

// oldChannel inserts a number as versions before 15 knew it: today's store
// writes later columns.
func (e *env) oldChannel(t *testing.T, tn tenant, name, phoneNumberID string, mode domain.ChannelMode) string {
	t.Helper()
	id := domain.NewID(domain.PrefixChannel)
	_, err := persistencetest.SQL(t, e.db).Exec(`INSERT INTO channels (id, workspace_id, name, phone_number_id, waba_id,
		display_phone_number, mode, redirect_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, '1', $4, $5, 'x', $6, $6)`, id, tn.ws.ID, name, phoneNumberID, string(mode), base.UTC())
	must(t, err)
	return id
}

// oldConversation inserts a conversation without a number or a queue, as
// versions before 15 allowed: today's store writes later columns.
func (e *env) oldConversation(t *testing.T, tn tenant, contactID string) *domain.Conversation {
	t.Helper()
	id := domain.NewID(domain.PrefixConversation)
	_, err := persistencetest.SQL(t, e.db).Exec(`INSERT INTO conversations (id, workspace_id, contact_id, status, priority, version,
		created_at, updated_at, last_activity_at) VALUES ($1, $2, $3, 'new', 'normal', 1, $4, $4, $4)`,
		id, tn.ws.ID, contactID, base.UTC())
	must(t, err)
	return &domain.Conversation{ID: id, WorkspaceID: tn.ws.ID, ContactID: contactID}
}

// Before migration 00015 a workspace had no default queue, and a
// conversation opened through the API could have no number and no queue.
// The migration gives each workspace a "General" queue (keeping one it
// already has by that name) and puts such conversations on the official
// number and in the default queue, where agents see them.
func TestMigrationGivesEveryConversationANumberAndAQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	owner := persistencetest.Owner(t, e.db) // RLS binds e.db's role, which owns nothing
	must(t, owner.MigrateDownTo(ctx, 14))
	// Workspace A predates "General"; B already has one of that name.
	_, err := persistencetest.SQL(t, e.db).Exec("DELETE FROM queues WHERE workspace_id = $1 AND name = 'General'", e.a.ws.ID)
	must(t, err)
	official := e.oldChannel(t, e.a, "Oficial", "3001", domain.ChannelModeOfficial)
	e.oldChannel(t, e.a, "Antiguo", "3002", domain.ChannelModeRedirect)
	orphan := e.oldConversation(t, e.a, e.contact(t, e.a.ctx, "51911111111", "Ana").ID)
	noNumber := e.oldConversation(t, e.b, e.contact(t, e.b.ctx, "51922222222", "Beto").ID)
	// A reply acknowledged there sat queued with no job and no number.
	stuck := &domain.Message{ID: domain.NewID(domain.PrefixMessage), WorkspaceID: e.a.ws.ID, ConversationID: orphan.ID,
		Direction: domain.DirectionOutbound, AuthorKind: domain.AuthorAgent, AuthorID: e.a.owner.ID,
		Type: domain.MessageText, Text: "hola", Status: domain.DeliveryQueued, CreatedAt: base, UpdatedAt: base}
	must(t, e.store.CreateMessage(e.a.ctx, stuck))
	// Through the store: the service would also record user.created, and
	// the events table of version 14 lacks today's columns.
	sup := &domain.User{ID: domain.NewID(domain.PrefixUser), WorkspaceID: e.a.ws.ID, Email: "sup@a.test", Name: "Sup",
		Role: domain.RoleSupervisor, Availability: domain.AvailabilityOffline, Capacity: domain.DefaultCapacity,
		Active: true, PasswordHash: "unused", CreatedAt: base, UpdatedAt: base}
	must(t, e.store.CreateUser(e.a.ctx, sup))
	must(t, owner.Migrate(ctx))

	for _, tn := range []tenant{e.a, e.b} {
		ws, err := e.store.FindWorkspace(tn.ctx)
		must(t, err)
		q, err := e.store.FindQueue(tn.ctx, ws.DefaultQueueID)
		must(t, err)
		if q.Name != domain.DefaultQueueName {
			t.Errorf("%s's default queue is %q", ws.Name, q.Name)
		}
		queues, err := e.store.FindQueues(tn.ctx)
		must(t, err)
		if len(queues) != 1 {
			t.Errorf("%s has %d queues, want only General", ws.Name, len(queues))
		}
	}
	got, err := e.store.FindConversation(e.a.ctx, orphan.ID)
	must(t, err)
	wsA, err := e.store.FindWorkspace(e.a.ctx)
	must(t, err)
	if got.ChannelID != official || got.QueueID != wsA.DefaultQueueID {
		t.Errorf("A's conversation is on %q in %q, want the official number %q in %q", got.ChannelID, got.QueueID,
			official, wsA.DefaultQueueID)
	}
	general, err := e.store.FindQueue(e.a.ctx, wsA.DefaultQueueID)
	must(t, err)
	if len(general.MemberIDs) != 1 || general.MemberIDs[0] != sup.ID {
		t.Errorf("A's General has members %v, want its supervisor %s to triage it", general.MemberIDs, sup.ID)
	}
	m, err := e.store.FindMessage(e.a.ctx, stuck.ID)
	must(t, err)
	if m.Status != domain.DeliveryFailed || m.ErrorTitle == "" {
		t.Errorf("the send that had no way out is %s (%q), want failed with a reason", m.Status, m.ErrorTitle)
	}
	got, err = e.store.FindConversation(e.b.ctx, noNumber.ID)
	must(t, err)
	if got.ChannelID != "" || got.QueueID == "" {
		t.Errorf("B has no number: its conversation keeps none (%q) but lands in a queue (%q)", got.ChannelID, got.QueueID)
	}
}
