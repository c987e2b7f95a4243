package persistence_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence/persistencetest"
)

func TestMigrateTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	db := persistencetest.New(t)
	must(t, db.Migrate(context.Background()))
	must(t, db.Migrate(context.Background()))
	if db.Dialect() != persistencetest.Dialect() {
		t.Fatalf("dialect %q, want %q", db.Dialect(), persistencetest.Dialect())
	}
	must(t, db.Ping(context.Background()))
	if db.SQLDB() == nil {
		t.Fatal("SQLDB is nil")
	}
}

func TestRoundTripKeepsEveryField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	q := e.queue(t, ctx, "Ventas")
	tg := e.tag(t, ctx, "vip")
	ct := e.contact(t, ctx, "5215512345678", "Ana")
	must(t, e.store.AddContactTag(ctx, ct.ID, tg.ID))
	at := base.Add(1234567 * time.Nanosecond) // sub-microsecond part is dropped on store
	closed := at.Add(time.Hour)
	conv := e.conversation(t, ctx, ct.ID, at, func(c *domain.Conversation) {
		c.QueueID, c.AssigneeID, c.Status, c.CloseReason, c.ClosedAt = q.ID, e.a.owner.ID, domain.StatusClosed, "done", &closed
	})
	must(t, e.store.AddConversationTag(ctx, conv.ID, tg.ID))
	must(t, e.store.AddConversationTag(ctx, conv.ID, tg.ID)) // idempotent

	got, err := e.store.FindConversation(ctx, conv.ID)
	must(t, err)
	conv.TagIDs = []string{tg.ID}
	if !reflect.DeepEqual(got, conv) {
		t.Fatalf("conversation round trip\n got: %+v\nwant: %+v", got, conv)
	}
	gotContact, err := e.store.FindContact(ctx, ct.ID)
	must(t, err)
	ct.TagIDs, ct.ExternalRefs = []string{tg.ID}, []domain.ExternalRef{}
	if !reflect.DeepEqual(gotContact, ct) {
		t.Fatalf("contact round trip\n got: %+v\nwant: %+v", gotContact, ct)
	}
	ws, err := e.store.FindWorkspace(ctx)
	must(t, err)
	if !reflect.DeepEqual(ws, e.a.ws) {
		t.Fatalf("workspace round trip\n got: %+v\nwant: %+v", ws, e.a.ws)
	}
}

func TestUniqueViolationsAreConflicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.a.ctx, e.b.ctx
	e.tag(t, a, "VIP")
	_, err := e.svc.CreateTag(a, domain.TagInput{Name: ptr("vip")})
	wantCode(t, err, domain.CodeConflict)
	if domain.ErrorMessage(err) != "a tag with this name already exists" {
		t.Fatalf("message %q", domain.ErrorMessage(err))
	}
	e.tag(t, b, "vip") // other workspace: allowed

	e.queue(t, a, "Soporte")
	_, err = e.svc.CreateQueue(a, domain.QueueInput{Name: ptr("SOPORTE")})
	wantCode(t, err, domain.CodeConflict)

	ch := domain.ChannelInput{Name: ptr("Main"), PhoneNumberID: ptr("1234567890"), WABAID: ptr("42"), DisplayPhoneNumber: ptr("+51 1 234")}
	_, err = e.svc.CreateChannel(a, ch)
	must(t, err)
	_, err = e.svc.CreateChannel(b, ch) // one number routes to one workspace
	wantCode(t, err, domain.CodeConflict)
	if domain.ErrorMessage(err) != "this phone_number_id is already registered" {
		t.Fatalf("message %q", domain.ErrorMessage(err))
	}

	_, err = e.svc.CreateContact(a, domain.ContactInput{WaID: ptr("51999888777")})
	must(t, err)
	_, err = e.svc.CreateContact(a, domain.ContactInput{WaID: ptr("51999888777")})
	wantCode(t, err, domain.CodeConflict)
	_, err = e.svc.CreateContact(b, domain.ContactInput{WaID: ptr("51999888777")})
	must(t, err)
	// Contacts without wa_id do not collide on the empty string.
	_, err = e.svc.CreateContact(a, domain.ContactInput{Email: ptr("x@example.com")})
	must(t, err)
	_, err = e.svc.CreateContact(a, domain.ContactInput{Email: ptr("y@example.com")})
	must(t, err)

	_, err = e.svc.CreateUser(a, domain.NewUser{Email: "Owner@acme.test", Name: "Dup", Password: "0123456789ab"})
	wantCode(t, err, domain.CodeConflict)
	if domain.ErrorMessage(err) != "a user with this email already exists in the workspace" {
		t.Fatalf("message %q", domain.ErrorMessage(err))
	}
}

