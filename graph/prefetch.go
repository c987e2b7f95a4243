package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/centralita/centralita/domain"
)

// prefetchConversations puts the links a query selects on a page of
// conversations into one batch per loader before the items are rendered, so
// the number of queries does not depend on how fast the item goroutines
// reach their loaders. The items' own loads then find the keys cached.
func prefetchConversations(ctx context.Context, items []*domain.Conversation) {
	if len(items) == 0 {
		return
	}
	selected := nodeFields(ctx)
	l := For(ctx)
	collect := func(key func(c *domain.Conversation) []string) []string {
		var ids []string
		for _, c := range items {
			for _, id := range key(c) {
				if id != "" {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	one := func(f func(c *domain.Conversation) string) func(c *domain.Conversation) []string {
		return func(c *domain.Conversation) []string { return []string{f(c)} }
	}
	if selected["contact"] {
		l.Contacts.LoadAllThunk(ctx, collect(one(func(c *domain.Conversation) string { return c.ContactID })))
	}
	if selected["assignee"] {
		l.Users.LoadAllThunk(ctx, collect(one(func(c *domain.Conversation) string { return c.AssigneeID })))
	}
	if selected["queue"] {
		l.Queues.LoadAllThunk(ctx, collect(one(func(c *domain.Conversation) string { return c.QueueID })))
	}
	if selected["channel"] {
		l.Channels.LoadAllThunk(ctx, collect(one(func(c *domain.Conversation) string { return c.ChannelID })))
	}
	if selected["tags"] {
		l.Tags.LoadAllThunk(ctx, collect(func(c *domain.Conversation) []string { return c.TagIDs }))
	}
	if selected["lastMessage"] {
		l.LastMessages.LoadAllThunk(ctx, collect(one(func(c *domain.Conversation) string { return c.ID })))
	}
}

// nodeFields returns the names of the fields selected on the nodes of the
// connection being resolved (through `nodes` and `edges { node }`),
// honouring fragments, @skip and @include.
func nodeFields(ctx context.Context) map[string]bool {
	out := map[string]bool{}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return out
	}
	oc := graphql.GetOperationContext(ctx)
	add := func(set ast.SelectionSet) {
		for _, f := range graphql.CollectFields(oc, set, nil) {
			out[f.Name] = true
		}
	}
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, nil) {
		switch f.Name {
		case "nodes":
			add(f.Selections)
		case "edges":
			for _, e := range graphql.CollectFields(oc, f.Selections, nil) {
				if e.Name == "node" {
					add(e.Selections)
				}
			}
		}
	}
	return out
}
