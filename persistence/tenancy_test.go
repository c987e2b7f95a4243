package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
)

// aRows is one of each kind of row in workspace A.
type aRows struct {
	queue   *domain.Queue
	tag     *domain.Tag
	channel *domain.Channel
	contact *domain.Contact
	conv    *domain.Conversation
	msg     *domain.Message
	task    *domain.Task
	key     *domain.APIKey
}

func (e *env) seedA(t *testing.T) aRows {
	t.Helper()
	ctx := e.a.ctx
	var r aRows
	r.queue = e.queue(t, ctx, "Ventas")
	r.tag = e.tag(t, ctx, "vip")
	ch, err := e.svc.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: ptr("555"), WABAID: ptr("1"), DisplayPhoneNumber: ptr("+51")})
	must(t, err)
	r.channel = ch
	r.contact = e.contact(t, ctx, "51911", "Ana")
	must(t, e.store.AddContactTag(ctx, r.contact.ID, r.tag.ID))
	r.conv = e.conversation(t, ctx, r.contact.ID, base, func(c *domain.Conversation) {
		c.QueueID, c.ChannelID, c.AssigneeID = r.queue.ID, ch.ID, e.a.owner.ID
	})
	must(t, e.store.AddConversationTag(ctx, r.conv.ID, r.tag.ID))
	r.msg = e.message(t, ctx, r.conv, "hola", base)
	must(t, e.store.CreateNote(ctx, &domain.Note{ID: domain.NewID(domain.PrefixNote), ConversationID: r.conv.ID, Body: "n", CreatedAt: base}))
	r.task = &domain.Task{ID: domain.NewID(domain.PrefixTask), ConversationID: r.conv.ID, ContactID: r.contact.ID,
		Title: "call", CreatedAt: base, UpdatedAt: base}
	must(t, e.store.CreateTask(ctx, r.task))
	created, err := e.svc.CreateAPIKey(ctx, domain.NewAPIKey{Name: "crm"})
	must(t, err)
	r.key = &created.Key
	must(t, e.store.AddQueueMember(ctx, r.queue.ID, e.a.owner.ID))
	return r
}

