package persistence_test

import (
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

// queries returns how many statements fn ran.
func (e *env) queries(fn func()) int64 {
	before := e.db.QueryCount()
	fn()
	return e.db.QueryCount() - before
}

// TestBatchLoadsUseConstantQueries proves the *ByIDs methods, the inbox
// listing and the last-message loader cost a fixed number of statements,
// whatever the number of rows: dataloaders built on them avoid N+1.
func TestBatchLoadsUseConstantQueries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	tag := e.tag(t, ctx, "vip")
	var convIDs, contactIDs, queueIDs, tagIDs []string
	var lastMsg = map[string]string{}
	for i := range 6 {
		q := e.queue(t, ctx, "Q"+string(rune('A'+i)))
		queueIDs = append(queueIDs, q.ID)
		must(t, e.store.AddQueueMember(ctx, q.ID, e.a.owner.ID))
		tg := e.tag(t, ctx, "T"+string(rune('A'+i)))
		tagIDs = append(tagIDs, tg.ID)
		ct := e.contact(t, ctx, "5190000000"+string(rune('0'+i)), "C")
		must(t, e.store.AddContactTag(ctx, ct.ID, tag.ID))
		contactIDs = append(contactIDs, ct.ID)
		conv := e.conversation(t, ctx, ct.ID, base.Add(time.Duration(i)*time.Minute))
		must(t, e.store.AddConversationTag(ctx, conv.ID, tag.ID))
		convIDs = append(convIDs, conv.ID)
		if i%2 == 0 { // every other conversation has messages, with a tie on the newest instant
			at := base.Add(time.Duration(i) * time.Hour)
			e.message(t, ctx, conv, "first", at.Add(-time.Second))
			m1 := e.message(t, ctx, conv, "tie a", at)
			m2 := e.message(t, ctx, conv, "tie b", at)
			lastMsg[conv.ID] = max(m1.ID, m2.ID) // ties resolve by id, like the listing
		}
	}
	missing := domain.NewID(domain.PrefixConversation)

	check := func(name string, want int64, fn func() int) {
		t.Helper()
		var n int
		got := e.queries(func() { n = fn() })
		if got != want {
			t.Errorf("%s ran %d statements, want %d", name, got, want)
		}
		if n == 0 {
			t.Errorf("%s returned nothing", name)
		}
	}
	check("FindUsersByIDs", 2, func() int {
		us, err := e.store.FindUsersByIDs(ctx, []string{e.a.owner.ID, domain.NewID(domain.PrefixUser)})
		must(t, err)
		if len(us) != 1 || len(us[0].QueueIDs) != 6 {
			t.Fatalf("users %+v", us)
		}
		return len(us)
	})
	check("FindQueuesByIDs", 2, func() int {
		qs, err := e.store.FindQueuesByIDs(ctx, queueIDs)
		must(t, err)
		for _, q := range qs {
			if len(q.MemberIDs) != 1 {
				t.Fatalf("queue members %v", q.MemberIDs)
			}
		}
		return len(qs)
	})
	check("FindTagsByIDs", 1, func() int {
		ts, err := e.store.FindTagsByIDs(ctx, tagIDs)
		must(t, err)
		return len(ts)
	})
	check("FindContactsByIDs", 2, func() int {
		cs, err := e.store.FindContactsByIDs(ctx, contactIDs)
		must(t, err)
		if len(cs) != 6 || len(cs[0].TagIDs) != 1 {
			t.Fatalf("contacts %+v", cs)
		}
		return len(cs)
	})
	check("TagIDsByConversationIDs", 1, func() int {
		m, err := e.store.TagIDsByConversationIDs(ctx, append(convIDs, missing))
		must(t, err)
		return len(m)
	})
	check("FindConversations", 2, func() int {
		page, err := e.store.FindConversations(ctx, domain.ConversationFilter{}, domain.Visibility{All: true}, domain.PageQuery{Limit: 50})
		must(t, err)
		for _, c := range page.Items {
			if len(c.TagIDs) != 1 {
				t.Fatalf("conversation %s tags %v", c.ID, c.TagIDs)
			}
		}
		return len(page.Items)
	})
	check("LastMessagesByConversationIDs", 1, func() int {
		m, err := e.store.LastMessagesByConversationIDs(ctx, append(convIDs, missing))
		must(t, err)
		if len(m) != len(lastMsg) {
			t.Fatalf("%d last messages, want %d", len(m), len(lastMsg))
		}
		for convID, want := range lastMsg {
			if m[convID] == nil || m[convID].ID != want {
				t.Fatalf("last message of %s: %+v, want %s", convID, m[convID], want)
			}
		}
		return len(m)
	})
	// Empty batches run no statement at all.
	if n := e.queries(func() {
		_, _ = e.store.FindUsersByIDs(ctx, nil)
		_, _ = e.store.FindContactsByIDs(ctx, nil)
		_, _ = e.store.LastMessagesByConversationIDs(ctx, nil)
		_, _ = e.store.TagIDsByConversationIDs(ctx, nil)
		_, _ = e.store.FindQueuesByIDs(ctx, nil)
	}); n != 0 {
		t.Fatalf("empty batches ran %d statements", n)
	}
}
