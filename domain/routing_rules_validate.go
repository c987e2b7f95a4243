package domain

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/centralita/centralita/domain/routing"
)

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

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
