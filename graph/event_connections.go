package graph

import (
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

// feedConnection renders a page of the feed: each edge's cursor is its
// event's position, and endCursor is never null (on an empty page, the
// position asked for), so a poller always has a cursor to resume from.
func feedConnection(p domain.EventFeedPage) *model.WorkspaceEventConnection {
	edges := make([]*model.WorkspaceEventEdge, len(p.Events))
	for i, e := range p.Events {
		edges[i] = &model.WorkspaceEventEdge{Cursor: e.Position.Cursor(), Node: e}
	}
	end := p.Next.Cursor()
	info := &model.PageInfo{HasNextPage: p.HasMore, EndCursor: &end}
	if len(edges) > 0 {
		info.StartCursor = &edges[0].Cursor
	}
	return &model.WorkspaceEventConnection{Edges: edges, Nodes: p.Events, PageInfo: info}
}

func workspaceEventConnection(p domain.Page[*domain.Event]) *model.WorkspaceEventConnection {
	cs, info := cursors(p)
	edges := make([]*model.WorkspaceEventEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.WorkspaceEventEdge{Cursor: cs[i], Node: n}
	}
	return &model.WorkspaceEventConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}
