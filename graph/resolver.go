// Package graph serves the GraphQL API. It holds no business rules: each
// resolver parses its arguments, makes one domain call and renders the result.
package graph

import "github.com/centralita/centralita/domain"

// Resolver is the root of every resolver; it only holds the domain service.
type Resolver struct {
	svc *domain.Service
}