func TestInboundMessageDeduplicatedPerChannel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	ch, err := e.svc.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: ptr("111"), WABAID: ptr("1"), DisplayPhoneNumber: ptr("+1")})
	must(t, err)
	conv := e.conversation(t, ctx, e.contact(t, ctx, "1", "x").ID, base, func(c *domain.Conversation) { c.ChannelID = ch.ID })
	m := &domain.Message{ID: domain.NewID(domain.PrefixMessage), ConversationID: conv.ID, ChannelID: ch.ID,
		Direction: domain.DirectionInbound, AuthorKind: domain.AuthorContact, Type: domain.MessageText,
		ProviderMessageID: "wamid.1", Status: domain.DeliveryReceived, CreatedAt: base, UpdatedAt: base}
	must(t, e.store.CreateMessage(ctx, m))
	dup := *m
	dup.ID = domain.NewID(domain.PrefixMessage)
	wantCode(t, e.store.CreateMessage(ctx, &dup), domain.CodeConflict)
	// Outbound messages without a wamid yet do not collide.
	for range 2 {
		out := *m
		out.ID, out.ProviderMessageID = domain.NewID(domain.PrefixMessage), ""
		must(t, e.store.CreateMessage(ctx, &out))
	}
}

func TestOptimisticVersionConflict(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	conv := e.conversation(t, ctx, e.contact(t, ctx, "1", "x").ID, base)
	first, second := *conv, *conv
	first.Version, first.Priority = 2, domain.PriorityHigh
	must(t, e.store.UpdateConversation(ctx, &first))
	second.Version, second.Priority = 2, domain.PriorityLow
	err := e.store.UpdateConversation(ctx, &second)
	wantCode(t, err, domain.CodeConflict)
	if domain.ErrorMessage(err) != "conversation was changed by someone else; reload and retry" {
		t.Fatalf("message %q", domain.ErrorMessage(err))
	}
	got, err := e.store.FindConversation(ctx, conv.ID)
	must(t, err)
	if got.Priority != domain.PriorityHigh || got.Version != 2 {
		t.Fatalf("stored %s v%d, want high v2", got.Priority, got.Version)
	}
}

// agent creates an agent in the workspace of ctx and returns its context.
func (e *env) agent(t testing.TB, ctx context.Context, email string, queueIDs ...string) context.Context {
	t.Helper()
	u, err := e.svc.CreateUser(ctx, domain.NewUser{Email: email, Name: "Agent", Password: "0123456789ab", QueueIDs: queueIDs})
	must(t, err)
	return domain.WithPrincipal(context.Background(), domain.Principal{
		WorkspaceID: u.WorkspaceID, UserID: u.ID, Role: domain.RoleAgent, QueueIDs: u.QueueIDs})
}

func TestInTxRollsBackEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.a.ctx
	boom := errors.New("boom")
	var tagID string
	err := e.store.InTx(ctx, func(ctx context.Context) error {
		tg := e.tag(t, ctx, "temp")
		tagID = tg.ID
		// A nested InTx joins the outer transaction.
		return e.store.InTx(ctx, func(ctx context.Context) error {
			e.contact(t, ctx, "777", "Temp")
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want boom", err)
	}
	_, err = e.store.FindTag(ctx, tagID)
	wantCode(t, err, domain.CodeNotFound)
	page, err := e.store.FindContacts(ctx, domain.ContactFilter{}, domain.PageQuery{Limit: 10})
	must(t, err)
	if len(page.Items) != 0 {
		t.Fatalf("contacts after rollback: %d", len(page.Items))
	}
	// A domain error from fn comes back unchanged.
	err = e.store.InTx(ctx, func(ctx context.Context) error { return domain.NotFound("thing") })
	wantCode(t, err, domain.CodeNotFound)
}

func TestMarkSessionUsedOnlyOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background() // AuthStore is unscoped
	_, grant, err := e.svc.Login(ctx, domain.LoginInput{Email: "owner@acme.test", Password: "correct horse battery"})
	must(t, err)
	token := grant.RefreshToken
	ses, err := e.store.FindSessionByHash(ctx, domain.HashToken(token))
	must(t, err)
	var wg sync.WaitGroup
	wins := make(chan bool, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			won, err := e.store.MarkSessionUsed(ctx, ses.ID, time.Now())
			if err != nil {
				t.Error(err)
			}
			wins <- won
		}()
	}
	wg.Wait()
	close(wins)
	n := 0
	for w := range wins {
		if w {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d winners, want exactly 1", n)
	}
	// Refresh with the spent token revokes the family.
	_, _, err = e.svc.Refresh(ctx, token)
	wantCode(t, err, domain.CodeUnauthenticated)
	again, err := e.store.FindSessionByHash(ctx, domain.HashToken(token))
	must(t, err)
	if again.RevokedAt == nil || again.UsedAt == nil {
		t.Fatalf("session not spent and revoked: %+v", again)
	}
}

func TestRefreshRotatesAndAuthenticates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u, first, err := e.svc.Login(ctx, domain.LoginInput{Email: "owner@acme.test", Password: "correct horse battery"})
	must(t, err)
	u2, next, err := e.svc.Refresh(ctx, first.RefreshToken)
	must(t, err)
	if u2.ID != u.ID || next.RefreshToken == first.RefreshToken || next.SessionID == first.SessionID {
		t.Fatal("refresh did not rotate")
	}
	claims := domain.AccessClaims{WorkspaceID: u.WorkspaceID, UserID: u.ID, SessionID: next.SessionID, TokenVersion: u.TokenVersion}
	p, err := e.svc.AuthenticateUser(ctx, claims)
	must(t, err)
	if p.WorkspaceID != u.WorkspaceID {
		t.Fatalf("principal %+v", p)
	}
	must(t, e.svc.ChangePassword(domain.WithPrincipal(ctx, p), "correct horse battery", "new password 123"))
	_, err = e.svc.AuthenticateUser(ctx, claims)
	wantCode(t, err, domain.CodeUnauthenticated)
	_, _, err = e.svc.Refresh(ctx, next.RefreshToken)
	wantCode(t, err, domain.CodeUnauthenticated)
}

func TestAPIKeyAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	created, err := e.svc.CreateAPIKey(e.a.ctx, domain.NewAPIKey{Name: "crm"})
	must(t, err)
	p, err := e.svc.AuthenticateAPIKey(context.Background(), created.Secret)
	must(t, err)
	if p.WorkspaceID != e.a.ws.ID || p.APIKeyID != created.Key.ID {
		t.Fatalf("principal %+v", p)
	}
	k, err := e.store.FindAPIKey(e.a.ctx, created.Key.ID)
	must(t, err)
	if k.LastUsedAt == nil {
		t.Fatal("last_used_at not recorded")
	}
	_, err = e.svc.RevokeAPIKey(e.a.ctx, created.Key.ID)
	must(t, err)
	_, err = e.svc.AuthenticateAPIKey(context.Background(), created.Secret)
	wantCode(t, err, domain.CodeUnauthenticated)
}

func ptr[T any](v T) *T { return &v }

// TestConcurrentClaimsOneWins races two agents claiming one conversation:
// the optimistic version check lets exactly one through.
func TestConcurrentClaimsOneWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.queue(t, e.a.ctx, "Ventas")
	agents := []context.Context{e.agent(t, e.a.ctx, "a1@acme.test", q.ID), e.agent(t, e.a.ctx, "a2@acme.test", q.ID)}
	conv := e.conversation(t, e.a.ctx, e.contact(t, e.a.ctx, "1", "x").ID, base, func(c *domain.Conversation) { c.QueueID = q.ID })
	errs := make(chan error, len(agents))
	var wg sync.WaitGroup
	for _, ctx := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.Claim(ctx, conv.ID)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	wins := 0
	for err := range errs {
		if err == nil {
			wins++
			continue
		}
		wantCode(t, err, domain.CodeConflict)
	}
	if wins != 1 {
		t.Fatalf("%d claims won, want 1", wins)
	}
	got, err := e.store.FindConversation(e.a.ctx, conv.ID)
	must(t, err)
	if got.AssigneeID == "" || got.Version != 2 {
		t.Fatalf("after claims: assignee %q version %d", got.AssigneeID, got.Version)
	}
}