// TestOtherWorkspaceSeesNothing drives every scoped store method as
// workspace B against workspace A's ids: reads find nothing, writes touch
// nothing, and A's data is unchanged afterwards.
func TestOtherWorkspaceSeesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.seedA(t)
	b := e.b.ctx
	s := e.store
	all := domain.Visibility{All: true}
	pq := domain.PageQuery{Limit: 50}
	notFound := map[string]func() error{
		"FindUser":      func() error { _, err := s.FindUser(b, e.a.owner.ID); return err },
		"FindQueue":     func() error { _, err := s.FindQueue(b, r.queue.ID); return err },
		"FindTag":       func() error { _, err := s.FindTag(b, r.tag.ID); return err },
		"FindChannel":   func() error { _, err := s.FindChannel(b, r.channel.ID); return err },
		"FindContact":   func() error { _, err := s.FindContact(b, r.contact.ID); return err },
		"FindConv":      func() error { _, err := s.FindConversation(b, r.conv.ID); return err },
		"FindTask":      func() error { _, err := s.FindTask(b, r.task.ID); return err },
		"FindAPIKey":    func() error { _, err := s.FindAPIKey(b, r.key.ID); return err },
		"UpdateUser":    func() error { u := *e.a.owner; u.Name = "x"; return s.UpdateUser(b, &u) },
		"UpdateQueue":   func() error { q := *r.queue; q.Name = "x"; return s.UpdateQueue(b, &q) },
		"UpdateTag":     func() error { tg := *r.tag; tg.Name = "x"; return s.UpdateTag(b, &tg) },
		"UpdateChan":    func() error { c := *r.channel; c.Name = "x"; return s.UpdateChannel(b, &c) },
		"UpdateContact": func() error { c := *r.contact; c.Name = "x"; return s.UpdateContact(b, &c) },
		"TouchContact":  func() error { return s.TouchContact(b, r.contact.ID, time.Now()) },
		"DeleteContact": func() error { return s.DeleteContact(b, r.contact.ID, time.Now()) },
		"MergeContacts": func() error {
			other := e.contact(t, e.a.ctx, "51900000001", "Other A")
			return s.MergeContacts(b, r.contact.ID, other.ID, time.Now())
		},
		"AddExternalRef": func() error {
			return s.AddContactExternalRefs(b, r.contact.ID, []domain.ExternalRef{{System: "hubspot", ID: "b"}}, time.Now())
		},
		"ByExternalRef": func() error {
			ref := domain.ExternalRef{System: "hubspot", ID: "a"}
			must(t, s.AddContactExternalRefs(e.a.ctx, r.contact.ID, []domain.ExternalRef{ref}, time.Now()))
			_, err := s.FindContactByExternalRef(b, ref)
			return err
		},
		"ByEmail":        func() error { _, err := s.FindContactByEmail(b, r.contact.Email); return err },
		"MergedSurvivor": func() error { _, err := s.FindMergedSurvivor(b, r.contact.WaID, ""); return err },
		"UpdateConv": func() error {
			c := *r.conv
			c.Version++
			c.Status = domain.StatusClosed
			return s.UpdateConversation(b, &c)
		},
		"UpdateTask":   func() error { tk := *r.task; tk.Done = true; return s.UpdateTask(b, &tk) },
		"UpdateAPIKey": func() error { k := *r.key; now := time.Now(); k.RevokedAt = &now; return s.UpdateAPIKey(b, &k) },
		"UpdateWS":     func() error { w := *e.a.ws; w.Name = "x"; return s.UpdateWorkspace(b, &w) },
		"DeleteQueue":  func() error { return s.DeleteQueue(b, r.queue.ID) },
		"DeleteTag":    func() error { return s.DeleteTag(b, r.tag.ID, time.Now()) },
		"DeleteChan":   func() error { return s.DeleteChannel(b, r.channel.ID) },
		// Links into A's rows violate the (workspace_id, id) foreign keys.
		"AddConvTag":    func() error { return s.AddConversationTag(b, r.conv.ID, e.tag(t, b, "b1").ID) },
		"AddContactTag": func() error { return s.AddContactTag(b, r.contact.ID, e.tag(t, b, "b2").ID) },
		"AddMember":     func() error { return s.AddQueueMember(b, r.queue.ID, e.b.owner.ID) },
		"FindMediaFile": func() error {
			f := &domain.MediaFile{ID: domain.NewID(domain.PrefixMediaFile), MimeType: "image/png", Size: 1, SHA256: "00"}
			must(t, s.CreateMediaFile(e.a.ctx, f))
			_, err := s.FindMediaFile(b, f.ID)
			return err
		},
		"UpdateMessageContent": func() error {
			m := *r.msg
			m.Media = &domain.Media{State: domain.MediaFailed}
			return s.UpdateMessageContent(b, &m)
		},
		"ParkStatusOnA": func() error {
			return s.ParkStatus(b, r.channel.ID, domain.StatusUpdate{ProviderMessageID: "wamid.a",
				Status: domain.DeliveryRead, Timestamp: time.Now()}, time.Now())
		},
		"CreateMessageIntoA": func() error {
			m := *r.msg
			m.ID, m.WorkspaceID, m.ChannelID = domain.NewID(domain.PrefixMessage), "", ""
			return s.CreateMessage(b, &m)
		},
	}
	for name, call := range notFound {
		t.Run(name, func(t *testing.T) { wantCode(t, call(), domain.CodeNotFound) })
	}
	// Writing a record stamped with A's workspace id is refused outright.
	foreign := *r.contact
	foreign.ID, foreign.WaID = domain.NewID(domain.PrefixContact), "999"
	wantCode(t, s.CreateContact(b, &foreign), domain.CodeForbidden)

	// Removals are idempotent no-ops that must not touch A's links.
	must(t, s.RemoveConversationTag(b, r.conv.ID, r.tag.ID))
	must(t, s.RemoveContactTag(b, r.contact.ID, r.tag.ID))
	must(t, s.RemoveQueueMember(b, r.queue.ID, e.a.owner.ID))

	// Listings and batch loads return nothing of A.
	empty := func(name string, n int, err error) {
		t.Helper()
		must(t, err)
		if n != 0 {
			t.Fatalf("%s returned %d rows of workspace A", name, n)
		}
	}
	convs, err := s.FindConversations(b, domain.ConversationFilter{}, all, pq)
	empty("FindConversations", len(convs.Items), err)
	msgs, err := s.FindMessages(b, r.conv.ID, pq)
	empty("FindMessages", len(msgs.Items), err)
	notes, err := s.FindNotes(b, r.conv.ID, pq)
	empty("FindNotes", len(notes.Items), err)
	tasks, err := s.FindTasks(b, domain.TaskFilter{Visibility: domain.Visibility{All: true}}, pq)
	empty("FindTasks", len(tasks.Items), err)
	contacts, err := s.FindContacts(b, domain.ContactFilter{}, pq)
	empty("FindContacts", len(contacts.Items), err)
	users, err := s.FindUsers(b, domain.UserFilter{QueueID: r.queue.ID}, pq)
	empty("FindUsers", len(users.Items), err)
	byUsers, err := s.FindUsersByIDs(b, []string{e.a.owner.ID})
	empty("FindUsersByIDs", len(byUsers), err)
	byQueues, err := s.FindQueuesByIDs(b, []string{r.queue.ID})
	empty("FindQueuesByIDs", len(byQueues), err)
	byTags, err := s.FindTagsByIDs(b, []string{r.tag.ID})
	empty("FindTagsByIDs", len(byTags), err)
	byChannels, err := s.FindChannelsByIDs(b, []string{r.channel.ID})
	empty("FindChannelsByIDs", len(byChannels), err)
	byContacts, err := s.FindContactsByIDs(b, []string{r.contact.ID})
	empty("FindContactsByIDs", len(byContacts), err)
	tagIDs, err := s.TagIDsByConversationIDs(b, []string{r.conv.ID})
	empty("TagIDsByConversationIDs", len(tagIDs), err)
	last, err := s.LastMessagesByConversationIDs(b, []string{r.conv.ID})
	empty("LastMessagesByConversationIDs", len(last), err)
	byMessages, err := s.FindMessagesByIDs(b, []string{r.msg.ID})
	empty("FindMessagesByIDs", len(byMessages), err)
	queues, err := s.FindQueues(b)
	empty("FindQueues (B has its default queue only)", len(queues)-1, err)
	chans, err := s.FindChannels(b)
	empty("FindChannels", len(chans), err)
	keys, err := s.FindAPIKeys(b)
	empty("FindAPIKeys (B has its bootstrap key only)", len(keys)-1, err)
	tags, err := s.FindTags(b)
	empty("FindTags (B made b1, b2)", len(tags)-2, err)

	// A's data is intact.
	got, err := s.FindConversation(e.a.ctx, r.conv.ID)
	must(t, err)
	if got.Status != r.conv.Status || got.Version != r.conv.Version || len(got.TagIDs) != 1 {
		t.Fatalf("A's conversation changed: %+v", got)
	}
	q, err := s.FindQueue(e.a.ctx, r.queue.ID)
	must(t, err)
	if q.Name != "Ventas" || len(q.MemberIDs) != 1 {
		t.Fatalf("A's queue changed: %+v", q)
	}
	c, err := s.FindContact(e.a.ctx, r.contact.ID)
	must(t, err)
	if c.Name != "Ana" || len(c.TagIDs) != 1 {
		t.Fatalf("A's contact changed: %+v", c)
	}
	ws, err := s.FindWorkspace(b)
	must(t, err)
	if ws.ID != e.b.ws.ID {
		t.Fatalf("B read workspace %s", ws.ID)
	}
}

