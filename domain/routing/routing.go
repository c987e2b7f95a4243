// Package routing evaluates a workspace's ordered routing rules against
// the facts of a customer's message. It is pure: the domain service loads
// the rules, gathers the facts, and applies the outcome.
package routing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/centralita/centralita/domain/menu"
)

// Condition kinds. A rule matches when all its conditions do.
const (
	MenuOption    = "menu_option"    // Value: the welcome bot option's key
	Keyword       = "keyword"        // Value: a word or phrase, any case, accents ignored
	Regex         = "regex"          // Value: an RE2 pattern over the message text
	BusinessHours = "business_hours" // Value: "open" or "closed"
	Country       = "country"        // Value: ISO 3166 alpha-2 of the sender's number
	ChannelID     = "channel_id"     // Value: the number the message came to
	TagID         = "tag_id"         // Value: a tag the contact has
	AdSource      = "ad_source"      // Value: the Click-to-WhatsApp ad id, or "*" for any ad
)

// Action kinds.
const (
	SetQueue    = "set_queue"
	AddTags     = "add_tags"
	SetPriority = "set_priority"
	AssignAgent = "assign_agent"
	AutoReply   = "auto_reply"
)

// MaxPattern bounds a regular expression's length. RE2 runs in time linear
// in the text, so no pattern backtracks catastrophically; the bound keeps
// compiled programs small.
const MaxPattern = 200

// Condition is one test of a rule.
type Condition struct {
	Kind  string
	Value string
}

// Action is one effect of a rule; the field its Kind names is set.
type Action struct {
	Kind     string
	QueueID  string
	TagIDs   []string
	Priority string
	AgentID  string
	Text     string
}

// Rule is one entry of the ordered list. Continue lets later rules run
// after this one matched; by default a match stops the evaluation.
type Rule struct {
	ID         string
	Conditions []Condition
	Actions    []Action
	Continue   bool
}

// Facts are what a rule can look at.
type Facts struct {
	ChannelID  string
	Text       string
	MenuOption string
	Open       bool // the landing queue's business hours are open
	Country    string
	TagIDs     []string
	AdSource   string // the ad id the message came from; "" when none
}

// Step is one rule tested, for explanations.
type Step struct {
	RuleID  string
	Matched bool
	// Reason says why it did not match (the first failing condition) or
	// what it did.
	Reason string
	// Stopped is set on the rule that ended the evaluation.
	Stopped bool
}

// Outcome is where the rules send a message. RuleID is the last matching
// rule that set the queue (or, when none did, the last matching rule).
type Outcome struct {
	QueueID  string
	TagIDs   []string
	Priority string
	AgentID  string
	Replies  []string
	RuleID   string
	Stopped  bool
	Steps    []Step
}

// Matched reports whether any rule matched.
func (o Outcome) Matched() bool { return o.RuleID != "" }

// Evaluate tests the rules in order and gathers the actions of those that
// match, until one that does not continue. A rule with a condition that
// cannot be evaluated (a pattern that does not compile) does not match.
func Evaluate(rules []Rule, f Facts) Outcome {
	var out Outcome
	for _, r := range rules {
		ok, why := matches(r.Conditions, f)
		step := Step{RuleID: r.ID, Matched: ok, Reason: why}
		if ok {
			apply(&out, r)
			step.Stopped = !r.Continue
		}
		out.Steps = append(out.Steps, step)
		if step.Stopped {
			out.Stopped = true
			break
		}
	}
	return out
}

func apply(out *Outcome, r Rule) {
	if out.RuleID == "" {
		out.RuleID = r.ID
	}
	for _, a := range r.Actions {
		switch a.Kind {
		case SetQueue:
			out.QueueID, out.RuleID = a.QueueID, r.ID
		case AddTags:
			for _, t := range a.TagIDs {
				if !slices.Contains(out.TagIDs, t) {
					out.TagIDs = append(out.TagIDs, t)
				}
			}
		case SetPriority:
			out.Priority = a.Priority
		case AssignAgent:
			out.AgentID = a.AgentID
		case AutoReply:
			out.Replies = append(out.Replies, a.Text)
		}
	}
}

func matches(conds []Condition, f Facts) (bool, string) {
	for i, c := range conds {
		if !holds(c, f) {
			return false, fmt.Sprintf("conditions[%d] %s %q did not match", i, c.Kind, c.Value)
		}
	}
	return true, "matched"
}

func holds(c Condition, f Facts) bool {
	switch c.Kind {
	case MenuOption:
		return f.MenuOption != "" && f.MenuOption == c.Value
	case Keyword:
		k := menu.Normalize(c.Value)
		return k != "" && strings.Contains(" "+menu.Normalize(f.Text)+" ", " "+k+" ")
	case Regex:
		re, err := CompilePattern(c.Value)
		return err == nil && re.MatchString(f.Text)
	case BusinessHours:
		return (c.Value == "open") == f.Open
	case Country:
		return f.Country != "" && strings.EqualFold(f.Country, c.Value)
	case ChannelID:
		return f.ChannelID == c.Value
	case TagID:
		return slices.Contains(f.TagIDs, c.Value)
	case AdSource:
		return f.AdSource != "" && (c.Value == "*" || c.Value == f.AdSource)
	}
	return false
}

// CompilePattern compiles a rule's regular expression, refusing one
// longer than MaxPattern.
func CompilePattern(p string) (*regexp.Regexp, error) {
	if len(p) > MaxPattern {
		return nil, fmt.Errorf("the pattern has %d characters; at most %d are allowed", len(p), MaxPattern)
	}
	return regexp.Compile(p)
}

// HasCondition reports whether a rule tests kind.
func (r Rule) HasCondition(kind string) bool {
	return slices.ContainsFunc(r.Conditions, func(c Condition) bool { return c.Kind == kind })
}
