package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DepthLimit rejects operations nested deeper than Max fields before any
// resolver runs (gqlgen has no built-in depth limit). Fragments are expanded;
// each fragment's depth is computed once, so wide documents stay cheap.
// Introspection fields (__schema, __type) count as one level: they are off
// in production and their standard query is deeper than any inbox screen.
type DepthLimit struct {
	Max int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DepthLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (DepthLimit) ExtensionName() string { return "DepthLimit" }

// Validate implements graphql.HandlerExtension.
func (DepthLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext measures the operation about to run.
func (d DepthLimit) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil || d.Max <= 0 {
		return nil
	}
	m := depthMeter{fragments: rc.Doc.Fragments, memo: map[string]int{}}
	if depth := m.selectionSet(rc.Operation.SelectionSet); depth > d.Max {
		err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", depth, d.Max)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

type depthMeter struct {
	fragments ast.FragmentDefinitionList
	memo      map[string]int
}

func (m depthMeter) selectionSet(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		var depth int
		switch s := sel.(type) {
		case *ast.Field:
			depth = 1
			if !strings.HasPrefix(s.Name, "__") {
				depth += m.selectionSet(s.SelectionSet)
			}
		case *ast.InlineFragment:
			depth = m.selectionSet(s.SelectionSet)
		case *ast.FragmentSpread:
			depth = m.fragment(s.Name)
		}
		deepest = max(deepest, depth)
	}
	return deepest
}

func (m depthMeter) fragment(name string) int {
	if depth, ok := m.memo[name]; ok {
		return depth
	}
	m.memo[name] = 0 // a cycle (rejected by validation anyway) ends here
	def := m.fragments.ForName(name)
	if def == nil {
		return 0
	}
	depth := m.selectionSet(def.SelectionSet)
	m.memo[name] = depth
	return depth
}
