package domain

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// WelcomeBot is the first-level bot: a greeting and a menu of options, each
// sending the customer to a queue with tags and a priority. A workspace has
// one (ChannelID ""); a channel may override it with its own.
type WelcomeBot struct {
	WorkspaceID     string
	ChannelID       string // "" for the workspace's bot
	Enabled         bool
	Greeting        string
	Style           string // BotStyleText, BotStyleButtons or BotStyleList
	Options         []BotOption
	FallbackQueueID string // "" leaves an unclear customer where they landed
	MaxReprompts    int
	StickyHours     int
	// OutOfHoursMessage is sent when the chosen queue is closed;
	// {next_opening} becomes its next opening ("lunes 09:00").
	OutOfHoursMessage string
	UpdatedAt         time.Time
}

// BotOption is one menu entry. Key is its reply id on buttons and lists.
type BotOption struct {
	Key      string
	Title    string
	QueueID  string
	TagIDs   []string
	Priority Priority // "" keeps the conversation's priority
	Keywords []string
}

// Menu styles: numbered text lines, reply buttons (up to 3) or a list (up
// to 10 rows).
const (
	BotStyleText    = "text"
	BotStyleButtons = "buttons"
	BotStyleList    = "list"
)

// Bounds of a welcome bot's configuration beyond Meta's own limits.
const (
	maxBotOptions     = 10
	maxBotOptionKey   = 64
	maxBotTextTitle   = 100
	maxBotKeywords    = 30
	maxBotKeyword     = 60
	maxBotReprompts   = 5
	maxBotStickyHours = 24 * 90
	maxBotMessage     = 1024
	defaultReprompts  = 2
)

// WelcomeBotStore persists welcome bots and each conversation's progress
// through the menu.
type WelcomeBotStore interface {
	// FindWelcomeBot returns the workspace's bot (channelID "") or the
	// channel's override; not_found when none was saved.
	FindWelcomeBot(ctx context.Context, channelID string) (*WelcomeBot, error)
	// SaveWelcomeBot creates or replaces it.
	SaveWelcomeBot(ctx context.Context, b *WelcomeBot) error
	// DeleteWelcomeBot removes a channel's override; not_found when none.
	DeleteWelcomeBot(ctx context.Context, channelID string) error
	// FindBotState returns a conversation's menu progress; not_found
	// before the bot first looked at it.
	FindBotState(ctx context.Context, conversationID string) (*BotState, error)
	SaveBotState(ctx context.Context, st *BotState) error
}

// DefaultWelcomeBot is what a workspace that never configured its bot
// has: disabled, with an empty menu.
func DefaultWelcomeBot(workspaceID string) *WelcomeBot {
	return &WelcomeBot{WorkspaceID: workspaceID, Style: BotStyleText, Options: []BotOption{},
		MaxReprompts: defaultReprompts}
}

// WelcomeBot returns the workspace's bot configuration (channelID "") or
// a channel's override. The workspace always has one (disabled until
// configured); a channel without an override is not_found.
// Errors: forbidden (not an admin), not_found.
func (s *Service) WelcomeBot(ctx context.Context, channelID string) (*WelcomeBot, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if channelID != "" {
		if _, err := s.Channel(ctx, channelID); err != nil {
			return nil, err
		}
	}
	b, err := s.store.FindWelcomeBot(ctx, channelID)
	if ErrorCode(err) == CodeNotFound && channelID == "" {
		return DefaultWelcomeBot(p.WorkspaceID), nil
	}
	return b, err
}

// SaveWelcomeBot replaces the workspace's bot (channelID "") or sets a
// channel's override. Errors: forbidden, not_found (channel), invalid
// naming the field; nothing is written then.
func (s *Service) SaveWelcomeBot(ctx context.Context, channelID string, in WelcomeBot) (*WelcomeBot, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if channelID != "" {
		if _, err := s.Channel(ctx, channelID); err != nil {
			return nil, err
		}
	}
	b := in
	b.WorkspaceID, b.ChannelID, b.UpdatedAt = p.WorkspaceID, channelID, s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.validateWelcomeBot(ctx, &b); err != nil {
			return err
		}
		if err := s.store.SaveWelcomeBot(ctx, &b); err != nil {
			return err
		}
		subject := channelID
		if subject == "" {
			subject = p.WorkspaceID // the workspace's own bot
		}
		return s.record(ctx, EventWelcomeBotUpdated, subject, map[string]any{"channel_id": channelID})
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// DeleteWelcomeBot removes a channel's override: the workspace's bot
// applies to the channel again. Errors: forbidden, not_found.
func (s *Service) DeleteWelcomeBot(ctx context.Context, channelID string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if _, err := s.Channel(ctx, channelID); err != nil {
		return err
	}
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.DeleteWelcomeBot(ctx, channelID) },
		EventWelcomeBotDeleted, channelID, map[string]any{"channel_id": channelID})
}

