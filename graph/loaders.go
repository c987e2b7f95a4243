package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/centralita/centralita/domain"
)

// Loaders batch the belongs-to edges of one request through the domain's
// batch methods. They are created per request (never shared between
// callers), so their caches are scoped to the caller's workspace.
type Loaders struct {
	Contacts           *dataloadgen.Loader[string, *domain.Contact]
	Users              *dataloadgen.Loader[string, *domain.User]
	Queues             *dataloadgen.Loader[string, *domain.Queue]
	Channels           *dataloadgen.Loader[string, *domain.Channel]
	Tags               *dataloadgen.Loader[string, *domain.Tag]
	ConversationTagIDs *dataloadgen.Loader[string, []string]
	LastMessages       *dataloadgen.Loader[string, *domain.Message]
	Messages           *dataloadgen.Loader[string, *domain.Message]
	// SLA policies and business-hours plans are small per-workspace
	// catalogs: one listing serves every queue and conversation of a page.
	SLAPolicies   *dataloadgen.Loader[string, *domain.SLAPolicy]
	BusinessHours *dataloadgen.Loader[string, *domain.BusinessHours]
}

const loaderWait = 2 * time.Millisecond

// NewLoaders builds a fresh set of loaders over svc.
func NewLoaders(svc *domain.Service) *Loaders {
	opt := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		Contacts:           dataloadgen.NewLoader(byID(svc.ContactsByIDs, func(c *domain.Contact) string { return c.ID }), opt),
		Users:              dataloadgen.NewLoader(byID(svc.UsersByIDs, func(u *domain.User) string { return u.ID }), opt),
		Queues:             dataloadgen.NewLoader(byID(svc.QueuesByIDs, func(q *domain.Queue) string { return q.ID }), opt),
		Channels:           dataloadgen.NewLoader(byID(svc.ChannelsByIDs, func(c *domain.Channel) string { return c.ID }), opt),
		Tags:               dataloadgen.NewLoader(byID(svc.TagsByIDs, func(t *domain.Tag) string { return t.ID }), opt),
		ConversationTagIDs: dataloadgen.NewLoader(byKey(svc.TagIDsByConversationIDs), opt),
		LastMessages:       dataloadgen.NewLoader(byKey(svc.LastMessagesByConversationIDs), opt),
		Messages:           dataloadgen.NewLoader(byID(svc.MessagesByIDs, func(m *domain.Message) string { return m.ID }), opt),
		SLAPolicies: dataloadgen.NewLoader(byID(func(ctx context.Context, _ []string) ([]*domain.SLAPolicy, error) {
			return svc.SLAPolicies(ctx)
		}, func(p *domain.SLAPolicy) string { return p.ID }), opt),
		BusinessHours: dataloadgen.NewLoader(byID(func(ctx context.Context, _ []string) ([]*domain.BusinessHours, error) {
			return svc.AllBusinessHours(ctx)
		}, func(b *domain.BusinessHours) string { return b.ID }), opt),
	}
}

// clear forgets everything loaded so far (after a mutation changed data).
func (l *Loaders) clear() {
	l.Contacts.ClearAll()
	l.Users.ClearAll()
	l.Queues.ClearAll()
	l.Channels.ClearAll()
	l.Tags.ClearAll()
	l.ConversationTagIDs.ClearAll()
	l.LastMessages.ClearAll()
	l.Messages.ClearAll()
}

// byID adapts a domain "load these ids" method to a loader fetch: results
// come back in key order, nil where the id does not exist (or is not the
// caller's), and a failure of the batch fails every key.
func byID[T any](load func(context.Context, []string) ([]*T, error), id func(*T) string) func(context.Context, []string) ([]*T, []error) {
	return func(ctx context.Context, keys []string) ([]*T, []error) {
		found, err := load(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		byKey := make(map[string]*T, len(found))
		for _, v := range found {
			byKey[id(v)] = v
		}
		out := make([]*T, len(keys))
		for i, k := range keys {
			out[i] = byKey[k]
		}
		return out, nil
	}
}

// byKey adapts a domain method returning a map keyed by id.
func byKey[V any](load func(context.Context, []string) (map[string]V, error)) func(context.Context, []string) ([]V, []error) {
	return func(ctx context.Context, keys []string) ([]V, []error) {
		found, err := load(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		out := make([]V, len(keys))
		for i, k := range keys {
			out[i] = found[k]
		}
		return out, nil
	}
}

type loadersKey struct{}

// WithLoaders installs a fresh set of loaders in every request's context.
func WithLoaders(svc *domain.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(svc))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// For returns the request's loaders.
func For(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	if l == nil {
		panic("graph: no loaders in context; serve through NewHandler")
	}
	return l
}

// loadAll loads several ids and drops the ones that do not exist.
func loadAll[T any](ctx context.Context, l *dataloadgen.Loader[string, *T], ids []string) ([]*T, error) {
	if len(ids) == 0 {
		return []*T{}, nil
	}
	found, err := l.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(found))
	for _, v := range found {
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// loadOne loads an optional link: an empty id is null.
func loadOne[T any](ctx context.Context, l *dataloadgen.Loader[string, *T], id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	return l.Load(ctx, id)
}
