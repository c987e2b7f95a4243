package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

// node resolves a global id by its type prefix through the domain, which
// scopes it to the caller's workspace and visibility. Every miss (unknown
// prefix, another workspace's id, an id that never existed) is the same
// NOT_FOUND "node not found".
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	var n model.Node
	var err error
	switch domain.IDPrefix(id) {
	case domain.PrefixConversation:
		n, err = nonNil(r.svc.Conversation(ctx, id))
	case domain.PrefixContact:
		n, err = nonNil(r.svc.Contact(ctx, id))
	case domain.PrefixUser:
		n, err = nonNil(r.svc.User(ctx, id))
	case domain.PrefixQueue:
		n, err = nonNil(r.svc.Queue(ctx, id))
	case domain.PrefixTag:
		n, err = nonNil(r.svc.Tag(ctx, id))
	case domain.PrefixChannel:
		n, err = nonNil(r.svc.Channel(ctx, id))
	case domain.PrefixTask:
		n, err = nonNil(r.svc.Task(ctx, id))
	case domain.PrefixWorkspace:
		n, err = r.workspaceNode(ctx, id)
	case domain.PrefixAPIKey:
		n, err = r.apiKeyNode(ctx, id)
	case domain.PrefixMessage:
		n, err = nonNil(r.svc.Message(ctx, id))
	case domain.PrefixNote:
		n, err = nonNil(r.svc.Note(ctx, id))
	case domain.PrefixCloseReason:
		n, err = nonNil(r.svc.CloseReason(ctx, id))
	case domain.PrefixBusinessHours:
		n, err = nonNil(r.svc.BusinessHours(ctx, id))
	case domain.PrefixSLAPolicy:
		n, err = nonNil(r.svc.SLAPolicy(ctx, id))
	case domain.PrefixWebhookEndpoint:
		n, err = nonNil(r.svc.WebhookEndpoint(ctx, id))
	default:
		err = domain.NotFound("node")
	}
	if err != nil {
		return nil, notFoundNode(err)
	}
	return n, nil
}

// nodes resolves each id; a miss is null in the list plus an error whose
// path points at its index.
func (r *Resolver) nodes(ctx context.Context, ids []string) []model.Node {
	out := make([]model.Node, len(ids))
	for i, id := range ids {
		n, err := r.node(ctx, id)
		if err != nil {
			path := append(graphql.GetPath(ctx), ast.PathIndex(i))
			graphql.AddError(ctx, &gqlerror.Error{Err: err, Message: err.Error(), Path: path})
			continue
		}
		out[i] = n
	}
	return out
}

func (r *Resolver) workspaceNode(ctx context.Context, id string) (model.Node, error) {
	w, err := r.svc.Workspace(ctx)
	if err != nil {
		return nil, err
	}
	if w.ID != id {
		return nil, domain.NotFound("node")
	}
	return w, nil
}

func (r *Resolver) apiKeyNode(ctx context.Context, id string) (model.Node, error) {
	keys, err := r.svc.APIKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.ID == id {
			return k, nil
		}
	}
	return nil, domain.NotFound("node")
}

// nonNil keeps a typed nil pointer out of the Node interface.
func nonNil[T any](v *T, err error) (model.Node, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}
