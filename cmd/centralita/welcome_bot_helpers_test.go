package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// botWorld is a workspace with the test number, three queues behind a
// welcome bot (Ventas, Soporte técnico with tag "tecnico" and high
// priority, Pagos with tag "cobranza"), a fallback queue Recepción, and
// the send workers running against a fake Graph API.
type botWorld struct {
	t                             *testing.T
	a                             *testApp
	tn                            tenant
	fake                          *whatsapp.FakeGraph
	c                             *restClient
	channelID                     string
	ventas, soporte, pagos, recep string
	tecnico, cobranza             string
}

const (
	botGreeting   = "¡Hola! Soy el asistente de Bot Co. ¿En qué te ayudamos?"
	botOutOfHours = "Nuestro equipo te atiende desde el {next_opening}."
)

func newBotWorld(t *testing.T) *botWorld {
	t.Helper()
	fake := newFakeGraph(whatsapp.FakeGraphOptions{})
	a := newTestApp(t, withGraph(t, fake))
	w := &botWorld{t: t, a: a, tn: a.bootstrap("Bot Co"), fake: fake, c: a.rest()}
	ch, err := a.Service.CreateChannel(a.system(w.tn), domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	w.channelID = ch.ID
	queue := func(name string) string {
		return idOf(t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", w.tn.OwnerToken, map[string]any{"name": name}))
	}
	tag := func(name string) string {
		return idOf(t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/tags", w.tn.OwnerToken, map[string]any{"name": name}))
	}
	w.ventas, w.soporte, w.pagos, w.recep = queue("Ventas"), queue("Soporte técnico"), queue("Pagos"), queue("Recepción")
	w.tecnico, w.cobranza = tag("tecnico"), tag("cobranza")
	w.c.expect(http.StatusOK, http.MethodPut, "/v1/welcome-bot", w.tn.OwnerToken, w.config())
	a.startJobs()
	return w
}

// config is the workspace's bot as the tests configure it.
func (w *botWorld) config() map[string]any {
	return map[string]any{"enabled": true, "greeting": botGreeting, "style": "text",
		"options": []any{
			map[string]any{"key": "ventas", "title": "Ventas y nuevos servicios", "queue_id": w.ventas,
				"keywords": []string{"comprar", "cotizar"}},
			map[string]any{"key": "soporte", "title": "Soporte técnico", "queue_id": w.soporte,
				"tag_ids": []string{w.tecnico}, "priority": "high", "keywords": []string{"falla", "no funciona"}},
			map[string]any{"key": "pagos", "title": "Pagos, facturación o cobranzas", "queue_id": w.pagos,
				"tag_ids": []string{w.cobranza}, "keywords": []string{"pagar", "factura"}},
		},
		"fallback_queue_id": w.recep, "max_reprompts": 1, "sticky_hours": 24, "out_of_hours_message": botOutOfHours}
}

// says delivers a signed text from a customer through the webhook.
func (w *botWorld) says(from, wamid, text string) {
	w.t.Helper()
	quoted, err := json.Marshal(text)
	require.NoError(w.t, err)
	body := strings.Replace(string(textDelivery(fakeNumberID, wamid, from)), `"body":"hola"`, `"body":`+string(quoted), 1)
	require.Equal(w.t, http.StatusOK, w.a.deliver([]byte(body)).Status)
}

// conversation is the customer's newest conversation, as REST shows it
// (checked against openapi.yaml).
func (w *botWorld) conversation(from string) map[string]any {
	w.t.Helper()
	ctx := w.a.system(w.tn)
	contact, err := w.a.DB.Store().FindContactByWaID(ctx, from)
	require.NoError(w.t, err)
	page, err := w.a.Service.Conversations(ctx, domain.ConversationFilter{ContactID: contact.ID})
	require.NoError(w.t, err)
	require.NotEmpty(w.t, page.Items)
	return object(w.t, w.c.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+page.Items[0].ID, w.tn.OwnerToken, nil))
}

// outbound lists what was sent in a conversation, oldest first.
func (w *botWorld) outbound(convID string) []*domain.Message {
	w.t.Helper()
	page, err := w.a.Service.Messages(w.a.system(w.tn), convID, domain.PageRequest{})
	require.NoError(w.t, err)
	var out []*domain.Message
	for i := len(page.Items) - 1; i >= 0; i-- {
		if m := page.Items[i]; m.Direction == domain.DirectionOutbound {
			out = append(out, m)
		}
	}
	return out
}

// received waits until the fake Graph API accepted n messages and returns
// them.
func (w *botWorld) received(n int) []whatsapp.FakeSentMessage {
	w.t.Helper()
	require.Eventually(w.t, func() bool { return len(w.fake.SentMessages()) >= n }, 15*time.Second, 20*time.Millisecond)
	return w.fake.SentMessages()
}

// routedEvents lists the conversation.routed events of a conversation as
// (actor_kind, actor_id, payload).
func (w *botWorld) routedEvents(convID string) [][3]string {
	w.t.Helper()
	rows, err := w.a.sql().Query("SELECT actor_kind, actor_id, payload FROM events WHERE type = $1 AND subject_id = $2",
		domain.EventConversationRouted, convID)
	require.NoError(w.t, err)
	defer rows.Close()
	var out [][3]string
	for rows.Next() {
		var e [3]string
		require.NoError(w.t, rows.Scan(&e[0], &e[1], &e[2]))
		out = append(out, e)
	}
	require.NoError(w.t, rows.Err())
	return out
}
