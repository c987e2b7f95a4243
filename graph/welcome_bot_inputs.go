package graph

import (
	"strings"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

func welcomeBotModel(b *domain.WelcomeBot) *model.WelcomeBot {
	out := &model.WelcomeBot{ChannelID: optional(b.ChannelID), Enabled: b.Enabled, Greeting: b.Greeting,
		Style: model.WelcomeBotStyle(strings.ToUpper(b.Style)), Options: make([]*model.WelcomeBotOption, len(b.Options)),
		FallbackQueueID: optional(b.FallbackQueueID), MaxReprompts: b.MaxReprompts, StickyHours: b.StickyHours,
		OutOfHoursMessage: b.OutOfHoursMessage}
	if !b.UpdatedAt.IsZero() {
		t := b.UpdatedAt
		out.UpdatedAt = &t
	}
	for i, o := range b.Options {
		opt := &model.WelcomeBotOption{Key: o.Key, Title: o.Title, QueueID: o.QueueID,
			TagIds: append([]string{}, o.TagIDs...), Keywords: append([]string{}, o.Keywords...)}
		if o.Priority != "" {
			p := o.Priority
			opt.Priority = &p
		}
		out.Options[i] = opt
	}
	return out
}

func welcomeBotInput(in model.WelcomeBotInput) domain.WelcomeBot {
	b := domain.WelcomeBot{Enabled: in.Enabled, Style: domain.BotStyleText, MaxReprompts: 2,
		Options: make([]domain.BotOption, len(in.Options))}
	if in.Greeting != nil {
		b.Greeting = *in.Greeting
	}
	if in.Style != nil {
		b.Style = strings.ToLower(string(*in.Style))
	}
	if in.FallbackQueueID != nil {
		b.FallbackQueueID = *in.FallbackQueueID
	}
	if in.MaxReprompts != nil {
		b.MaxReprompts = *in.MaxReprompts
	}
	if in.StickyHours != nil {
		b.StickyHours = *in.StickyHours
	}
	if in.OutOfHoursMessage != nil {
		b.OutOfHoursMessage = *in.OutOfHoursMessage
	}
	for i, o := range in.Options {
		b.Options[i] = domain.BotOption{Key: o.Key, Title: o.Title, QueueID: o.QueueID, TagIDs: o.TagIds,
			Keywords: o.Keywords}
		if o.Priority != nil {
			b.Options[i].Priority = *o.Priority
		}
	}
	return b
}
