package graph

import (
	"slices"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

// pageRequest turns Relay arguments into a domain page request; the domain
// applies the default size and validates the bounds and the cursor.
func pageRequest(first *int, after *string) domain.PageRequest {
	return domain.PageRequest{Limit: first, After: deref(after)}
}

// syncPageRequest adds the incremental-sync arguments of the listings that
// take them; the domain validates them with the cursor.
func syncPageRequest(first *int, after *string, updatedSince *time.Time, sort *domain.Sort) domain.PageRequest {
	p := pageRequest(first, after)
	p.UpdatedSince, p.Sort = updatedSince, deref(sort)
	return p
}

// cursors renders each item's cursor (issued by persistence for the order
// the page was read in) and the page info of a domain page.
func cursors[T any](p domain.Page[T]) ([]string, *model.PageInfo) {
	out := slices.Clone(p.Cursors) // every page is built by domain.MakePage
	if p.HasMore && len(out) > 0 {
		out[len(out)-1] = p.NextCursor
	}
	info := &model.PageInfo{HasNextPage: p.HasMore}
	if len(out) > 0 {
		info.StartCursor, info.EndCursor = &out[0], &out[len(out)-1]
	}
	return out, info
}

func conversationConnection(p domain.Page[*domain.Conversation]) *model.ConversationConnection {
	cs, info := cursors(p)
	edges := make([]*model.ConversationEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.ConversationEdge{Cursor: cs[i], Node: n}
	}
	return &model.ConversationConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

func messageConnection(p domain.Page[*domain.Message]) *model.MessageConnection {
	cs, info := cursors(p)
	edges := make([]*model.MessageEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.MessageEdge{Cursor: cs[i], Node: n}
	}
	return &model.MessageConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

func noteConnection(p domain.Page[*domain.Note]) *model.NoteConnection {
	cs, info := cursors(p)
	edges := make([]*model.NoteEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.NoteEdge{Cursor: cs[i], Node: n}
	}
	return &model.NoteConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

func taskConnection(p domain.Page[*domain.Task]) *model.TaskConnection {
	cs, info := cursors(p)
	edges := make([]*model.TaskEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.TaskEdge{Cursor: cs[i], Node: n}
	}
	return &model.TaskConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

func contactConnection(p domain.Page[*domain.Contact]) *model.ContactConnection {
	cs, info := cursors(p)
	edges := make([]*model.ContactEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.ContactEdge{Cursor: cs[i], Node: n}
	}
	return &model.ContactConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

func userConnection(p domain.Page[*domain.User]) *model.UserConnection {
	cs, info := cursors(p)
	edges := make([]*model.UserEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.UserEdge{Cursor: cs[i], Node: n}
	}
	return &model.UserConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optional renders an empty string as null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func conversationEventConnection(p domain.Page[*domain.Event]) *model.ConversationEventConnection {
	cs, info := cursors(p)
	edges := make([]*model.ConversationEventEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.ConversationEventEdge{Cursor: cs[i], Node: n}
	}
	return &model.ConversationEventConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}
