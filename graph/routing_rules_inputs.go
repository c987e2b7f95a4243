package graph

import (
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/routing"
	"github.com/centralita/centralita/graph/model"
)

func routingRuleModel(r *domain.RoutingRule) *model.RoutingRule {
	out := &model.RoutingRule{ID: r.ID, Name: r.Name, Position: r.Position, Continue: r.Continue,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Conditions: make([]*model.RuleCondition, len(r.Conditions)),
		Actions: make([]*model.RuleAction, len(r.Actions))}
	for i, c := range r.Conditions {
		out.Conditions[i] = &model.RuleCondition{Type: c.Kind, Value: c.Value}
	}
	for i, a := range r.Actions {
		ra := &model.RuleAction{Type: a.Kind, QueueID: optional(a.QueueID), TagIds: append([]string{}, a.TagIDs...),
			AgentID: optional(a.AgentID), Text: optional(a.Text)}
		if a.Priority != "" {
			p := domain.Priority(a.Priority)
			ra.Priority = &p
		}
		out.Actions[i] = ra
	}
	return out
}

func ruleConditionsInput(in []*model.RuleConditionInput) *[]routing.Condition {
	if in == nil {
		return nil
	}
	out := make([]routing.Condition, len(in))
	for i, c := range in {
		out[i] = routing.Condition{Kind: c.Type, Value: c.Value}
	}
	return &out
}

func ruleActionsInput(in []*model.RuleActionInput) *[]routing.Action {
	if in == nil {
		return nil
	}
	out := make([]routing.Action, len(in))
	for i, a := range in {
		out[i] = routing.Action{Kind: a.Type, QueueID: deref(a.QueueID), TagIDs: a.TagIds,
			AgentID: deref(a.AgentID), Text: deref(a.Text)}
		if a.Priority != nil {
			out[i].Priority = string(*a.Priority)
		}
	}
	return &out
}

func explanationModel(ex *domain.RoutingExplanation) *model.RoutingExplanation {
	out := &model.RoutingExplanation{QueueID: ex.QueueID, TagIds: append([]string{}, ex.TagIDs...),
		Priority: ex.Priority, RuleID: optional(ex.RuleID), MenuOption: optional(ex.MenuOption),
		Steps: make([]*model.ExplainStep, len(ex.Steps))}
	for i, s := range ex.Steps {
		out.Steps[i] = &model.ExplainStep{Kind: s.Kind, RuleID: optional(s.RuleID), Matched: s.Matched,
			Stopped: s.Stopped, Reason: s.Reason}
	}
	return out
}
