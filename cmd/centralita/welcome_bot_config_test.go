package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// A bad menu is refused with a problem naming the field, and nothing is
// written: the previous configuration stays.
func TestWelcomeBotRefusesBadMenus(t *testing.T) {
	w := newBotWorld(t)
	other := w.a.bootstrap("Otra Co")
	foreign := idOf(t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", other.OwnerToken, map[string]any{"name": "Ajena"}))
	deleted := idOf(t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", w.tn.OwnerToken, map[string]any{"name": "Temporal"}))
	w.c.expect(http.StatusNoContent, http.MethodDelete, "/v1/queues/"+deleted, w.tn.OwnerToken, nil)
	before := object(t, w.c.expect(http.StatusOK, http.MethodGet, "/v1/welcome-bot", w.tn.OwnerToken, nil))

	option := func(cfg map[string]any, i int) map[string]any { return cfg["options"].([]any)[i].(map[string]any) }
	for _, tc := range []struct {
		field string
		spoil func(cfg map[string]any)
	}{
		{"options[1].queue_id", func(cfg map[string]any) { option(cfg, 1)["queue_id"] = deleted }},
		{"options[0].queue_id", func(cfg map[string]any) { option(cfg, 0)["queue_id"] = foreign }},
		{"options[2].queue_id", func(cfg map[string]any) { option(cfg, 2)["queue_id"] = "que_00000000000000000000000000" }},
		{"options[1].key", func(cfg map[string]any) { option(cfg, 1)["key"] = "ventas" }},
		{"options[0].tag_ids", func(cfg map[string]any) { option(cfg, 0)["tag_ids"] = []string{"tag_00000000000000000000000000"} }},
		{"options", func(cfg map[string]any) {
			cfg["style"] = "buttons"
			cfg["options"] = append(cfg["options"].([]any), map[string]any{"key": "otro", "title": "Otro", "queue_id": w.ventas})
		}},
		{"options[0].title", func(cfg map[string]any) { cfg["style"] = "buttons" }}, // "Ventas y nuevos servicios" is 25 characters
		{"options", func(cfg map[string]any) {
			cfg["style"] = "list"
			var opts []any
			for i := range domain.MaxListRows + 1 {
				k := string(rune('a' + i))
				opts = append(opts, map[string]any{"key": k, "title": "Opción " + k, "queue_id": w.ventas})
			}
			cfg["options"] = opts
		}},
		{"style", func(cfg map[string]any) { cfg["style"] = "carousel" }},
		{"fallback_queue_id", func(cfg map[string]any) { cfg["fallback_queue_id"] = foreign }},
		{"options[2].priority", func(cfg map[string]any) { option(cfg, 2)["priority"] = "asap" }},
	} {
		cfg := w.config()
		tc.spoil(cfg)
		res := w.c.expect(http.StatusBadRequest, http.MethodPut, "/v1/welcome-bot", w.tn.OwnerToken, cfg)
		p := problemOf(t, res)
		require.Len(t, p.Errors, 1, tc.field)
		require.Equal(t, tc.field, p.Errors[0].Field, string(res.Body))
		require.Equal(t, before, object(t, w.c.expect(http.StatusOK, http.MethodGet, "/v1/welcome-bot", w.tn.OwnerToken, nil)),
			"nothing written for %s", tc.field)
	}
	require.Equal(t, 1, w.a.count("welcome_bots"))

	// GraphQL refuses the same way, naming the field in its spelling.
	d := w.a.gqlOK(w.tn.OwnerToken, `mutation($in: WelcomeBotInput!) { updateWelcomeBot(input: $in) { welcomeBot { enabled } userErrors { code field } } }`,
		map[string]any{"in": map[string]any{"enabled": true, "greeting": "Hola", "options": []any{
			map[string]any{"key": "a", "title": "A", "queueId": deleted}}}})
	require.Nil(t, d.get(t, "updateWelcomeBot.welcomeBot"))
	jsonEq(t, `[{"code":"BAD_USER_INPUT","field":["input","options","0","queueId"]}]`, d.get(t, "updateWelcomeBot.userErrors"))

	// Only admins configure the bot; another workspace's number is unknown.
	_, agentToken := w.a.member(w.tn, "agente@bot.example", domain.RoleAgent, w.ventas)
	w.c.expect(http.StatusForbidden, http.MethodGet, "/v1/welcome-bot", agentToken, nil)
	w.c.expect(http.StatusForbidden, http.MethodPut, "/v1/welcome-bot", agentToken, w.config())
	w.c.expect(http.StatusNotFound, http.MethodPut, "/v1/channels/"+w.channelID+"/welcome-bot", other.OwnerToken,
		map[string]any{"enabled": false})
	require.Equal(t, 1, w.a.count("welcome_bots"))
}

// A number's own bot overrides the workspace's: here with reply buttons,
// whose tapped id is the option's key. Removing it brings the workspace's
// back.
func TestChannelWelcomeBotOverridesTheWorkspaceOne(t *testing.T) {
	w := newBotWorld(t)
	path := "/v1/channels/" + w.channelID + "/welcome-bot"
	w.c.expect(http.StatusNotFound, http.MethodGet, path, w.tn.OwnerToken, nil)
	d := w.a.gqlOK(w.tn.OwnerToken, `mutation($in: WelcomeBotInput!) { updateWelcomeBot(input: $in) { welcomeBot { channelId style options { key title priority } } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"channelId": w.channelID, "enabled": true, "greeting": "Elige un área:",
			"style": "BUTTONS", "options": []any{
				map[string]any{"key": "ventas", "title": "Ventas", "queueId": w.ventas},
				map[string]any{"key": "soporte", "title": "Soporte", "queueId": w.soporte, "tagIds": []string{w.tecnico}, "priority": "URGENT"}}}})
	jsonEq(t, `{"welcomeBot":{"channelId":"`+w.channelID+`","style":"BUTTONS","options":[{"key":"ventas","title":"Ventas","priority":null},{"key":"soporte","title":"Soporte","priority":"URGENT"}]},"userErrors":[]}`,
		d.get(t, "updateWelcomeBot"))
	got := object(t, w.c.expect(http.StatusOK, http.MethodGet, path, w.tn.OwnerToken, nil))
	require.Equal(t, "buttons", got["style"])
	require.Equal(t, w.channelID, got["channel_id"])

	const customer = "50255551234"
	w.says(customer, "wamid.c1", "hola")
	sent := w.received(1)
	var body map[string]any
	require.NoError(t, json.Unmarshal(sent[0].Body, &body))
	jsonEq(t, `{"type":"button","body":{"text":"Elige un área:"},"action":{"buttons":[`+
		`{"type":"reply","reply":{"id":"ventas","title":"Ventas"}},{"type":"reply","reply":{"id":"soporte","title":"Soporte"}}]}}`,
		body["interactive"])
	require.Equal(t, http.StatusOK, w.a.deliver(interactiveReplyDelivery(fakeNumberID, "wamid.c2", customer, "soporte")).Status)
	conv := w.conversation(customer)
	require.Equal(t, w.soporte, conv["queue_id"])
	require.Equal(t, "urgent", conv["priority"])
	require.Equal(t, "soporte", conv["routing"].(map[string]any)["menu_option"])

	// GraphQL reads both bots; removing the number's brings back the
	// workspace's text menu.
	d = w.a.gqlOK(w.tn.OwnerToken, `{ welcomeBot { channelId style } channels { welcomeBot { style } } }`, nil)
	jsonEq(t, `{"channelId":null,"style":"TEXT"}`, d.get(t, "welcomeBot"))
	jsonEq(t, `[{"welcomeBot":{"style":"BUTTONS"}}]`, d.get(t, "channels"))
	d = w.a.gqlOK(w.tn.OwnerToken, `mutation($in: DeleteChannelWelcomeBotInput!) { deleteChannelWelcomeBot(input: $in) { channelId userErrors { code } } }`,
		map[string]any{"in": map[string]any{"channelId": w.channelID}})
	require.Equal(t, w.channelID, d.str(t, "deleteChannelWelcomeBot.channelId"))
	w.c.expect(http.StatusNotFound, http.MethodDelete, path, w.tn.OwnerToken, nil)
	w.says("50255559999", "wamid.c3", "hola")
	out := w.outbound(w.conversation("50255559999")["id"].(string))
	require.Len(t, out, 1)
	require.True(t, strings.HasPrefix(out[0].Text, botGreeting), out[0].Text)
}
