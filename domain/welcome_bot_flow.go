package domain

import (
	"context"
	"slices"
	"time"
)

// welcomeBotStep runs after a customer's message is stored, in the same
// transaction: on a new conversation's first message the routing rules
// decide first (a rule that sets a queue and stops leaves the bot out),
// then the welcome bot greets with its menu, reads the answer and routes
// the conversation. Without an enabled bot, a tapped reply naming a queue
// still routes (routeMenuReply). Nothing automatic speaks once a person
// holds or answered the conversation (botMaySpeak).
// known, when not nil, is the conversation as the message left it, read in
// this transaction with whether automation may act at all.
func (s *Service) welcomeBotStep(ctx context.Context, ch *Channel, conversationID string, msg *Message, known *InboundConversation) error {
	// Most messages arrive in conversations a person already holds or
	// answered: nothing automatic acts there (nor does routeMenuReply,
	// which needs a new, unassigned conversation), so stop before reading
	// the bot and the rules.
	var conv *Conversation
	var err error
	if known != nil {
		conv = known.Conversation
	} else if conv, err = s.store.FindConversation(ctx, conversationID); err != nil {
		return err
	}
	if !botMaySpeak(conv) {
		return nil
	}
	var bot *WelcomeBot
	var rules []*RoutingRule
	// A legacy number in redirect mode points customers elsewhere; the
	// switchboard works only on numbers that take conversations.
	if ch.Mode != ChannelModeRedirect && (known == nil || known.MayAutomate) {
		if bot, err = s.botFor(ctx, ch.ID); err != nil {
			return err
		}
		if rules, err = s.store.FindRoutingRules(ctx); err != nil {
			return err
		}
	}
	if bot == nil && len(rules) == 0 {
		return s.routeMenuReply(ctx, ch, conversationID, msg.Interactive)
	}
	st, err := s.store.FindBotState(ctx, conv.ID)
	first := ErrorCode(err) == CodeNotFound
	if first {
		st = &BotState{ConversationID: conv.ID, WorkspaceID: conv.WorkspaceID}
	} else if err != nil {
		return err
	}
	if st.Done {
		return nil
	}
	routed := false
	if first && len(rules) > 0 {
		matched, final, err := s.applyRules(ctx, rules, conv, msg)
		if err != nil {
			return err
		}
		routed = matched
		if matched {
			if conv, err = s.store.FindConversation(ctx, conversationID); err != nil {
				return err
			}
		}
		st.Done = final || bot == nil || !botMaySpeak(conv)
	}
	if bot == nil {
		st.Done = true
		if err := s.routeMenuReply(ctx, ch, conversationID, msg.Interactive); err != nil {
			return err
		}
	}
	if !st.Done && (first || msg.Type == MessageText || msg.Type == MessageInteractive || msg.Type == MessageButton) {
		// (A reaction or a sticker while the menu waits is no answer.)
		botCtx := WithActor(ctx, Actor{Kind: ActorBot, ID: BotWelcome})
		botRouted, err := s.botDecide(botCtx, bot, conv, st, msg, first)
		if err != nil {
			return err
		}
		routed = routed || botRouted
	}
	st.UpdatedAt = s.now()
	if err := s.store.SaveBotState(ctx, st); err != nil {
		return err
	}
	if routed {
		return s.afterRouting(ctx, conv.ID)
	}
	return nil
}

// botDecide takes one step of the bot for a message and reports whether
// it routed the conversation.
func (s *Service) botDecide(ctx context.Context, bot *WelcomeBot, conv *Conversation, st *BotState, msg *Message, first bool) (bool, error) {
	if first {
		if prev, err := s.stickyConversation(ctx, bot, conv); err != nil || prev != nil {
			if err != nil {
				return false, err
			}
			st.Done = true
			return true, s.routeConversation(ctx, bot, conv.ID, routeTarget{QueueID: prev.QueueID,
				AssigneeID: prev.AssigneeID, Decision: RoutingDecision{Reason: RoutedBySticky}})
		}
	}
	replyID := ""
	if msg.Interactive != nil {
		replyID = msg.Interactive.ReplyID
	}
	if i, by, ok := bot.understand(msg.Text, replyID, first); ok {
		o := bot.Options[i]
		reason := RoutedByMenu
		if first {
			reason = RoutedByKeyword
		}
		st.OptionKey, st.Done = o.Key, true
		return true, s.routeConversation(ctx, bot, conv.ID, routeTarget{QueueID: o.QueueID, TagIDs: o.TagIDs,
			Priority: o.Priority, Decision: RoutingDecision{MenuOption: o.Key, Reason: reason}, By: by})
	}
	if first {
		now := s.now()
		st.MenuSentAt = &now
		return false, s.botSendMenu(ctx, bot, conv.ID, bot.Greeting)
	}
	if st.Reprompts < bot.MaxReprompts {
		st.Reprompts++
		return false, s.botSendMenu(ctx, bot, conv.ID, botReprompt)
	}
	st.Done = true
	return true, s.routeConversation(ctx, bot, conv.ID, routeTarget{QueueID: bot.FallbackQueueID,
		Decision: RoutingDecision{Reason: RoutedByFallback}})
}