// botFor returns the bot that speaks on a channel: its override, else the
// workspace's; nil when neither is enabled.
func (s *Service) botFor(ctx context.Context, channelID string) (*WelcomeBot, error) {
	for _, id := range []string{channelID, ""} {
		b, err := s.store.FindWelcomeBot(ctx, id)
		if ErrorCode(err) == CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !b.Enabled || len(b.Options) == 0 {
			return nil, nil
		}
		return b, nil
	}
	return nil, nil
}

// validateWelcomeBot checks a configuration and tidies it (trimmed text,
// default priority). Errors: invalid, naming the field.
func (s *Service) validateWelcomeBot(ctx context.Context, b *WelcomeBot) error {
	b.Greeting = strings.TrimSpace(b.Greeting)
	b.OutOfHoursMessage = strings.TrimSpace(b.OutOfHoursMessage)
	if b.Style == "" {
		b.Style = BotStyleText
	}
	if err := validateBotShape(b); err != nil {
		return err
	}
	if err := s.requireQueue(ctx, "fallback_queue_id", b.FallbackQueueID); err != nil {
		return err
	}
	for i, o := range b.Options {
		f := fmt.Sprintf("options[%d]", i)
		if o.QueueID == "" {
			return FieldError(f+".queue_id", "%s.queue_id is required", f)
		}
		if err := s.requireQueue(ctx, f+".queue_id", o.QueueID); err != nil {
			return err
		}
		if err := checkIDs(f+".tag_ids", PrefixTag, o.TagIDs); err != nil {
			return err
		}
		tags, err := s.store.FindTagsByIDs(ctx, o.TagIDs)
		if err != nil {
			return err
		}
		if len(tags) != len(o.TagIDs) {
			return FieldError(f+".tag_ids", "%s.tag_ids names a tag that does not exist in this workspace", f)
		}
	}
	return nil
}

// validateBotShape checks what needs no lookup: style, lengths, Meta's
// limits for the style, unique keys, bounds.
func validateBotShape(b *WelcomeBot) error {
	if b.Style != BotStyleText && b.Style != BotStyleButtons && b.Style != BotStyleList {
		return FieldError("style", "style must be %q, %q or %q", BotStyleText, BotStyleButtons, BotStyleList)
	}
	bodyMax := MaxListBody
	if b.Style == BotStyleButtons {
		bodyMax = MaxButtonsBody
	}
	if err := lengthError("greeting", b.Greeting, b.Enabled, bodyMax); err != nil {
		return err
	}
	if err := lengthError("out_of_hours_message", b.OutOfHoursMessage, false, maxBotMessage); err != nil {
		return err
	}
	if b.MaxReprompts < 0 || b.MaxReprompts > maxBotReprompts {
		return FieldError("max_reprompts", "max_reprompts must be between 0 and %d", maxBotReprompts)
	}
	if b.StickyHours < 0 || b.StickyHours > maxBotStickyHours {
		return FieldError("sticky_hours", "sticky_hours must be between 0 and %d", maxBotStickyHours)
	}
	if b.Enabled && len(b.Options) == 0 {
		return FieldError("options", "an enabled bot needs at least one option")
	}
	maxOptions, titleMax := maxBotOptions, maxBotTextTitle
	switch b.Style {
	case BotStyleButtons:
		maxOptions, titleMax = MaxReplyButtons, MaxReplyButtonTitle
	case BotStyleList:
		maxOptions, titleMax = MaxListRows, MaxListRowTitle
	}
	if len(b.Options) > maxOptions {
		return FieldError("options", "a %s menu has at most %d options, got %d", b.Style, maxOptions, len(b.Options))
	}
	keys, titles := map[string]bool{}, map[string]bool{}
	for i := range b.Options {
		o := &b.Options[i]
		f := fmt.Sprintf("options[%d]", i)
		o.Key, o.Title = strings.TrimSpace(o.Key), strings.TrimSpace(o.Title)
		if err := lengthError(f+".key", o.Key, true, maxBotOptionKey); err != nil {
			return err
		}
		if keys[o.Key] {
			return FieldError(f+".key", "key %q is used twice; keys must be unique", o.Key)
		}
		if err := lengthError(f+".title", o.Title, true, titleMax); err != nil {
			return err
		}
		if titles[strings.ToLower(o.Title)] {
			return FieldError(f+".title", "title %q is used twice; titles must be unique", o.Title)
		}
		keys[o.Key], titles[strings.ToLower(o.Title)] = true, true
		if o.Priority != "" && !o.Priority.Valid() {
			return FieldError(f+".priority", "priority must be low, normal, high or urgent")
		}
		if len(o.Keywords) > maxBotKeywords {
			return FieldError(f+".keywords", "at most %d keywords", maxBotKeywords)
		}
		for j, k := range o.Keywords {
			if err := lengthError(fmt.Sprintf("%s.keywords[%d]", f, j), strings.TrimSpace(k), true, maxBotKeyword); err != nil {
				return err
			}
		}
		if o.TagIDs == nil {
			o.TagIDs = []string{}
		}
		o.TagIDs = uniqueStrings(o.TagIDs)
		if o.Keywords == nil {
			o.Keywords = []string{}
		}
	}
	if b.Options == nil {
		b.Options = []BotOption{}
	}
	return nil
}
