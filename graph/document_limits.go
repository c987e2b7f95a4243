package graph

import (
	"context"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
)

// DocumentLimits refuses an abusive document before gqlgen parses and
// validates it. Validation is where the time went: its overlapping-fields
// rule compares selections pairwise through every fragment, so
// `{ workspace { id id id … } }` ×14,000 took seconds and ten-wide,
// eight-deep fragment spreads took minutes. Here the document is lexed
// (tokens counted and capped), parsed once without validation, and its
// fields and aliases counted as if fragments were expanded, but with each
// fragment counted once and memoised, so the count itself stays linear.
// Argument text is checked here too (checkArgumentText).
type DocumentLimits struct {
	MaxTokens  int // tokens per document, comments excluded
	MaxFields  int // field selections once fragments are expanded
	MaxAliases int // aliased fields once fragments are expanded
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = DocumentLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (DocumentLimits) ExtensionName() string { return "DocumentLimits" }

// Validate implements graphql.HandlerExtension.
func (DocumentLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters measures the raw document; it changes nothing.
func (l DocumentLimits) MutateOperationParameters(_ context.Context, params *graphql.RawParams) *gqlerror.Error {
	if err := checkVariableText(params.Variables); err != nil {
		return err
	}
	tokens, ok := countTokens(params.Query, l.MaxTokens)
	if !ok {
		return nil // gqlgen's parser reports the syntax error
	}
	if tokens > l.MaxTokens {
		return limitError("TOKEN_LIMIT_EXCEEDED", "the document has more than %d tokens", l.MaxTokens)
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: params.Query})
	if err != nil {
		return nil // as above
	}
	c := selectionCounter{fragments: doc.Fragments, memo: map[string]selectionCount{}}
	var total selectionCount
	for _, op := range doc.Operations {
		total = total.plus(c.selectionSet(op.SelectionSet))
	}
	switch {
	case total.fields > l.MaxFields:
		return limitError("FIELD_LIMIT_EXCEEDED",
			"the document selects more than %d fields once its fragments are expanded", l.MaxFields)
	case total.aliases > l.MaxAliases:
		return limitError("ALIAS_LIMIT_EXCEEDED",
			"the document uses more than %d aliases once its fragments are expanded", l.MaxAliases)
	}
	return checkArgumentText(doc)
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	return err
}

// countTokens counts the document's tokens, stopping once past limit. ok is
// false when the lexer finds an error.
func countTokens(query string, limit int) (n int, ok bool) {
	lex := lexer.New(&ast.Source{Input: query})
	for n <= limit {
		tok, err := lex.ReadToken()
		if err != nil {
			return n, false
		}
		switch tok.Kind {
		case lexer.EOF:
			return n, true
		case lexer.Comment:
			continue
		}
		n++
	}
	return n, true
}

// selectionCount is what a selection set expands to. Counts saturate
// instead of overflowing: ten spreads of ten spreads … reach MaxInt.
type selectionCount struct{ fields, aliases int }

func (a selectionCount) plus(b selectionCount) selectionCount {
	return selectionCount{saturatingAdd(a.fields, b.fields), saturatingAdd(a.aliases, b.aliases)}
}

func saturatingAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

type selectionCounter struct {
	fragments ast.FragmentDefinitionList
	memo      map[string]selectionCount
}

func (c selectionCounter) selectionSet(set ast.SelectionSet) selectionCount {
	var total selectionCount
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			one := selectionCount{fields: 1}
			if s.Alias != "" && s.Alias != s.Name {
				one.aliases = 1
			}
			total = total.plus(one).plus(c.selectionSet(s.SelectionSet))
		case *ast.InlineFragment:
			total = total.plus(c.selectionSet(s.SelectionSet))
		case *ast.FragmentSpread:
			total = total.plus(c.fragment(s.Name))
		}
	}
	return total
}

func (c selectionCounter) fragment(name string) selectionCount {
	if n, ok := c.memo[name]; ok {
		return n
	}
	c.memo[name] = selectionCount{} // a cycle (refused by validation) ends here
	def := c.fragments.ForName(name)
	if def == nil {
		return selectionCount{}
	}
	n := c.selectionSet(def.SelectionSet)
	c.memo[name] = n
	return n
}
