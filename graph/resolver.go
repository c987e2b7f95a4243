// Package graph serves the GraphQL API. It holds no business rules: each
// resolver parses its arguments, makes one domain call and renders the result.
package graph

import (
	"context"

	"github.com/centralita/centralita/domain"
)

// Resolver is the root of every resolver; it only holds the domain service.
type Resolver struct {
	svc *domain.Service
}

// linkedMessage loads a message another one points at (the quoted message,
// a reaction's target), batched across a page. One the caller may not see,
// or that is gone, is null rather than an error: the pointing message
// itself is visible.
func (r *Resolver) linkedMessage(ctx context.Context, id string) (*domain.Message, error) {
	if id == "" {
		return nil, nil
	}
	return loadOne(ctx, For(ctx).Messages, id)
}

// mediaURL is where a message's media is downloaded over REST.
func mediaURL(m *domain.Message) *string {
	if m.Media == nil || m.Media.State != domain.MediaReady || m.Media.UploadID == "" {
		return nil
	}
	u := "/v1/messages/" + m.ID + "/media"
	return &u
}
