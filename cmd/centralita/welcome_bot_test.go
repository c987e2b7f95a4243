package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// The headline: a customer writing "hola" gets the greeting and the
// numbered menu through the outbound path (Meta receives it, author bot,
// the conversation stays new), answers "2" and lands in Soporte técnico
// with its tag and priority; the decision is on the conversation and in
// an event by the bot.
func TestWelcomeBotGreetsAndRoutesTheAnswer(t *testing.T) {
	w := newBotWorld(t)
	const customer = "5215512345678"
	w.says(customer, "wamid.b1", "hola")

	sent := w.received(1)
	require.Len(t, sent, 1)
	var body struct {
		Type string `json:"type"`
		Text struct {
			Body string `json:"body"`
		} `json:"text"`
	}
	require.NoError(t, json.Unmarshal(sent[0].Body, &body))
	require.Equal(t, "text", body.Type)
	require.Equal(t, botGreeting+"\n\n1) Ventas y nuevos servicios\n2) Soporte técnico\n3) Pagos, facturación o cobranzas",
		body.Text.Body)
	conv := w.conversation(customer)
	convID := conv["id"].(string)
	require.Equal(t, "new", conv["status"], "a bot message is no human response")
	require.Nil(t, conv["routing"])
	require.Nil(t, conv["first_human_response_at"])
	out := w.outbound(convID)
	require.Len(t, out, 1)
	require.Equal(t, domain.AuthorBot, out[0].AuthorKind)
	require.Equal(t, domain.BotWelcome, out[0].AuthorID)

	w.says(customer, "wamid.b2", "2")
	conv = w.conversation(customer)
	require.Equal(t, w.soporte, conv["queue_id"])
	require.Equal(t, []any{w.tecnico}, conv["tags"])
	require.Equal(t, "high", conv["priority"])
	require.Equal(t, map[string]any{"rule_id": nil, "menu_option": "soporte", "reason": "menu"}, conv["routing"])
	events := w.routedEvents(convID)
	require.Len(t, events, 1)
	require.Equal(t, []string{"bot", domain.BotWelcome}, []string{events[0][0], events[0][1]})
	var payload map[string]any
	require.NoError(t, json.Unmarshal([]byte(events[0][2]), &payload))
	require.Equal(t, "soporte", payload["menu_option"])
	require.Equal(t, w.soporte, payload["queue_id"])
	require.Equal(t, w.a.defaultQueueOf(w.tn), payload["from_queue_id"])
	require.Len(t, w.outbound(convID), 1, "a clear answer needs no reply")

	// The decision is final: a later "3" (or its redelivery) moves nothing.
	w.says(customer, "wamid.b3", "3")
	w.says(customer, "wamid.b2", "2")
	require.Equal(t, w.soporte, w.conversation(customer)["queue_id"])
	require.Len(t, w.routedEvents(convID), 1)

	// GraphQL shows the same decision.
	d := w.a.gqlOK(w.tn.OwnerToken, `query($id: ID!) { conversation(id: $id) { routing { ruleId menuOption reason } } }`,
		map[string]any{"id": convID})
	require.Equal(t, "soporte", d.str(t, "conversation.routing.menuOption"))
	require.Equal(t, "menu", d.str(t, "conversation.routing.reason"))
	require.Nil(t, d.get(t, "conversation.routing.ruleId"))
}

// The menu's answer is understood as the number with or without words,
// spelled out, or the title in any case and without accents.
func TestWelcomeBotUnderstandsSpanishAnswers(t *testing.T) {
	w := newBotWorld(t)
	for i, tc := range []struct{ answer, queue string }{
		{"opción 3", w.pagos},
		{"dos", w.soporte},
		{"PAGOS, FACTURACION O COBRANZAS", w.pagos},
		{"la 1", w.ventas},
		{"ventas y nuevos servicios", w.ventas},
	} {
		customer := "51999000" + string(rune('0'+i))
		w.says(customer, "wamid.s"+customer+"a", "buenas tardes")
		w.says(customer, "wamid.s"+customer+"b", tc.answer)
		conv := w.conversation(customer)
		require.Equal(t, tc.queue, conv["queue_id"], tc.answer)
		require.Equal(t, "menu", conv["routing"].(map[string]any)["reason"], tc.answer)
	}
}

// An unclear answer gets the menu again, up to max_reprompts times; the
// next unclear one goes to the fallback queue, saying so.
func TestWelcomeBotRepromptsThenFallsBack(t *testing.T) {
	w := newBotWorld(t)
	const customer = "56911112222"
	w.says(customer, "wamid.f1", "hola")
	w.says(customer, "wamid.f2", "no estoy seguro")
	convID := w.conversation(customer)["id"].(string)
	out := w.outbound(convID)
	require.Len(t, out, 2)
	require.True(t, strings.HasPrefix(out[1].Text, "Perdona, no te entendí."), out[1].Text)
	require.Contains(t, out[1].Text, "2) Soporte técnico")
	require.Equal(t, w.a.defaultQueueOf(w.tn), w.conversation(customer)["queue_id"], "still where it landed")

	w.says(customer, "wamid.f3", "mmm, tal vez")
	conv := w.conversation(customer)
	require.Equal(t, w.recep, conv["queue_id"])
	require.Equal(t, map[string]any{"rule_id": nil, "menu_option": nil, "reason": "fallback"}, conv["routing"])
	require.Len(t, w.outbound(convID), 2, "no third menu")
	w.received(2)
}

// A customer who writes a full sentence first is routed by the option's
// keywords without seeing the menu.
func TestWelcomeBotRoutesAFirstSentenceByKeywords(t *testing.T) {
	w := newBotWorld(t)
	const customer = "5491155556666"
	w.says(customer, "wamid.k1", "Hola, quiero pagar mi factura de noviembre")
	conv := w.conversation(customer)
	require.Equal(t, w.pagos, conv["queue_id"])
	require.Equal(t, []any{w.cobranza}, conv["tags"])
	require.Equal(t, map[string]any{"rule_id": nil, "menu_option": "pagos", "reason": "keyword"}, conv["routing"])
	require.Empty(t, w.outbound(conv["id"].(string)), "no menu")
}
