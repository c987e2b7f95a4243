package persistence_test

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

func TestConversationFiltersAndVisibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	ventas, soporte := e.queue(t, ctx, "Ventas"), e.queue(t, ctx, "Soporte")
	vip := e.tag(t, ctx, "vip")
	ch, err := e.svc.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: ptr("777"), WABAID: ptr("1"), DisplayPhoneNumber: ptr("+51")})
	must(t, err)
	agentCtx := e.agent(t, ctx, "agent@acme.test", ventas.ID)
	agent, _ := domain.PrincipalFrom(agentCtx)

	ana := e.contact(t, ctx, "51911000111", "Ana 100% Real")
	bob := e.contact(t, ctx, "51922000222", "Bob_Smith")
	carl := e.contact(t, ctx, "51933000333", "Carl")

	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Minute) }
	c1 := e.conversation(t, ctx, ana.ID, at(1), func(c *domain.Conversation) { c.QueueID = ventas.ID })
	c2 := e.conversation(t, ctx, bob.ID, at(2), func(c *domain.Conversation) {
		c.QueueID, c.AssigneeID, c.Status = soporte.ID, agent.UserID, domain.StatusOpen
	})
	c3 := e.conversation(t, ctx, carl.ID, at(3), func(c *domain.Conversation) {
		c.QueueID, c.ChannelID, c.Status = soporte.ID, ch.ID, domain.StatusClosed
	})
	c4 := e.conversation(t, ctx, carl.ID, at(4), func(c *domain.Conversation) { c.AssigneeID = e.a.owner.ID })
	must(t, e.store.AddConversationTag(ctx, c3.ID, vip.ID))
	e.message(t, ctx, c4, "quiero el plan ORO_2", at(4))
	e.message(t, ctx, c3, "precio 50% menos", at(3))
	e.message(t, ctx, c1, "hola", at(1))

	all := domain.Visibility{All: true}
	list := func(f domain.ConversationFilter, vis domain.Visibility) []string {
		t.Helper()
		page, err := e.store.FindConversations(ctx, f, vis, domain.PageQuery{Limit: 50})
		must(t, err)
		got := ids(page.Items, convID)
		sort.Strings(got)
		return got
	}
	set := func(cs ...*domain.Conversation) []string {
		out := ids(cs, convID)
		sort.Strings(out)
		return out
	}
	cases := []struct {
		name string
		f    domain.ConversationFilter
		vis  domain.Visibility
		want []string
	}{
		{"all", domain.ConversationFilter{}, all, set(c1, c2, c3, c4)},
		{"status", domain.ConversationFilter{Status: []domain.ConversationStatus{domain.StatusOpen, domain.StatusClosed}}, all, set(c2, c3)},
		{"queue", domain.ConversationFilter{QueueID: soporte.ID}, all, set(c2, c3)},
		{"assignee", domain.ConversationFilter{AssigneeID: agent.UserID}, all, set(c2)},
		{"unassigned", domain.ConversationFilter{Unassigned: true}, all, set(c1, c3)},
		{"tag", domain.ConversationFilter{TagID: vip.ID}, all, set(c3)},
		{"channel", domain.ConversationFilter{ChannelID: ch.ID}, all, set(c3)},
		{"contact", domain.ConversationFilter{ContactID: carl.ID}, all, set(c3, c4)},
		{"combined", domain.ConversationFilter{ContactID: carl.ID, Unassigned: true}, all, set(c3)},
		{"text name any case", domain.ConversationFilter{Text: "aNa"}, all, set(c1)},
		{"text wa_id", domain.ConversationFilter{Text: "922000"}, all, set(c2)},
		{"text message", domain.ConversationFilter{Text: "plan oro"}, all, set(c4)},
		{"text percent is literal", domain.ConversationFilter{Text: "100%"}, all, set(c1)},
		{"text percent in message", domain.ConversationFilter{Text: "50%"}, all, set(c3)},
		{"text lone percent", domain.ConversationFilter{Text: "%"}, all, set(c1, c3)},
		{"text underscore is literal", domain.ConversationFilter{Text: "_"}, all, set(c2, c4)},
		{"text underscore no wildcard", domain.ConversationFilter{Text: "Bob_S"}, all, set(c2)},
		{"text backslash", domain.ConversationFilter{Text: `\`}, all, nil},
		{"text no match", domain.ConversationFilter{Text: "zzz"}, all, nil},
		{"visibility queue", domain.ConversationFilter{}, domain.Visibility{QueueIDs: []string{ventas.ID}}, set(c1)},
		{"visibility assignee", domain.ConversationFilter{}, domain.Visibility{AssigneeID: agent.UserID}, set(c2)},
		{"visibility either", domain.ConversationFilter{}, domain.ConversationVisibility(agent), set(c1, c2)},
		{"visibility and filter", domain.ConversationFilter{QueueID: soporte.ID}, domain.ConversationVisibility(agent), set(c2)},
		{"visibility none", domain.ConversationFilter{}, domain.Visibility{}, nil},
	}
	for _, tc := range cases {
		got := list(tc.f, tc.vis)
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	// Through the service, the agent's listing applies the same visibility.
	page, err := e.svc.Conversations(agentCtx, domain.ConversationFilter{})
	must(t, err)
	sameIDs(t, ids(page.Items, convID), []string{c2.ID, c1.ID})
	if got := page.Items[1].TagIDs; len(got) != 0 {
		t.Fatalf("c1 tags %v", got)
	}
}

func TestContactFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	vip := e.tag(t, ctx, "vip")
	ana := e.contact(t, ctx, "51911", "Ana")
	bob, err := e.svc.CreateContact(ctx, domain.ContactInput{Name: ptr("Bob"), Email: ptr("bob_1@example.com"), PhoneE164: ptr("+51922334455")})
	must(t, err)
	must(t, e.store.AddContactTag(ctx, ana.ID, vip.ID))
	list := func(f domain.ContactFilter) []string {
		page, err := e.store.FindContacts(ctx, f, domain.PageQuery{Limit: 10})
		must(t, err)
		return ids(page.Items, func(c *domain.Contact) string { return c.ID })
	}
	sameIDs(t, list(domain.ContactFilter{TagID: vip.ID}), []string{ana.ID})
	sameIDs(t, list(domain.ContactFilter{Text: "BOB_1@"}), []string{bob.ID})
	sameIDs(t, list(domain.ContactFilter{Text: "+5192"}), []string{bob.ID})
	sameIDs(t, list(domain.ContactFilter{Text: "b_b"}), nil)
	sameIDs(t, list(domain.ContactFilter{Text: "919"}), nil)
}

func TestDeletesKeepIntegrity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	r := e.seedA(t)

	// A queue with conversations cannot be deleted; an empty one can.
	wantCode(t, e.svc.DeleteQueue(ctx, r.queue.ID), domain.CodeConflict)
	spare := e.queue(t, ctx, "Spare")
	must(t, e.store.AddQueueMember(ctx, spare.ID, e.a.owner.ID))
	must(t, e.svc.DeleteQueue(ctx, spare.ID))
	wantCode(t, e.store.DeleteQueue(ctx, spare.ID), domain.CodeNotFound)

	// A channel with traffic cannot be deleted; an unused one can.
	wantCode(t, e.svc.DeleteChannel(ctx, r.channel.ID), domain.CodeConflict)
	unused, err := e.svc.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: ptr("888"), WABAID: ptr("1"), DisplayPhoneNumber: ptr("+1")})
	must(t, err)
	must(t, e.svc.DeleteChannel(ctx, unused.ID))

	// Deleting a tag unlinks it everywhere.
	must(t, e.svc.DeleteTag(ctx, r.tag.ID))
	conv, err := e.store.FindConversation(ctx, r.conv.ID)
	must(t, err)
	contact, err := e.store.FindContact(ctx, r.contact.ID)
	must(t, err)
	if len(conv.TagIDs) != 0 || len(contact.TagIDs) != 0 {
		t.Fatalf("tag still linked: %v %v", conv.TagIDs, contact.TagIDs)
	}
}

func TestUpdateUserRewritesMemberships(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	q1, q2, q3 := e.queue(t, ctx, "Q1"), e.queue(t, ctx, "Q2"), e.queue(t, ctx, "Q3")
	agentCtx := e.agent(t, ctx, "agent@acme.test", q1.ID, q2.ID)
	p, _ := domain.PrincipalFrom(agentCtx)
	u, err := e.store.FindUser(ctx, p.UserID)
	must(t, err)
	if len(u.QueueIDs) != 2 {
		t.Fatalf("queues %v", u.QueueIDs)
	}
	u, err = e.svc.UpdateUser(ctx, u.ID, domain.UserUpdate{QueueIDs: &[]string{q3.ID}, Active: ptr(false)})
	must(t, err)
	got, err := e.store.FindUser(ctx, u.ID)
	must(t, err)
	if !slices.Equal(got.QueueIDs, []string{q3.ID}) || got.Active || got.TokenVersion != 1 {
		t.Fatalf("user after update: %+v", got)
	}
	inactive, err := e.store.FindUsers(ctx, domain.UserFilter{Active: ptr(false)}, domain.PageQuery{Limit: 10})
	must(t, err)
	sameIDs(t, ids(inactive.Items, func(u *domain.User) string { return u.ID }), []string{u.ID})
	if !slices.Equal(inactive.Items[0].QueueIDs, []string{q3.ID}) {
		t.Fatalf("listing queues %v", inactive.Items[0].QueueIDs)
	}
	active, err := e.store.FindActiveUsersByEmail(ctx, "agent@acme.test")
	must(t, err)
	if len(active) != 0 {
		t.Fatalf("inactive user found for login")
	}
	owners, err := e.store.FindActiveUsersByEmail(ctx, "owner@acme.test")
	must(t, err)
	if len(owners) != 1 || owners[0].WorkspaceID != e.a.ws.ID {
		t.Fatalf("owners %+v", owners)
	}
}
