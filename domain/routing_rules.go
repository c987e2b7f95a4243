package domain

import (
	"context"
	"fmt"
	"regexp"
	"strings"
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

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

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
		return s.record(ctx, "routing_rule.created", r.ID, map[string]any{"rule_id": r.ID})
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
		return s.record(ctx, "routing_rule.updated", r.ID, map[string]any{"rule_id": r.ID})
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
		return s.record(ctx, "routing_rule.deleted", id, map[string]any{"rule_id": id})
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

func (s *Service) validateConditions(ctx context.Context, conds []routing.Condition) error {
	if len(conds) > maxRuleConditions {
		return FieldError("conditions", "at most %d conditions", maxRuleConditions)
	}
	for i := range conds {
		c := &conds[i]
		f := fmt.Sprintf("conditions[%d]", i)
		if c.Kind != routing.Regex {
			c.Value = strings.TrimSpace(c.Value)
		}
		if c.Value == "" {
			return FieldError(f+".value", "%s.value is required", f)
		}
		if err := lengthError(f+".value", c.Value, true, maxRuleConditionText); err != nil {
			return err
		}
		switch c.Kind {
		case routing.MenuOption, routing.Keyword, routing.AdSource:
		case routing.Regex:
			if _, err := routing.CompilePattern(c.Value); err != nil {
				return FieldError(f+".value", "the pattern is not a valid RE2 regular expression: %v", err)
			}
		case routing.BusinessHours:
			if c.Value != "open" && c.Value != "closed" {
				return FieldError(f+".value", "business_hours is %q or %q", "open", "closed")
			}
		case routing.Country:
			c.Value = strings.ToUpper(c.Value)
			if !countryCode.MatchString(c.Value) {
				return FieldError(f+".value", "country is an ISO 3166 alpha-2 code such as MX")
			}
		case routing.ChannelID:
			if _, err := s.Channel(ctx, c.Value); ErrorCode(err) == CodeNotFound {
				return FieldError(f+".value", "no channel %s in this workspace", c.Value)
			} else if err != nil {
				return err
			}
		case routing.TagID:
			if err := s.requireTags(ctx, f+".value", []string{c.Value}); err != nil {
				return err
			}
		default:
			return FieldError(f+".type", "unknown condition type %q", c.Kind)
		}
	}
	return nil
}

func (s *Service) validateActions(ctx context.Context, actions []routing.Action) error {
	if len(actions) == 0 || len(actions) > maxRuleActions {
		return FieldError("actions", "a rule has 1 to %d actions", maxRuleActions)
	}
	queueID := ""
	for _, a := range actions {
		if a.Kind == routing.SetQueue {
			queueID = a.QueueID
		}
	}
	for i := range actions {
		a := &actions[i]
		f := fmt.Sprintf("actions[%d]", i)
		switch a.Kind {
		case routing.SetQueue:
			if a.QueueID == "" {
				return FieldError(f+".queue_id", "%s.queue_id is required", f)
			}
			if err := s.requireQueue(ctx, f+".queue_id", a.QueueID); err != nil {
				return err
			}
		case routing.AddTags:
			if len(a.TagIDs) == 0 {
				return FieldError(f+".tag_ids", "%s.tag_ids is required", f)
			}
			a.TagIDs = uniqueStrings(a.TagIDs)
			if err := s.requireTags(ctx, f+".tag_ids", a.TagIDs); err != nil {
				return err
			}
		case routing.SetPriority:
			if !Priority(a.Priority).Valid() {
				return FieldError(f+".priority", "priority must be low, normal, high or urgent")
			}
		case routing.AssignAgent:
			if err := s.requireQueueMember(ctx, f+".agent_id", a.AgentID, queueID); err != nil {
				return err
			}
		case routing.AutoReply:
			a.Text = strings.TrimSpace(a.Text)
			if err := lengthError(f+".text", a.Text, true, maxRuleAutoReply); err != nil {
				return err
			}
		default:
			return FieldError(f+".type", "unknown action type %q", a.Kind)
		}
	}
	return nil
}

// requireTags checks that every id names a tag of the workspace.
func (s *Service) requireTags(ctx context.Context, field string, ids []string) error {
	if err := checkIDs(field, PrefixTag, ids); err != nil {
		return err
	}
	tags, err := s.store.FindTagsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	if len(tags) != len(uniqueStrings(ids)) {
		return FieldError(field, "%s names a tag that does not exist in this workspace", field)
	}
	return nil
}

// requireQueueMember checks that a rule's agent is an active member of the
// queue the same rule sets.
func (s *Service) requireQueueMember(ctx context.Context, field, userID, queueID string) error {
	if queueID == "" {
		return FieldError(field, "assign_agent needs a set_queue action in the same rule: the agent must be a member of that queue")
	}
	u, err := s.store.FindUser(ctx, userID)
	if ErrorCode(err) == CodeNotFound || (err == nil && !u.Active) {
		return FieldError(field, "no active user %s in this workspace", userID)
	}
	if err != nil {
		return err
	}
	for _, q := range u.QueueIDs {
		if q == queueID {
			return nil
		}
	}
	return FieldError(field, "the agent is not a member of queue %s", queueID)
}
