package graph

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/centralita/centralita/domain/cleantext"
)

// checkVariableText refuses a variable holding NUL (invalid UTF-8 is
// refused with the whole body, before JSON decoding hides it): Postgres
// refuses such text and SQLite matches it oddly, so both databases answer
// the same BAD_USER_INPUT naming the variable, e.g. $input.name.
func checkVariableText(vars map[string]any) *gqlerror.Error {
	if path, problem, found := cleantext.FirstProblem(vars); found {
		return badText("$"+path, problem)
	}
	return nil
}

// checkArgumentText refuses a literal argument (or variable default)
// holding NUL, written in the document as "\u0000", naming the argument,
// e.g. input.name.
func checkArgumentText(doc *ast.QueryDocument) *gqlerror.Error {
	for _, op := range doc.Operations {
		for _, v := range op.VariableDefinitions {
			if err := valueText("$"+v.Variable, v.DefaultValue); err != nil {
				return err
			}
		}
		if err := selectionText(op.SelectionSet); err != nil {
			return err
		}
	}
	for _, f := range doc.Fragments {
		if err := selectionText(f.SelectionSet); err != nil {
			return err
		}
	}
	return nil
}

// selectionText walks a selection set once; fragment spreads are not
// followed, since every fragment's own selections are walked directly.
func selectionText(set ast.SelectionSet) *gqlerror.Error {
	for _, sel := range set {
		var err *gqlerror.Error
		switch s := sel.(type) {
		case *ast.Field:
			if err = argumentsText(s.Arguments, s.Directives); err == nil {
				err = selectionText(s.SelectionSet)
			}
		case *ast.InlineFragment:
			if err = argumentsText(nil, s.Directives); err == nil {
				err = selectionText(s.SelectionSet)
			}
		case *ast.FragmentSpread:
			err = argumentsText(nil, s.Directives)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func argumentsText(args ast.ArgumentList, directives ast.DirectiveList) *gqlerror.Error {
	for _, d := range directives {
		args = append(args, d.Arguments...)
	}
	for _, a := range args {
		if err := valueText(a.Name, a.Value); err != nil {
			return err
		}
	}
	return nil
}

func valueText(path string, v *ast.Value) *gqlerror.Error {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		if problem := cleantext.Problem(v.Raw); problem != "" {
			return badText(path, problem)
		}
	case ast.ListValue:
		for i, child := range v.Children {
			if err := valueText(path+"["+strconv.Itoa(i)+"]", child.Value); err != nil {
				return err
			}
		}
	case ast.ObjectValue:
		for _, child := range v.Children {
			if err := valueText(path+"."+child.Name, child.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

func badText(path, problem string) *gqlerror.Error {
	err := gqlerror.Errorf("%s %s", path, problem)
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT", "field": path}
	return err
}