// TestNoPrincipalFailsClosed calls every scoped method without a principal.
func TestNoPrincipalFailsClosed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.seedA(t)
	ctx := context.Background()
	s := e.store
	pq := domain.PageQuery{Limit: 10}
	id := r.conv.ID
	calls := map[string]func() error{
		"FindWorkspace":   func() error { _, err := s.FindWorkspace(ctx); return err },
		"UpdateWorkspace": func() error { return s.UpdateWorkspace(ctx, e.a.ws) },
		"CreateUser":      func() error { return s.CreateUser(ctx, &domain.User{ID: domain.NewID(domain.PrefixUser)}) },
		"FindUser":        func() error { _, err := s.FindUser(ctx, e.a.owner.ID); return err },
		"FindUsersByIDs":  func() error { _, err := s.FindUsersByIDs(ctx, []string{e.a.owner.ID}); return err },
		"FindUsers":       func() error { _, err := s.FindUsers(ctx, domain.UserFilter{}, pq); return err },
		"UpdateUser":      func() error { return s.UpdateUser(ctx, e.a.owner) },
		"CreateQueue":     func() error { return s.CreateQueue(ctx, &domain.Queue{ID: domain.NewID(domain.PrefixQueue)}) },
		"FindQueue":       func() error { _, err := s.FindQueue(ctx, r.queue.ID); return err },
		"FindQueues":      func() error { _, err := s.FindQueues(ctx); return err },
		"FindQueuesByIDs": func() error { _, err := s.FindQueuesByIDs(ctx, []string{r.queue.ID}); return err },
		"UpdateQueue":     func() error { return s.UpdateQueue(ctx, r.queue) },
		"DeleteQueue":     func() error { return s.DeleteQueue(ctx, r.queue.ID) },
		"AddQueueMember":  func() error { return s.AddQueueMember(ctx, r.queue.ID, e.a.owner.ID) },
		"RemoveMember":    func() error { return s.RemoveQueueMember(ctx, r.queue.ID, e.a.owner.ID) },
		"CreateTag":       func() error { return s.CreateTag(ctx, &domain.Tag{ID: domain.NewID(domain.PrefixTag)}) },
		"FindTag":         func() error { _, err := s.FindTag(ctx, r.tag.ID); return err },
		"FindTags":        func() error { _, err := s.FindTags(ctx); return err },
		"FindTagsByIDs":   func() error { _, err := s.FindTagsByIDs(ctx, []string{r.tag.ID}); return err },
		"UpdateTag":       func() error { return s.UpdateTag(ctx, r.tag) },
		"DeleteTag":       func() error { return s.DeleteTag(ctx, r.tag.ID, time.Now()) },
		"CreateChannel":   func() error { return s.CreateChannel(ctx, &domain.Channel{ID: domain.NewID(domain.PrefixChannel)}) },
		"FindChannel":     func() error { _, err := s.FindChannel(ctx, r.channel.ID); return err },
		"FindChannels":    func() error { _, err := s.FindChannels(ctx); return err },
		"ChannelsByIDs":   func() error { _, err := s.FindChannelsByIDs(ctx, []string{r.channel.ID}); return err },
		"UpdateChannel":   func() error { return s.UpdateChannel(ctx, r.channel) },
		"DeleteChannel":   func() error { return s.DeleteChannel(ctx, r.channel.ID) },
		"CreateContact":   func() error { return s.CreateContact(ctx, &domain.Contact{ID: domain.NewID(domain.PrefixContact)}) },
		"FindContact":     func() error { _, err := s.FindContact(ctx, r.contact.ID); return err },
		"ContactsByIDs":   func() error { _, err := s.FindContactsByIDs(ctx, []string{r.contact.ID}); return err },
		"FindContacts":    func() error { _, err := s.FindContacts(ctx, domain.ContactFilter{}, pq); return err },
		"UpdateContact":   func() error { return s.UpdateContact(ctx, r.contact) },
		"TouchContact":    func() error { return s.TouchContact(ctx, r.contact.ID, time.Now()) },
		"AddContactTag":   func() error { return s.AddContactTag(ctx, r.contact.ID, r.tag.ID) },
		"RmContactTag":    func() error { return s.RemoveContactTag(ctx, r.contact.ID, r.tag.ID) },
		"DeleteContact":   func() error { return s.DeleteContact(ctx, r.contact.ID, time.Now()) },
		"MergeContacts":   func() error { return s.MergeContacts(ctx, r.contact.ID, r.contact.ID, time.Now()) },
		"AddExternalRefs": func() error {
			return s.AddContactExternalRefs(ctx, r.contact.ID, []domain.ExternalRef{{System: "x", ID: "1"}}, time.Now())
		},
		"ByExternalRef": func() error {
			_, err := s.FindContactByExternalRef(ctx, domain.ExternalRef{System: "x", ID: "1"})
			return err
		},
		"ByEmail":        func() error { _, err := s.FindContactByEmail(ctx, "a@example.com"); return err },
		"MergedSurvivor": func() error { _, err := s.FindMergedSurvivor(ctx, "51987654321", ""); return err },
		"CreateConv": func() error {
			return s.CreateConversation(ctx, &domain.Conversation{ID: domain.NewID(domain.PrefixConversation)})
		},
		"FindConv": func() error { _, err := s.FindConversation(ctx, id); return err },
		"FindConvs": func() error {
			_, err := s.FindConversations(ctx, domain.ConversationFilter{}, domain.Visibility{All: true}, pq)
			return err
		},
		"UpdateConv":    func() error { return s.UpdateConversation(ctx, r.conv) },
		"AddConvTag":    func() error { return s.AddConversationTag(ctx, id, r.tag.ID) },
		"RmConvTag":     func() error { return s.RemoveConversationTag(ctx, id, r.tag.ID) },
		"TagIDsByConvs": func() error { _, err := s.TagIDsByConversationIDs(ctx, []string{id}); return err },
		"CreateMessage": func() error { return s.CreateMessage(ctx, &domain.Message{ID: domain.NewID(domain.PrefixMessage)}) },
		"FindMessages":  func() error { _, err := s.FindMessages(ctx, id, pq); return err },
		"FindMessage":   func() error { _, err := s.FindMessage(ctx, domain.NewID(domain.PrefixMessage)); return err },
		"ByWaID":        func() error { _, err := s.FindContactByWaID(ctx, "51987654321"); return err },
		"ByPhone":       func() error { _, err := s.FindContactByPhone(ctx, "+51987654321"); return err },
		"ActiveConv":    func() error { _, err := s.FindActiveConversation(ctx, r.contact.ID, r.channel.ID); return err },
		"ByProviderID":  func() error { _, err := s.FindMessageByProviderID(ctx, r.channel.ID, "wamid.x"); return err },
		"UpdateDelivery": func() error {
			return s.UpdateMessageDelivery(ctx, &domain.Message{ID: domain.NewID(domain.PrefixMessage)})
		},
		"ParkStatus": func() error {
			return s.ParkStatus(ctx, r.channel.ID, domain.StatusUpdate{ProviderMessageID: "wamid.x"}, time.Now())
		},
		"TakeParked": func() error { _, err := s.TakeParkedStatuses(ctx, r.channel.ID, "wamid.x"); return err },
		"MarkRead": func() error {
			return s.MarkInboundRead(ctx, &domain.Message{ID: domain.NewID(domain.PrefixMessage), ConversationID: id}, time.Now())
		},
		"NewestInbound":  func() error { _, err := s.NewestInboundMessage(ctx, id); return err },
		"FindNote":       func() error { _, err := s.FindNote(ctx, domain.NewID(domain.PrefixNote)); return err },
		"LastMessages":   func() error { _, err := s.LastMessagesByConversationIDs(ctx, []string{id}); return err },
		"MessagesByIDs":  func() error { _, err := s.FindMessagesByIDs(ctx, []string{id}); return err },
		"CreateMedia":    func() error { return s.CreateMediaFile(ctx, &domain.MediaFile{ID: id}) },
		"FindMedia":      func() error { _, err := s.FindMediaFile(ctx, id); return err },
		"UpdateContent":  func() error { return s.UpdateMessageContent(ctx, r.msg) },
		"CreateNote":     func() error { return s.CreateNote(ctx, &domain.Note{ID: domain.NewID(domain.PrefixNote)}) },
		"FindNotes":      func() error { _, err := s.FindNotes(ctx, id, pq); return err },
		"CreateTask":     func() error { return s.CreateTask(ctx, &domain.Task{ID: domain.NewID(domain.PrefixTask)}) },
		"FindTask":       func() error { _, err := s.FindTask(ctx, r.task.ID); return err },
		"FindTasks":      func() error { _, err := s.FindTasks(ctx, domain.TaskFilter{}, pq); return err },
		"UpdateTask":     func() error { return s.UpdateTask(ctx, r.task) },
		"CreateAPIKey":   func() error { return s.CreateAPIKey(ctx, &domain.APIKey{ID: domain.NewID(domain.PrefixAPIKey)}) },
		"FindAPIKey":     func() error { _, err := s.FindAPIKey(ctx, r.key.ID); return err },
		"FindAPIKeys":    func() error { _, err := s.FindAPIKeys(ctx); return err },
		"UpdateAPIKey":   func() error { return s.UpdateAPIKey(ctx, r.key) },
		"AppendEvent":    func() error { return s.AppendEvent(ctx, &domain.Event{ID: domain.NewID(domain.PrefixEvent)}) },
		"EmptyPrincipal": func() error { _, err := s.FindTag(domain.WithPrincipal(ctx, domain.Principal{}), r.tag.ID); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { wantCode(t, call(), domain.CodeUnauthenticated) })
	}
}
