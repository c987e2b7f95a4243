package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// Outside the chosen queue's business hours the customer also hears when
// it opens, in the queue's zone and in Spanish; the conversation still
// queues there.
func TestWelcomeBotTellsOutOfHoursCustomersTheNextOpening(t *testing.T) {
	w := newBotWorld(t)
	ctx := w.a.system(w.tn)
	store := w.a.DB.Store()
	// Soporte works only on the day after tomorrow (Lima time), 09:00 to
	// 18:00: closed all of today, whatever the hour.
	lima, err := time.LoadLocation("America/Lima")
	require.NoError(t, err)
	opening := time.Now().In(lima).AddDate(0, 0, 2)
	day := [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[opening.Weekday()]
	spanish := [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}[opening.Weekday()]
	now := time.Now().UTC()
	plan := &domain.BusinessHours{ID: domain.NewID(domain.PrefixBusinessHours), Name: "Soporte Lima",
		Timezone: "America/Lima", Weekly: []domain.Shift{{Day: day, Open: "09:00", Close: "18:00"}},
		CreatedAt: now, UpdatedAt: now}
	require.NoError(t, store.CreateBusinessHours(ctx, plan))
	q, err := store.FindQueue(ctx, w.soporte)
	require.NoError(t, err)
	q.BusinessHoursID = plan.ID
	require.NoError(t, store.UpdateQueue(ctx, q))

	const customer = "51988887777"
	w.says(customer, "wamid.h1", "hola")
	w.says(customer, "wamid.h2", "2")
	conv := w.conversation(customer)
	require.Equal(t, w.soporte, conv["queue_id"], "it still queues")
	out := w.outbound(conv["id"].(string))
	require.Len(t, out, 2)
	require.Equal(t, "Nuestro equipo te atiende desde el "+spanish+" 09:00.", out[1].Text)
	require.Equal(t, domain.AuthorBot, out[1].AuthorKind)
	w.received(2)

	// Ventas has no plan: always open, no such message.
	const other = "51988886666"
	w.says(other, "wamid.h3", "hola")
	w.says(other, "wamid.h4", "1")
	require.Len(t, w.outbound(w.conversation(other)["id"].(string)), 1)
}

// A customer who comes back within sticky_hours of a closed conversation
// goes straight back to its queue and agent, without the menu. (With the
// workspace's reopen window the closed conversation would reopen instead:
// stickiness is for the new conversations after it, so the window is off.)
func TestWelcomeBotSendsReturningCustomersBackToTheirAgent(t *testing.T) {
	w := newBotWorld(t)
	w.c.expect(http.StatusOK, http.MethodPatch, "/v1/workspace", w.tn.OwnerToken, map[string]any{"reopen_window_hours": 0})
	agentID, agentToken := w.a.member(w.tn, "vendedora@bot.example", domain.RoleAgent, w.ventas)
	const customer = "573001112233"
	w.says(customer, "wamid.r1", "hola")
	w.says(customer, "wamid.r2", "1")
	first := w.conversation(customer)["id"].(string)
	w.c.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+first+"/claim", agentToken, nil)
	w.c.expect(http.StatusCreated, http.MethodPost, "/v1/conversations/"+first+"/messages", agentToken,
		map[string]any{"text": "¡Listo, te envío la cotización!"})
	w.c.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+first+"/status", agentToken,
		map[string]any{"status": "closed", "close_reason": "resolved"})

	w.says(customer, "wamid.r3", "hola de nuevo")
	conv := w.conversation(customer)
	require.NotEqual(t, first, conv["id"], "a new conversation")
	require.Equal(t, w.ventas, conv["queue_id"])
	require.Equal(t, agentID, conv["assignee_id"])
	require.Equal(t, "open", conv["status"])
	require.Equal(t, map[string]any{"rule_id": nil, "menu_option": nil, "reason": "sticky"}, conv["routing"])
	require.Empty(t, w.outbound(conv["id"].(string)), "no menu")
	events := w.routedEvents(conv["id"].(string))
	require.Len(t, events, 1)
	require.Equal(t, "bot", events[0][0])

	// Without stickiness the returning customer gets the menu.
	cfg := w.config()
	cfg["sticky_hours"] = 0
	w.c.expect(http.StatusOK, http.MethodPut, "/v1/welcome-bot", w.tn.OwnerToken, cfg)
	w.c.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv["id"].(string)+"/status", agentToken,
		map[string]any{"status": "closed", "close_reason": "resolved"})
	w.says(customer, "wamid.r4", "otra consulta")
	again := w.conversation(customer)
	require.Nil(t, again["assignee_id"])
	require.Len(t, w.outbound(again["id"].(string)), 1, "the menu")
}

// Once a human has replied, the bot never speaks in the conversation: the
// customer's "2" is just a message.
func TestWelcomeBotIsSilentOnceAHumanReplied(t *testing.T) {
	w := newBotWorld(t)
	const customer = "593991234567"
	w.says(customer, "wamid.s1", "hola")
	convID := w.conversation(customer)["id"].(string)
	w.c.expect(http.StatusCreated, http.MethodPost, "/v1/conversations/"+convID+"/messages", w.tn.OwnerToken,
		map[string]any{"text": "Hola, soy Carla. ¿Qué necesitas?"})
	w.says(customer, "wamid.s2", "2")
	w.says(customer, "wamid.s3", "no entiendo")
	conv := w.conversation(customer)
	require.Equal(t, w.a.defaultQueueOf(w.tn), conv["queue_id"])
	require.Nil(t, conv["routing"])
	require.Len(t, w.outbound(convID), 2, "the menu and the human's reply, nothing more")
	require.Empty(t, w.routedEvents(convID))
}
