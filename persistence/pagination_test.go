package persistence_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

// walk reads every page of a listing and returns the ids in order.
func walk[T any](t *testing.T, limit int, list func(pq domain.PageQuery) (domain.Page[T], error), id func(T) string) []string {
	t.Helper()
	var out []string
	pq := domain.PageQuery{Limit: limit}
	for range 100 {
		page, err := list(pq)
		must(t, err)
		out = append(out, ids(page.Items, id)...)
		if !page.HasMore {
			if page.NextCursor != "" {
				t.Fatal("last page has a cursor")
			}
			return out
		}
		if len(page.Items) != limit {
			t.Fatalf("non-final page of %d items, want %d", len(page.Items), limit)
		}
		cur, err := domain.DecodeCursor(page.NextCursor)
		must(t, err)
		pq.After = cur
	}
	t.Fatal("pagination does not end")
	return nil
}

// instants returns sort keys with ties and sub-second differences that
// break naive text ordering (.5 vs .45 vs whole seconds).
func instants() []time.Time {
	return []time.Time{
		base, base, base, // ties: the id decides
		base.Add(500 * time.Millisecond), base.Add(450 * time.Millisecond), base.Add(450 * time.Millisecond),
		base.Add(time.Second), base.Add(time.Second + time.Microsecond), base.Add(10 * time.Second),
		base.Add(-time.Microsecond), base.Add(-time.Hour), base.Add(24 * time.Hour),
		base.Add(9*time.Second + 999999*time.Microsecond),
	}
}

type keyed struct {
	at time.Time
	id string
}

// order sorts keys by (instant, id), newest first when desc.
func order(keys []keyed, desc bool) []string {
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a.at.Before(b.at) || (a.at.Equal(b.at) && a.id < b.id)
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.id
	}
	if desc {
		slices.Reverse(out)
	}
	return out
}

func TestConversationsKeysetPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	ct := e.contact(t, ctx, "1", "Ana")
	var keys []keyed
	for _, at := range instants() {
		c := e.conversation(t, ctx, ct.ID, at)
		keys = append(keys, keyed{at, c.ID})
	}
	e.conversation(t, e.b.ctx, e.contact(t, e.b.ctx, "1", "Other").ID, base) // B's row never shows
	want := order(keys, true)
	for _, limit := range []int{1, 2, 3, 5, 13, 50} {
		got := walk(t, limit, func(pq domain.PageQuery) (domain.Page[*domain.Conversation], error) {
			return e.store.FindConversations(ctx, domain.ConversationFilter{}, domain.Visibility{All: true}, pq)
		}, convID)
		sameIDs(t, got, want)
	}
}

func TestMessagesNotesTasksPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	ct := e.contact(t, ctx, "1", "Ana")
	conv := e.conversation(t, ctx, ct.ID, base)
	var msgs, notes, tasks []keyed
	for i, at := range instants() {
		m := e.message(t, ctx, conv, "hola", at)
		msgs = append(msgs, keyed{at, m.ID})
		n := &domain.Note{ID: domain.NewID(domain.PrefixNote), ConversationID: conv.ID, AuthorID: e.a.owner.ID, Body: "n", CreatedAt: at}
		must(t, e.store.CreateNote(ctx, n))
		notes = append(notes, keyed{at, n.ID})
		tk := &domain.Task{ID: domain.NewID(domain.PrefixTask), ConversationID: conv.ID, ContactID: ct.ID,
			Title: "call", Done: i%2 == 0, CreatedByID: "system", CreatedAt: at, UpdatedAt: at}
		must(t, e.store.CreateTask(ctx, tk))
		tasks = append(tasks, keyed{at, tk.ID})
	}
	for _, limit := range []int{1, 4, 20} {
		sameIDs(t, walk(t, limit, func(pq domain.PageQuery) (domain.Page[*domain.Message], error) {
			return e.store.FindMessages(ctx, conv.ID, pq)
		}, func(m *domain.Message) string { return m.ID }), order(msgs, true))
		sameIDs(t, walk(t, limit, func(pq domain.PageQuery) (domain.Page[*domain.Note], error) {
			return e.store.FindNotes(ctx, conv.ID, pq)
		}, func(n *domain.Note) string { return n.ID }), order(notes, false))
		sameIDs(t, walk(t, limit, func(pq domain.PageQuery) (domain.Page[*domain.Task], error) {
			return e.store.FindTasks(ctx, domain.TaskFilter{ConversationID: conv.ID, Visibility: domain.Visibility{All: true}}, pq)
		}, func(t *domain.Task) string { return t.ID }), order(tasks, false))
	}
	done := true
	page, err := e.store.FindTasks(ctx, domain.TaskFilter{ContactID: ct.ID, Done: &done, Visibility: domain.Visibility{All: true}}, domain.PageQuery{Limit: 100})
	must(t, err)
	if len(page.Items) != (len(tasks)+1)/2 {
		t.Fatalf("%d done tasks, want %d", len(page.Items), (len(tasks)+1)/2)
	}
}

func TestContactsAndUsersPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	var contacts []keyed
	for i, at := range instants() {
		c := &domain.Contact{ID: domain.NewID(domain.PrefixContact), WaID: fmt.Sprintf("5100%02d", i),
			Name: "c", CreatedAt: at, UpdatedAt: at}
		must(t, e.store.CreateContact(ctx, c))
		contacts = append(contacts, keyed{at, c.ID})
	}
	sameIDs(t, walk(t, 4, func(pq domain.PageQuery) (domain.Page[*domain.Contact], error) {
		return e.store.FindContacts(ctx, domain.ContactFilter{}, pq)
	}, func(c *domain.Contact) string { return c.ID }), order(contacts, true))

	users := []keyed{{e.a.owner.CreatedAt, e.a.owner.ID}}
	q := e.queue(t, ctx, "Ventas")
	for i, at := range instants() {
		u := &domain.User{ID: domain.NewID(domain.PrefixUser), Email: fmt.Sprintf("u%d@acme.test", i),
			Name: "u", Role: domain.RoleAgent, Availability: domain.AvailabilityOnline, Active: true,
			PasswordHash: "x", QueueIDs: []string{q.ID}, CreatedAt: at, UpdatedAt: at}
		must(t, e.store.CreateUser(ctx, u))
		users = append(users, keyed{at, u.ID})
	}
	got := walk(t, 3, func(pq domain.PageQuery) (domain.Page[*domain.User], error) {
		return e.store.FindUsers(ctx, domain.UserFilter{}, pq)
	}, func(u *domain.User) string { return u.ID })
	sameIDs(t, got, order(users, false))
	inQueue := walk(t, 5, func(pq domain.PageQuery) (domain.Page[*domain.User], error) {
		return e.store.FindUsers(ctx, domain.UserFilter{QueueID: q.ID, Role: domain.RoleAgent}, pq)
	}, func(u *domain.User) string { return u.ID })
	if len(inQueue) != len(instants()) || slices.Contains(inQueue, e.a.owner.ID) {
		t.Fatalf("queue filter returned %d users", len(inQueue))
	}
}

// TestStoredInstantsCompareInTimeOrder guards the SQLite text encoding:
// instants whose text forms differ in length must still compare by time.
func TestStoredInstantsCompareInTimeOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	ct := e.contact(t, ctx, "1", "Ana")
	whole := e.conversation(t, ctx, ct.ID, base.Add(time.Second))
	half := e.conversation(t, ctx, ct.ID, base.Add(500*time.Millisecond))
	near := e.conversation(t, ctx, ct.ID, base.Add(450*time.Millisecond))
	// Start after "whole" (12:00:01, no fraction in text): both others are older.
	page, err := e.store.FindConversations(ctx, domain.ConversationFilter{}, domain.Visibility{All: true},
		domain.PageQuery{Limit: 10, After: &domain.Cursor{Time: whole.LastActivityAt, ID: whole.ID}})
	must(t, err)
	sameIDs(t, ids(page.Items, convID), []string{half.ID, near.ID})
}
