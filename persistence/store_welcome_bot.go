package persistence

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/centralita/centralita/domain"
)

type botOptionJSON struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	QueueID  string   `json:"queue_id"`
	TagIDs   []string `json:"tag_ids"`
	Priority string   `json:"priority"`
	Keywords []string `json:"keywords"`
}

// welcomeBotJSON is the stored configuration; the menu is read and written
// whole, so one JSON column keeps it.
type welcomeBotJSON struct {
	Enabled           bool            `json:"enabled"`
	Greeting          string          `json:"greeting"`
	Style             string          `json:"style"`
	Options           []botOptionJSON `json:"options"`
	FallbackQueueID   string          `json:"fallback_queue_id"`
	MaxReprompts      int             `json:"max_reprompts"`
	StickyHours       int             `json:"sticky_hours"`
	OutOfHoursMessage string          `json:"out_of_hours_message"`
}

type welcomeBotRow struct {
	WorkspaceID string                     `gorm:"column:workspace_id;primaryKey"`
	ChannelID   string                     `gorm:"column:channel_id;primaryKey"`
	Config      jsonColumn[welcomeBotJSON] `gorm:"column:config"`
	UpdatedAt   utcTime                    `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (welcomeBotRow) TableName() string { return "welcome_bots" }

func welcomeBotFromDomain(b *domain.WelcomeBot) welcomeBotRow {
	cfg := welcomeBotJSON{Enabled: b.Enabled, Greeting: b.Greeting, Style: b.Style,
		Options: make([]botOptionJSON, len(b.Options)), FallbackQueueID: b.FallbackQueueID,
		MaxReprompts: b.MaxReprompts, StickyHours: b.StickyHours, OutOfHoursMessage: b.OutOfHoursMessage}
	for i, o := range b.Options {
		cfg.Options[i] = botOptionJSON{Key: o.Key, Title: o.Title, QueueID: o.QueueID, TagIDs: o.TagIDs,
			Priority: string(o.Priority), Keywords: o.Keywords}
	}
	return welcomeBotRow{WorkspaceID: b.WorkspaceID, ChannelID: b.ChannelID,
		Config: jsonColumn[welcomeBotJSON]{cfg}, UpdatedAt: storedTime(&b.UpdatedAt)}
}

func (r *welcomeBotRow) toDomain() *domain.WelcomeBot {
	c := r.Config.V
	b := &domain.WelcomeBot{WorkspaceID: r.WorkspaceID, ChannelID: r.ChannelID, Enabled: c.Enabled,
		Greeting: c.Greeting, Style: c.Style, Options: make([]domain.BotOption, len(c.Options)),
		FallbackQueueID: c.FallbackQueueID, MaxReprompts: c.MaxReprompts, StickyHours: c.StickyHours,
		OutOfHoursMessage: c.OutOfHoursMessage, UpdatedAt: r.UpdatedAt.Time}
	for i, o := range c.Options {
		b.Options[i] = domain.BotOption{Key: o.Key, Title: o.Title, QueueID: o.QueueID,
			TagIDs: append([]string{}, o.TagIDs...), Priority: domain.Priority(o.Priority),
			Keywords: append([]string{}, o.Keywords...)}
	}
	return b
}

// FindWelcomeBot returns the workspace's bot (channelID "") or a channel's.
func (s *Store) FindWelcomeBot(ctx context.Context, channelID string) (*domain.WelcomeBot, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row welcomeBotRow
	if err := db.Where("workspace_id = ? AND channel_id = ?", ws, channelID).Take(&row).Error; err != nil {
		return nil, writeError(err, "welcome bot")
	}
	return row.toDomain(), nil
}

// SaveWelcomeBot creates or replaces a bot.
func (s *Store) SaveWelcomeBot(ctx context.Context, b *domain.WelcomeBot) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&b.WorkspaceID, ws); err != nil {
		return err
	}
	row := welcomeBotFromDomain(b)
	return writeError(db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "workspace_id"}, {Name: "channel_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"config", "updated_at"}),
	}).Create(&row).Error, "welcome bot")
}

// DeleteWelcomeBot removes a channel's bot.
func (s *Store) DeleteWelcomeBot(ctx context.Context, channelID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Where("workspace_id = ? AND channel_id = ?", ws, channelID).Delete(&welcomeBotRow{})
	if res.Error != nil {
		return deleteError(res.Error, "welcome bot")
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("welcome bot")
	}
	return nil
}

type botStateRow struct {
	ConversationID string   `gorm:"column:conversation_id;primaryKey"`
	WorkspaceID    string   `gorm:"column:workspace_id"`
	MenuSentAt     *utcTime `gorm:"column:menu_sent_at"`
	Reprompts      int      `gorm:"column:reprompts"`
	OptionKey      string   `gorm:"column:option_key"`
	Done           bool     `gorm:"column:done"`
	UpdatedAt      utcTime  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (botStateRow) TableName() string { return "bot_states" }

// FindBotState returns a conversation's progress through the bot.
func (s *Store) FindBotState(ctx context.Context, conversationID string) (*domain.BotState, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var r botStateRow
	if err := db.Where("workspace_id = ? AND conversation_id = ?", ws, conversationID).Take(&r).Error; err != nil {
		return nil, writeError(err, "bot state")
	}
	return &domain.BotState{ConversationID: r.ConversationID, WorkspaceID: r.WorkspaceID,
		MenuSentAt: timePtr(r.MenuSentAt), Reprompts: r.Reprompts, OptionKey: r.OptionKey, Done: r.Done,
		UpdatedAt: r.UpdatedAt.Time}, nil
}

// SaveBotState creates or replaces a conversation's progress.
func (s *Store) SaveBotState(ctx context.Context, st *domain.BotState) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&st.WorkspaceID, ws); err != nil {
		return err
	}
	row := botStateRow{ConversationID: st.ConversationID, WorkspaceID: st.WorkspaceID,
		MenuSentAt: storedTimePtr(st.MenuSentAt), Reprompts: st.Reprompts, OptionKey: st.OptionKey,
		Done: st.Done, UpdatedAt: storedTime(&st.UpdatedAt)}
	return writeError(db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "conversation_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"menu_sent_at", "reprompts", "option_key", "done", "updated_at"}),
	}).Create(&row).Error, "bot state")
}

// routingJSON is a conversation's routing decision.
type routingJSON struct {
	RuleID     string `json:"rule_id"`
	MenuOption string `json:"menu_option"`
	Reason     string `json:"reason"`
}

func routingToJSON(d *domain.RoutingDecision) jsonColumn[*routingJSON] {
	if d == nil {
		return jsonColumn[*routingJSON]{}
	}
	return jsonColumn[*routingJSON]{&routingJSON{RuleID: d.RuleID, MenuOption: d.MenuOption, Reason: d.Reason}}
}

func routingFromJSON(c jsonColumn[*routingJSON]) *domain.RoutingDecision {
	r := c.V
	if r == nil {
		return nil
	}
	return &domain.RoutingDecision{RuleID: r.RuleID, MenuOption: r.MenuOption, Reason: r.Reason}
}
