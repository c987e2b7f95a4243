package persistence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// plainHasher keeps tests fast; password hashing is not what is tested here.
type plainHasher struct{}

func (plainHasher) Hash(pw string) (string, error) { return "plain:" + pw, nil }
func (plainHasher) Verify(hash, pw string) bool    { return hash == "plain:"+pw }

// tenant is one bootstrapped workspace and a context acting as its owner.
type tenant struct {
	ws    *domain.Workspace
	owner *domain.User
	ctx   context.Context
}

// env is a fresh database with two workspaces, A and B.
type env struct {
	db    *persistence.DB
	store *persistence.Store
	svc   *domain.Service
	a, b  tenant
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := persistencetest.New(t)
	e := &env{db: db, store: db.Store(), svc: domain.NewService(db.Store(), plainHasher{}, domain.Options{})}
	e.a = e.bootstrap(t, "Acme")
	e.b = e.bootstrap(t, "Beta")
	return e
}

func (e *env) bootstrap(t *testing.T, name string) tenant {
	t.Helper()
	out, err := e.svc.Bootstrap(context.Background(), domain.BootstrapInput{
		WorkspaceName: name, Email: "owner@" + strings.ToLower(name) + ".test", Password: "correct horse battery",
	})
	must(t, err)
	ctx := domain.WithPrincipal(context.Background(), domain.Principal{
		WorkspaceID: out.Workspace.ID, UserID: out.Owner.ID, Role: domain.RoleOwner})
	return tenant{ws: out.Workspace, owner: out.Owner, ctx: ctx}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantCode fails unless err is a domain error with the given code.
func wantCode(t testing.TB, err error, code domain.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("want %s error, got %s: %v", code, got, err)
	}
}

var base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// contact inserts a contact through the store.
func (e *env) contact(t testing.TB, ctx context.Context, waID, name string) *domain.Contact {
	t.Helper()
	p, _ := domain.PrincipalFrom(ctx)
	c := &domain.Contact{ID: domain.NewID(domain.PrefixContact), WorkspaceID: p.WorkspaceID, WaID: waID,
		Name: name, CustomAttributes: map[string]any{"plan": "gold"}, CreatedAt: base, UpdatedAt: base}
	must(t, e.store.CreateContact(ctx, c))
	return c
}

// conversation inserts a conversation with a chosen last activity.
func (e *env) conversation(t testing.TB, ctx context.Context, contactID string, at time.Time, mutate ...func(*domain.Conversation)) *domain.Conversation {
	t.Helper()
	p, _ := domain.PrincipalFrom(ctx)
	c := &domain.Conversation{ID: domain.NewID(domain.PrefixConversation), WorkspaceID: p.WorkspaceID,
		ContactID: contactID, Status: domain.StatusNew, Priority: domain.PriorityNormal, Version: 1,
		CreatedAt: at, UpdatedAt: at, LastActivityAt: at}
	for _, m := range mutate {
		m(c)
	}
	must(t, e.store.CreateConversation(ctx, c))
	return c
}

// message inserts a message with a chosen instant.
func (e *env) message(t testing.TB, ctx context.Context, conv *domain.Conversation, text string, at time.Time) *domain.Message {
	t.Helper()
	m := &domain.Message{ID: domain.NewID(domain.PrefixMessage), WorkspaceID: conv.WorkspaceID,
		ConversationID: conv.ID, ChannelID: conv.ChannelID, Direction: domain.DirectionInbound,
		AuthorKind: domain.AuthorContact, AuthorID: conv.ContactID, Type: domain.MessageText, Text: text,
		Status: domain.DeliveryReceived, CreatedAt: at, UpdatedAt: at}
	must(t, e.store.CreateMessage(ctx, m))
	return m
}

// queue creates a queue through the service.
func (e *env) queue(t testing.TB, ctx context.Context, name string) *domain.Queue {
	t.Helper()
	q, err := e.svc.CreateQueue(ctx, domain.QueueInput{Name: &name})
	must(t, err)
	return q
}

// tag creates a tag through the service.
func (e *env) tag(t testing.TB, ctx context.Context, name string) *domain.Tag {
	t.Helper()
	tg, err := e.svc.CreateTag(ctx, domain.TagInput{Name: &name})
	must(t, err)
	return tg
}

// ids lists the ids of items, for comparing listings.
func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func convID(c *domain.Conversation) string { return c.ID }

func sameIDs(t testing.TB, got, want []string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("ids differ\n got: %v\nwant: %v", got, want)
	}
}
