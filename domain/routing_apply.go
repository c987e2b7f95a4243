package domain

import (
	"context"
	"slices"
	"time"

	"github.com/centralita/centralita/domain/routing"
)

// BotRoutingRule is the author id of a routing rule's auto-reply.
const BotRoutingRule = "routing_rule"

// RoutedByRule is the routing reason of a conversation a rule placed.
const RoutedByRule = "rule"

func rulesForEvaluation(rules []*RoutingRule) []routing.Rule {
	out := make([]routing.Rule, len(rules))
	for i, r := range rules {
		out[i] = routing.Rule{ID: r.ID, Conditions: r.Conditions, Actions: r.Actions, Continue: r.Continue}
	}
	return out
}

// routingFacts gathers what rules look at for a message from a contact to
// a number whose conversation would sit in queueID.
func (s *Service) routingFacts(ctx context.Context, channelID, queueID string, contact *Contact, text string, referral *Referral, at time.Time) (routing.Facts, error) {
	f := routing.Facts{ChannelID: channelID, Text: text, Open: true}
	sched, err := s.queueSchedule(ctx, queueID)
	if err != nil {
		return f, err
	}
	if sched != nil {
		f.Open = sched.IsOpen(at)
	}
	if contact != nil {
		f.TagIDs = contact.TagIDs
		if s.opts.PhoneCountry != nil && contact.WaID != "" {
			f.Country = s.opts.PhoneCountry(contact.WaID)
		}
	}
	if referral != nil {
		f.AdSource = referral.SourceID
	}
	return f, nil
}

// applyRules evaluates the workspace's rules on a new conversation's first
// message and applies what they decide, as the deciding rule. It reports
// whether a rule set the queue and stopped: then the bot stays out.
func (s *Service) applyRules(ctx context.Context, rules []*RoutingRule, conv *Conversation, msg *Message) (bool, bool, error) {
	contact, err := s.store.FindContact(ctx, conv.ContactID)
	if err != nil {
		return false, false, err
	}
	facts, err := s.routingFacts(ctx, conv.ChannelID, conv.QueueID, contact, msg.Text, msg.Referral, s.now())
	if err != nil {
		return false, false, err
	}
	out := routing.Evaluate(rulesForEvaluation(rules), facts)
	if !out.Matched() {
		return false, false, nil
	}
	ctx = WithActor(ctx, Actor{Kind: ActorRule, ID: out.RuleID})
	err = s.routeConversation(ctx, nil, conv.ID, routeTarget{QueueID: out.QueueID, TagIDs: out.TagIDs,
		Priority: Priority(out.Priority), AssigneeID: out.AgentID,
		Decision: RoutingDecision{RuleID: out.RuleID, Reason: RoutedByRule}})
	if err != nil {
		return false, false, err
	}
	for _, text := range out.Replies {
		if _, err := s.send(ctx, conv.ID, &Message{Type: MessageText, Text: text}, "", BotRoutingRule); err != nil {
			if code := ErrorCode(err); code == CodeInternal || code == CodeUnavailable {
				return false, false, err
			}
		}
	}
	return true, out.Stopped && out.QueueID != "", nil
}

// ExplainInput is a hypothetical message: a sender writing text to a
// number at an instant (zero: now).
type ExplainInput struct {
	ChannelID string
	From      string
	Text      string
	At        time.Time
}

// ExplainStep is one thing tested: a rule (RuleID set) or the welcome bot.
type ExplainStep struct {
	Kind    string // "rule" or "welcome_bot"
	RuleID  string
	Matched bool
	Stopped bool
	Reason  string
}

// RoutingExplanation is where a message would go and why.
type RoutingExplanation struct {
	QueueID    string
	TagIDs     []string
	Priority   Priority
	RuleID     string
	MenuOption string
	Steps      []ExplainStep
}

// ExplainRouting says where a new conversation's first message would go:
// the rules, then the welcome bot's keywords, then the landing queue. It
// writes nothing (admins). Errors: forbidden, invalid (channel_id, from).
func (s *Service) ExplainRouting(ctx context.Context, in ExplainInput) (*RoutingExplanation, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if in.ChannelID == "" {
		return nil, FieldError("channel_id", "channel_id is required")
	}
	ch, err := s.Channel(ctx, in.ChannelID)
	if ErrorCode(err) == CodeNotFound {
		return nil, FieldError("channel_id", "no channel %s in this workspace", in.ChannelID)
	} else if err != nil {
		return nil, err
	}
	from := normalizeWaID(in.From)
	if from == "" {
		return nil, FieldError("from", "from is the sender's number, digits with an optional +")
	}
	if in.At.IsZero() {
		in.At = s.now()
	}
	landed := NewConversation{ChannelID: ch.ID}
	if err := s.land(ctx, &landed); err != nil {
		return nil, err
	}
	contact, err := s.store.FindContactByWaID(ctx, from)
	if ErrorCode(err) == CodeNotFound {
		contact, err = &Contact{WaID: from}, nil
	}
	if err != nil {
		return nil, err
	}
	facts, err := s.routingFacts(ctx, ch.ID, landed.QueueID, contact, in.Text, nil, in.At)
	if err != nil {
		return nil, err
	}
	rules, err := s.store.FindRoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	out := routing.Evaluate(rulesForEvaluation(rules), facts)
	ex := &RoutingExplanation{QueueID: landed.QueueID, TagIDs: append([]string{}, out.TagIDs...),
		Priority: PriorityNormal, RuleID: out.RuleID}
	for _, st := range out.Steps {
		ex.Steps = append(ex.Steps, ExplainStep{Kind: "rule", RuleID: st.RuleID, Matched: st.Matched,
			Stopped: st.Stopped, Reason: st.Reason})
	}
	if out.QueueID != "" {
		ex.QueueID = out.QueueID
	}
	if out.Priority != "" {
		ex.Priority = Priority(out.Priority)
	}
	if out.Stopped && out.QueueID != "" {
		return ex, nil
	}
	var bot *WelcomeBot
	if ch.Mode != ChannelModeRedirect {
		if bot, err = s.botFor(ctx, ch.ID); err != nil {
			return nil, err
		}
	}
	if bot == nil {
		return ex, nil
	}
	step := ExplainStep{Kind: "welcome_bot", Reason: "no option's keywords or title: the bot would send the menu"}
	if i, by, ok := bot.understand(in.Text, "", true); ok {
		o := bot.Options[i]
		step.Matched, step.Stopped = true, true
		step.Reason = "option " + o.Key + " recognised by its " + by
		ex.MenuOption, ex.QueueID = o.Key, o.QueueID
		for _, t := range o.TagIDs {
			if !slices.Contains(ex.TagIDs, t) {
				ex.TagIDs = append(ex.TagIDs, t)
			}
		}
		if o.Priority != "" {
			ex.Priority = o.Priority
		}
	}
	ex.Steps = append(ex.Steps, step)
	return ex, nil
}

// normalizeWaID turns "+52 55 1234-5678" into "525512345678"; "" when it
// is not a plausible number.
func normalizeWaID(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return ""
		}
	}
	if len(b) < 6 || len(b) > 15 {
		return ""
	}
	return string(b)
}