// stickyConversation returns the customer's previous conversation on the
// number when it closed within the bot's sticky period, else nil.
func (s *Service) stickyConversation(ctx context.Context, bot *WelcomeBot, conv *Conversation) (*Conversation, error) {
	if bot.StickyHours == 0 {
		return nil, nil
	}
	page, err := s.store.FindConversations(ctx, ConversationFilter{ContactID: conv.ContactID,
		ChannelID: conv.ChannelID, Status: []ConversationStatus{StatusClosed}},
		Visibility{All: true}, PageQuery{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		return nil, err
	}
	prev := page.Items[0]
	since := s.now().Add(-time.Duration(bot.StickyHours) * time.Hour)
	if prev.ID == conv.ID || prev.ClosedAt == nil || prev.ClosedAt.Before(since) {
		return nil, nil
	}
	return prev, nil
}

// routeTarget is where the bot (or a rule) sends a conversation.
type routeTarget struct {
	QueueID    string // "" keeps the queue
	TagIDs     []string
	Priority   Priority // "" keeps it
	AssigneeID string   // "" leaves it unassigned
	Decision   RoutingDecision
	By         string // how an answer was recognised, for the event
}

// routeConversation applies a routing decision as the acting automation,
// skipping what has vanished since the configuration was saved (a deleted
// queue, tag or deactivated agent), then tells an out-of-hours customer
// when the queue opens.
func (s *Service) routeConversation(ctx context.Context, bot *WelcomeBot, conversationID string, t routeTarget) error {
	if t.QueueID != "" {
		if _, err := s.store.FindQueue(ctx, t.QueueID); ErrorCode(err) == CodeNotFound {
			t.QueueID = ""
		} else if err != nil {
			return err
		}
	}
	tags, err := s.store.FindTagsByIDs(ctx, t.TagIDs)
	if err != nil {
		return err
	}
	if t.AssigneeID != "" {
		if u, err := s.store.FindUser(ctx, t.AssigneeID); ErrorCode(err) == CodeNotFound || (err == nil && !u.Active) {
			t.AssigneeID = ""
		} else if err != nil {
			return err
		}
	}
	var added []string
	conv, err := s.change(ctx, conversationID, func(p Principal, c *Conversation) (string, map[string]any, error) {
		from := c.QueueID
		if t.QueueID != "" {
			c.QueueID = t.QueueID
		}
		if t.Priority != "" {
			c.Priority = t.Priority
		}
		added = added[:0]
		for _, tag := range tags {
			if !slices.Contains(c.TagIDs, tag.ID) {
				c.TagIDs = append(c.TagIDs, tag.ID)
				added = append(added, tag.ID)
			}
		}
		slices.Sort(c.TagIDs)
		if t.AssigneeID != "" {
			c.AssigneeID, c.Status = t.AssigneeID, StatusOpen
		}
		d := t.Decision
		if d.RuleID == "" && c.Routing != nil {
			d.RuleID = c.Routing.RuleID // a rule that continued to the bot still placed it
		}
		c.Routing = &d
		return EventConversationRouted, map[string]any{"queue_id": c.QueueID, "from_queue_id": from,
			"reason": d.Reason, "menu_option": d.MenuOption, "rule_id": d.RuleID, "by": t.By,
			"tag_ids": append([]string{}, c.TagIDs...), "priority": string(c.Priority), "assignee_id": c.AssigneeID}, nil
	}, func(ctx context.Context) error {
		for _, id := range added {
			if err := s.store.AddConversationTag(ctx, conversationID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || bot == nil || conv.AssigneeID != "" {
		return err
	}
	sched, err := s.queueSchedule(ctx, conv.QueueID)
	if err != nil {
		return err
	}
	if text := outOfHoursText(bot.OutOfHoursMessage, sched, s.now()); text != "" {
		return s.botSend(ctx, conversationID, &Message{Type: MessageText, Text: text})
	}
	return nil
}

func (s *Service) botSendMenu(ctx context.Context, bot *WelcomeBot, conversationID, body string) error {
	draft, err := bot.menuDraft(body)
	if err != nil {
		return err
	}
	return s.botSend(ctx, conversationID, draft)
}

// botSend queues a bot message through the outbound path. It is
// best-effort: a rule refusing it (the window closed on a stale
// redelivery) must not undo the customer's message; database failures
// still abort, so the delivery is retried.
func (s *Service) botSend(ctx context.Context, conversationID string, draft *Message) error {
	_, err := s.send(ctx, conversationID, draft, "", BotWelcome)
	if code := ErrorCode(err); code == CodeInternal || code == CodeUnavailable {
		return err
	}
	return nil
}
