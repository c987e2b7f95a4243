package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerWelcomeBot(g *gin.RouterGroup) {
	g.GET("/welcome-bot", h.getWelcomeBot(""))
	g.PUT("/welcome-bot", h.putWelcomeBot(""))
	g.GET("/channels/:id/welcome-bot", h.getWelcomeBot("id"))
	g.PUT("/channels/:id/welcome-bot", h.putWelcomeBot("id"))
	g.DELETE("/channels/:id/welcome-bot", h.deleteWelcomeBot)
}

type botOptionBody struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	QueueID  string   `json:"queue_id"`
	TagIDs   []string `json:"tag_ids"`
	Priority *string  `json:"priority"`
	Keywords []string `json:"keywords"`
}

type welcomeBotView struct {
	ChannelID         *string         `json:"channel_id"`
	Enabled           bool            `json:"enabled"`
	Greeting          string          `json:"greeting"`
	Style             string          `json:"style"`
	Options           []botOptionBody `json:"options"`
	FallbackQueueID   *string         `json:"fallback_queue_id"`
	MaxReprompts      int             `json:"max_reprompts"`
	StickyHours       int             `json:"sticky_hours"`
	OutOfHoursMessage string          `json:"out_of_hours_message"`
	UpdatedAt         *timestamp      `json:"updated_at"`
}

func viewWelcomeBot(b *domain.WelcomeBot) welcomeBotView {
	v := welcomeBotView{ChannelID: nullable(b.ChannelID), Enabled: b.Enabled, Greeting: b.Greeting, Style: b.Style,
		Options: make([]botOptionBody, len(b.Options)), FallbackQueueID: nullable(b.FallbackQueueID),
		MaxReprompts: b.MaxReprompts, StickyHours: b.StickyHours, OutOfHoursMessage: b.OutOfHoursMessage}
	if !b.UpdatedAt.IsZero() {
		v.UpdatedAt = optionalStamp(&b.UpdatedAt)
	}
	for i, o := range b.Options {
		v.Options[i] = botOptionBody{Key: o.Key, Title: o.Title, QueueID: o.QueueID, TagIDs: ids(o.TagIDs),
			Priority: nullable(string(o.Priority)), Keywords: ids(o.Keywords)}
	}
	return v
}

type putWelcomeBotRequest struct {
	Enabled           *bool           `json:"enabled" required:"true"`
	Greeting          string          `json:"greeting"`
	Style             string          `json:"style"`
	Options           []botOptionBody `json:"options"`
	FallbackQueueID   *string         `json:"fallback_queue_id"`
	MaxReprompts      *int            `json:"max_reprompts"`
	StickyHours       int             `json:"sticky_hours"`
	OutOfHoursMessage string          `json:"out_of_hours_message"`
}

func (r putWelcomeBotRequest) toDomain() domain.WelcomeBot {
	b := domain.WelcomeBot{Enabled: *r.Enabled, Greeting: r.Greeting, Style: r.Style,
		Options: make([]domain.BotOption, len(r.Options)), MaxReprompts: 2, StickyHours: r.StickyHours,
		OutOfHoursMessage: r.OutOfHoursMessage}
	if r.FallbackQueueID != nil {
		b.FallbackQueueID = *r.FallbackQueueID
	}
	if r.MaxReprompts != nil {
		b.MaxReprompts = *r.MaxReprompts
	}
	for i, o := range r.Options {
		b.Options[i] = domain.BotOption{Key: o.Key, Title: o.Title, QueueID: o.QueueID, TagIDs: o.TagIDs,
			Keywords: o.Keywords}
		if o.Priority != nil {
			b.Options[i].Priority = domain.Priority(*o.Priority)
		}
	}
	return b
}

func (h *handlers) getWelcomeBot(param string) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, err := h.svc.WelcomeBot(c.Request.Context(), c.Param(param))
		if err != nil {
			fail(c, err)
			return
		}
		respond(c, http.StatusOK, viewWelcomeBot(b))
	}
}

func (h *handlers) putWelcomeBot(param string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req putWelcomeBotRequest
		if !decodeBody(c, &req) {
			return
		}
		b, err := h.svc.SaveWelcomeBot(c.Request.Context(), c.Param(param), req.toDomain())
		if err != nil {
			fail(c, err)
			return
		}
		respond(c, http.StatusOK, viewWelcomeBot(b))
	}
}

func (h *handlers) deleteWelcomeBot(c *gin.Context) {
	if err := h.svc.DeleteWelcomeBot(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type routingView struct {
	RuleID     *string `json:"rule_id"`
	MenuOption *string `json:"menu_option"`
	Reason     string  `json:"reason"`
}

func viewRouting(d *domain.RoutingDecision) *routingView {
	if d == nil {
		return nil
	}
	return &routingView{RuleID: nullable(d.RuleID), MenuOption: nullable(d.MenuOption), Reason: d.Reason}
}
