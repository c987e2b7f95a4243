package domain

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain/routing"
)

// PrefixRoutingRule prefixes routing rule ids.
const PrefixRoutingRule = "rul"

// RoutingRule is one entry of the workspace's ordered routing list: when
// all its conditions hold for a new conversation's first message, its
// actions apply; it stops the list unless Continue.
type RoutingRule struct {
	ID          string
	WorkspaceID string
	Name        string
	Position    int
	Conditions  []routing.Condition
	Actions     []routing.Action
	Continue    bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RoutingRuleInput creates or changes a rule; nil fields are left as they
// are (on create: Position at the end, no conditions).
type RoutingRuleInput struct {
	Name       *string
	Position   *int
	Conditions *[]routing.Condition
	Actions    *[]routing.Action
	Continue   *bool
}

// RoutingRuleStore persists routing rules.
type RoutingRuleStore interface {
	CreateRoutingRule(ctx context.Context, r *RoutingRule) error
	FindRoutingRule(ctx context.Context, id string) (*RoutingRule, error)
	// FindRoutingRules orders by position, then creation.
	FindRoutingRules(ctx context.Context) ([]*RoutingRule, error)
	UpdateRoutingRule(ctx context.Context, r *RoutingRule) error
	DeleteRoutingRule(ctx context.Context, id string) error
}

const (
	maxRoutingRules      = 200
	maxRuleConditions    = 20
	maxRuleActions       = 10
	maxRuleAutoReply     = 1024
	maxRuleConditionText = 200
)

// RoutingRules lists the workspace's rules in order (admins).
func (s *Service) RoutingRules(ctx context.Context) ([]*RoutingRule, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.FindRoutingRules(ctx)
}

// RoutingRule returns one rule (admins). Errors: forbidden, not_found.
func (s *Service) RoutingRule(ctx context.Context, id string) (*RoutingRule, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixRoutingRule, id) {
		return nil, NotFound("routing rule")
	}
	return s.store.FindRoutingRule(ctx, id)
}

// CreateRoutingRule adds a rule (admins), by default at the end of the
// list. Errors: forbidden, invalid naming the field.
func (s *Service) CreateRoutingRule(ctx context.Context, in RoutingRuleInput) (*RoutingRule, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, FieldError("name", "name is required")
	}
	if in.Actions == nil {
		return nil, FieldError("actions", "actions is required")
	}
	now := s.now()
	r := &RoutingRule{ID: NewID(PrefixRoutingRule), WorkspaceID: p.WorkspaceID, CreatedAt: now, UpdatedAt: now,
		Conditions: []routing.Condition{}}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		rules, err := s.store.FindRoutingRules(ctx)
		if err != nil {
			return err
		}
		if len(rules) >= maxRoutingRules {
			return Errorf(CodeConflict, "a workspace has at most %d routing rules", maxRoutingRules)
		}
		r.Position = 1
		if n := len(rules); n > 0 {
			r.Position = rules[n-1].Position + 1
		}
		if err := s.applyRuleInput(ctx, r, in); err != nil {
			return err
		}
		if err := s.store.CreateRoutingRule(ctx, r); err != nil {
			return err
		}
		return s.record(ctx, EventRoutingRuleCreated, r.ID, map[string]any{"rule_id": r.ID})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateRoutingRule changes a rule (admins). Errors: forbidden,
// not_found, invalid.
func (s *Service) UpdateRoutingRule(ctx context.Context, id string, in RoutingRuleInput) (*RoutingRule, error) {
	var r *RoutingRule
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.RoutingRule(ctx, id); err != nil {
			return err
		}
		if err := s.applyRuleInput(ctx, r, in); err != nil {
			return err
		}
		r.UpdatedAt = s.now()
		if err := s.store.UpdateRoutingRule(ctx, r); err != nil {
			return err
		}
		return s.record(ctx, EventRoutingRuleUpdated, r.ID, map[string]any{"rule_id": r.ID})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteRoutingRule removes a rule (admins). Errors: forbidden, not_found.
func (s *Service) DeleteRoutingRule(ctx context.Context, id string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.RoutingRule(ctx, id); err != nil {
			return err
		}
		if err := s.store.DeleteRoutingRule(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, EventRoutingRuleDeleted, id, map[string]any{"rule_id": id})
	})
}

func (s *Service) applyRuleInput(ctx context.Context, r *RoutingRule, in RoutingRuleInput) error {
	var err error
	if in.Name != nil {
		if r.Name, err = validateName("name", *in.Name, 120); err != nil {
			return err
		}
	}
	if in.Position != nil {
		if *in.Position < 1 || *in.Position > 10000 {
			return FieldError("position", "position must be between 1 and 10000")
		}
		r.Position = *in.Position
	}
	if in.Continue != nil {
		r.Continue = *in.Continue
	}
	if in.Conditions != nil {
		r.Conditions = append([]routing.Condition{}, (*in.Conditions)...)
	}
	if in.Actions != nil {
		r.Actions = append([]routing.Action{}, (*in.Actions)...)
	}
	if err := s.validateConditions(ctx, r.Conditions); err != nil {
		return err
	}
	return s.validateActions(ctx, r.Actions)
}
