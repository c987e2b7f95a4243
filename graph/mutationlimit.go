package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MutationFieldLimit caps how many top-level mutation fields one document
// may run. Without it, aliases turn one request into hundreds of sends or
// guesses and slip past per-request rate limits (alias batching).
type MutationFieldLimit struct {
	Max int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = MutationFieldLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (MutationFieldLimit) ExtensionName() string { return "MutationFieldLimit" }

// Validate implements graphql.HandlerExtension.
func (MutationFieldLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext counts the operation's top-level mutation fields,
// through fragments, before any resolver runs.
func (l MutationFieldLimit) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil || rc.Operation.Operation != ast.Mutation || l.Max <= 0 {
		return nil
	}
	if n := countFields(rc.Operation.SelectionSet, rc.Doc.Fragments, map[string]bool{}); n > l.Max {
		err := gqlerror.Errorf("a document may run at most %d mutations; this one runs %d", l.Max, n)
		err.Extensions = map[string]any{"code": "MUTATION_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

func countFields(set ast.SelectionSet, fragments ast.FragmentDefinitionList, seen map[string]bool) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n++
		case *ast.InlineFragment:
			n += countFields(s.SelectionSet, fragments, seen)
		case *ast.FragmentSpread:
			if def := fragments.ForName(s.Name); def != nil && !seen[s.Name] {
				seen[s.Name] = true
				n += countFields(def.SelectionSet, fragments, seen)
			}
		}
	}
	return n
}
