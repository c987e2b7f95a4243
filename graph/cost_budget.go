package graph

import (
	"context"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/ratelimit"
)

// CostBudget charges every operation's computed cost (the complexity the
// complexity limit measured, so it must run after it) against the
// caller's per-minute GraphQL cost budget before any resolver runs: one
// query listing 100 conversations with their messages weighs as much as
// hundreds of small ones. The budget's RateLimit fields join the
// request quotas' (set by api) on the response; a spent budget answers
// 429 with RATE_LIMITED.
type CostBudget struct {
	Service *domain.Service
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = CostBudget{}

// ExtensionName implements graphql.HandlerExtension.
func (CostBudget) ExtensionName() string { return "CostBudget" }

// Validate implements graphql.HandlerExtension.
func (CostBudget) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext spends the operation's cost.
func (b CostBudget) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	stats := extension.GetComplexityStats(graphql.WithOperationContext(ctx, rc))
	if stats == nil {
		return nil
	}
	if _, ok := domain.PrincipalFrom(ctx); !ok {
		return nil // requirePrincipal answers UNAUTHENTICATED
	}
	d, err := b.Service.SpendGraphQLCost(ctx, stats.Complexity)
	note, _ := ctx.Value(responseNoteKey{}).(*responseNote)
	if note != nil {
		note.addRateFields(d)
	}
	if err != nil {
		if e, ok := domain.AsError(err); ok && e.Code == domain.CodeRateLimited && note != nil {
			note.refuse(e.RetryAfterSeconds)
		}
		return &gqlerror.Error{Message: domain.ErrorMessage(err), Err: err}
	}
	return nil
}

type responseNoteKey struct{}

// responseNote lets extensions, which see no ResponseWriter, shape the
// HTTP answer of their request: extra header fields and a 429 status.
type responseNote struct {
	header  http.Header
	limited bool
}

// addRateFields appends d's policies to the RateLimit fields already set
// (the request quotas), so a client reads one list of every quota.
func (n *responseNote) addRateFields(d ratelimit.Decision) {
	if len(d.Statuses) == 0 {
		return
	}
	for name, value := range map[string]string{
		"RateLimit-Policy": ratelimit.PolicyField(d.Statuses),
		"RateLimit":        ratelimit.LimitField(d.Statuses),
	} {
		if prev := n.header.Get(name); prev != "" {
			value = prev + ", " + value
		}
		n.header.Set(name, value)
	}
}

func (n *responseNote) refuse(retryAfterSeconds int) {
	n.limited = true
	n.header.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
}
