package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/centralita/centralita/domain/businesshours"
)

func testBot(style string) *WelcomeBot {
	return &WelcomeBot{Enabled: true, Greeting: "¡Hola! ¿En qué te ayudamos?", Style: style, MaxReprompts: 2,
		Options: []BotOption{
			{Key: "ventas", Title: "Ventas", QueueID: "q1", Keywords: []string{"comprar", "precio"}},
			{Key: "soporte", Title: "Soporte técnico", QueueID: "q2", Keywords: []string{"falla", "no funciona"}},
			{Key: "pagos", Title: "Pagos", QueueID: "q3", Keywords: []string{"pagar", "factura"}},
		}}
}

func TestWelcomeBotUnderstandsAnswers(t *testing.T) {
	bot := testBot(BotStyleText)
	for _, tc := range []struct {
		text, replyID string
		first         bool
		want          string // option key; "" when not understood
		by            string
	}{
		{"2", "", false, "soporte", "number"},
		{"2)", "", false, "soporte", "number"},
		{"opción 3", "", false, "pagos", "number"},
		{"dos", "", false, "soporte", "number_word"},
		{"SOPORTE TECNICO", "", false, "soporte", "title"},
		{"quiero pagar mi factura", "", false, "pagos", "keyword"},
		{"", "ventas", false, "ventas", "reply"},
		{"Ventas", "ventas", true, "ventas", "reply"},
		{"no sé", "", false, "", ""},
		{"4", "", false, "", ""},
		// Before the menu was shown, only words naming an option route.
		{"hola", "", true, "", ""},
		{"2", "", true, "", ""},
		{"quiero pagar mi factura", "", true, "pagos", "keyword"},
		{"soporte técnico", "", true, "soporte", "title"},
		// A sentence naming two options is not guessed.
		{"quiero comprar y pagar", "", true, "", ""},
	} {
		i, by, ok := bot.understand(tc.text, tc.replyID, tc.first)
		got := ""
		if ok {
			got = bot.Options[i].Key
		}
		if got != tc.want || by != tc.by {
			t.Errorf("understand(%q, %q, first=%v) = %q by %q, want %q by %q", tc.text, tc.replyID, tc.first, got, by, tc.want, tc.by)
		}
	}
}

func TestWelcomeBotMenuInEachStyle(t *testing.T) {
	m, err := testBot(BotStyleText).menuDraft("Hola")
	if err != nil || m.Type != MessageText || m.Text != "Hola\n\n1) Ventas\n2) Soporte técnico\n3) Pagos" {
		t.Fatalf("text menu = %+v, %v", m, err)
	}
	m, err = testBot(BotStyleButtons).menuDraft("Hola")
	if err != nil || m.Interactive.Kind != InteractiveButtons || len(m.Interactive.Buttons) != 3 ||
		m.Interactive.Buttons[1] != (ReplyButton{ID: "soporte", Title: "Soporte técnico"}) {
		t.Fatalf("buttons menu = %+v, %v", m, err)
	}
	m, err = testBot(BotStyleList).menuDraft("Hola")
	if err != nil || m.Interactive.Kind != InteractiveList || len(m.Interactive.Sections[0].Rows) != 3 ||
		m.Interactive.Sections[0].Rows[2].ID != "pagos" {
		t.Fatalf("list menu = %+v, %v", m, err)
	}
}

func TestWelcomeBotShapeNamesTheFieldItRefuses(t *testing.T) {
	for _, tc := range []struct {
		field string
		spoil func(b *WelcomeBot)
	}{
		{"style", func(b *WelcomeBot) { b.Style = "carousel" }},
		{"greeting", func(b *WelcomeBot) { b.Greeting = "" }},
		{"options", func(b *WelcomeBot) { b.Options = nil }},
		{"options[1].key", func(b *WelcomeBot) { b.Options[1].Key = "ventas" }},
		{"options[0].key", func(b *WelcomeBot) { b.Options[0].Key = " " }},
		{"options[2].title", func(b *WelcomeBot) { b.Options[2].Title = "ventas" }},
		{"options[0].priority", func(b *WelcomeBot) { b.Options[0].Priority = "asap" }},
		{"options[0].title", func(b *WelcomeBot) {
			b.Style = BotStyleButtons
			b.Options[0].Title = strings.Repeat("x", MaxReplyButtonTitle+1)
		}},
		{"options", func(b *WelcomeBot) {
			b.Style = BotStyleButtons
			b.Options = append(b.Options, BotOption{Key: "otro", Title: "Otro", QueueID: "q1"})
		}},
		{"options", func(b *WelcomeBot) {
			b.Style = BotStyleList
			for i := range MaxListRows {
				b.Options = append(b.Options, BotOption{Key: "k" + string(rune('a'+i)), Title: "T" + string(rune('a'+i))})
			}
		}},
		{"max_reprompts", func(b *WelcomeBot) { b.MaxReprompts = 6 }},
		{"sticky_hours", func(b *WelcomeBot) { b.StickyHours = -1 }},
	} {
		b := testBot(BotStyleText)
		tc.spoil(b)
		var e *Error
		if err := validateBotShape(b); !errors.As(err, &e) || e.Field != tc.field {
			t.Errorf("%s: got %v", tc.field, err)
		}
	}
	if err := validateBotShape(testBot(BotStyleButtons)); err != nil {
		t.Errorf("a good bot is refused: %v", err)
	}
}

func TestOutOfHoursTextNamesTheNextOpeningInTheQueueZone(t *testing.T) {
	sched, err := businesshours.New("America/Lima", []businesshours.Shift{
		{Day: time.Monday, Open: 9 * 60, Close: 18 * 60}, {Day: time.Tuesday, Open: 9 * 60, Close: 18 * 60}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := "Abrimos el {next_opening}."
	// Saturday 2026-12-05 12:00 in Lima (17:00 UTC): closed until Monday.
	saturday := time.Date(2026, 12, 5, 17, 0, 0, 0, time.UTC)
	if got := outOfHoursText(msg, sched, saturday); got != "Abrimos el lunes 09:00." {
		t.Errorf("Saturday: %q", got)
	}
	// Monday 20:00 in Lima is Tuesday 01:00 UTC: opens Tuesday, Lima time.
	if got := outOfHoursText(msg, sched, time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)); got != "Abrimos el martes 09:00." {
		t.Errorf("Monday night: %q", got)
	}
	if got := outOfHoursText(msg, sched, time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)); got != "" {
		t.Errorf("open: %q", got)
	}
	if got := outOfHoursText(msg, nil, saturday); got != "" {
		t.Errorf("no schedule is always open: %q", got)
	}
}

func TestBotMaySpeakOnlyBeforeAHuman(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		c    Conversation
		want bool
	}{
		{Conversation{Status: StatusNew}, true},
		{Conversation{Status: StatusNew, AssigneeID: "usr_1"}, false},
		{Conversation{Status: StatusNew, FirstHumanResponseAt: &now}, false},
		{Conversation{Status: StatusOpen}, false},
	} {
		if got := botMaySpeak(&tc.c); got != tc.want {
			t.Errorf("%+v: %v", tc.c, got)
		}
	}
}
