package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/centralita/centralita/domain/businesshours"
	"github.com/centralita/centralita/domain/menu"
)

// BotWelcome is the welcome bot's name: the author id of its messages and
// the actor id of its decisions.
const BotWelcome = "welcome_bot"

// botReprompt opens the menu again after an answer the bot did not
// understand.
const botReprompt = "Perdona, no te entendí. Elige una de estas opciones:"

// botListButton labels the button that opens a list menu.
const botListButton = "Ver opciones"

// Routing reasons recorded on a conversation.
const (
	RoutedByMenu     = "menu"     // the customer picked an option
	RoutedByKeyword  = "keyword"  // their first words named an option
	RoutedByFallback = "fallback" // they never gave a clear answer
	RoutedBySticky   = "sticky"   // they came back soon after a closed conversation
)

// RoutingDecision says why a conversation is where it is: the rule or menu
// option that placed it and the reason.
type RoutingDecision struct {
	RuleID     string
	MenuOption string
	Reason     string
}

// BotState is a conversation's progress through the welcome bot.
type BotState struct {
	ConversationID string
	WorkspaceID    string
	MenuSentAt     *time.Time
	Reprompts      int
	// OptionKey is the option chosen; Done is set once the bot has routed
	// the conversation (by option, keywords, fallback or stickiness) and
	// has nothing more to say.
	OptionKey string
	Done      bool
	UpdatedAt time.Time
}

// botMaySpeak reports whether the bot may still talk in a conversation:
// nobody has taken it and no human has answered it.
func botMaySpeak(c *Conversation) bool {
	return c.Status == StatusNew && c.AssigneeID == "" && c.FirstHumanResponseAt == nil
}

func (b *WelcomeBot) menuOptions() []menu.Option {
	out := make([]menu.Option, len(b.Options))
	for i, o := range b.Options {
		out[i] = menu.Option{ID: o.Key, Title: o.Title, Keywords: o.Keywords}
	}
	return out
}

// understand finds the option a customer's message picks: a tapped button
// or row (its id is the option's key), or typed words. Before the menu was
// shown (first), only words that name an option count (its keywords or its
// title): a bare "2" means nothing yet. It returns the option's index and
// how it was recognised.
func (b *WelcomeBot) understand(text, replyID string, first bool) (int, string, bool) {
	options := b.menuOptions()
	if replyID != "" {
		if o, ok := menu.MatchReply(replyID, options); ok {
			for i := range b.Options {
				if b.Options[i].Key == o.ID {
					return i, "reply", true
				}
			}
		}
	}
	choice, ok := menu.Read(text, options)
	if !ok || (first && choice.By != "keyword" && choice.By != "title") {
		return 0, "", false
	}
	return choice.Index, choice.By, true
}

// menuDraft is the menu as a message in the bot's style, under body.
func (b *WelcomeBot) menuDraft(body string) (*Message, error) {
	switch b.Style {
	case BotStyleButtons:
		in := &InteractiveInput{Kind: InteractiveButtons, Body: body}
		for _, o := range b.Options {
			in.Buttons = append(in.Buttons, ReplyButton{ID: o.Key, Title: o.Title})
		}
		return interactiveDraft(in)
	case BotStyleList:
		section := ListSection{}
		for _, o := range b.Options {
			section.Rows = append(section.Rows, ListRow{ID: o.Key, Title: o.Title})
		}
		return interactiveDraft(&InteractiveInput{Kind: InteractiveList, Body: body, ListButton: botListButton,
			Sections: []ListSection{section}})
	}
	lines := make([]string, len(b.Options))
	for i, o := range b.Options {
		lines[i] = fmt.Sprintf("%d) %s", i+1, o.Title)
	}
	return &Message{Type: MessageText, Text: body + "\n\n" + strings.Join(lines, "\n")}, nil
}

// spanishDays names weekdays as customers read them.
var spanishDays = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}

// outOfHoursText fills {next_opening} with the schedule's next opening in
// its own zone ("lunes 09:00"); "" when the queue is open at now.
func outOfHoursText(message string, sched *businesshours.Schedule, now time.Time) string {
	if sched == nil || message == "" || sched.IsOpen(now) {
		return ""
	}
	next := "pronto"
	if t, ok := sched.NextOpening(now); ok {
		t = t.In(sched.Location())
		next = spanishDays[t.Weekday()] + " " + t.Format("15:04")
	}
	return strings.ReplaceAll(message, "{next_opening}", next)
}
