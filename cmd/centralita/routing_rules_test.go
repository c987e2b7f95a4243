package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// rule creates a routing rule through REST and returns its id.
func (w *botWorld) rule(body map[string]any) string {
	w.t.Helper()
	return idOf(w.t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/routing-rules", w.tn.OwnerToken, body))
}

// Rules run on a new conversation's first message before the bot: a
// Mexican customer goes to the Mexico team with an agent and an
// auto-reply, skipping the menu; a continuing rule only tags, and the bot
// still greets.
func TestRoutingRulesDecideBeforeTheBot(t *testing.T) {
	w := newBotWorld(t)
	mexico := idOf(t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", w.tn.OwnerToken, map[string]any{"name": "México"}))
	agentID, _ := w.a.member(w.tn, "ana@bot.example", domain.RoleAgent, mexico)
	vip := idOf(t, w.c.expect(http.StatusCreated, http.MethodPost, "/v1/tags", w.tn.OwnerToken, map[string]any{"name": "peru"}))
	peru := w.rule(map[string]any{"name": "Perú", "conditions": []any{map[string]any{"type": "country", "value": "pe"}},
		"actions": []any{map[string]any{"type": "add_tags", "tag_ids": []string{vip}}}, "continue": true})
	mx := w.rule(map[string]any{"name": "México", "conditions": []any{map[string]any{"type": "country", "value": "MX"}},
		"actions": []any{map[string]any{"type": "set_queue", "queue_id": mexico},
			map[string]any{"type": "assign_agent", "agent_id": agentID},
			map[string]any{"type": "auto_reply", "text": "¡Hola desde México!"}}})
	list := listData(t, w.c.expect(http.StatusOK, http.MethodGet, "/v1/routing-rules", w.tn.OwnerToken, nil))
	require.Equal(t, []any{peru, mx}, []any{list[0]["id"], list[1]["id"]})
	require.Equal(t, []any{float64(1), float64(2)}, []any{list[0]["position"], list[1]["position"]})

	w.says("5215512345678", "wamid.x1", "hola")
	conv := w.conversation("5215512345678")
	require.Equal(t, mexico, conv["queue_id"])
	require.Equal(t, agentID, conv["assignee_id"])
	require.Equal(t, map[string]any{"rule_id": mx, "menu_option": nil, "reason": "rule"}, conv["routing"])
	out := w.outbound(conv["id"].(string))
	require.Len(t, out, 1, "the auto-reply, no menu")
	require.Equal(t, "¡Hola desde México!", out[0].Text)
	require.Equal(t, domain.AuthorBot, out[0].AuthorKind)
	events := w.routedEvents(conv["id"].(string))
	require.Len(t, events, 1)
	require.Equal(t, []string{"rule", mx}, []string{events[0][0], events[0][1]})

	// Peru only tags and continues: the bot greets, and the answer routes.
	w.says("51987654321", "wamid.x2", "hola")
	conv = w.conversation("51987654321")
	require.Equal(t, []any{vip}, conv["tags"])
	require.Len(t, w.outbound(conv["id"].(string)), 1, "the menu")
	w.says("51987654321", "wamid.x3", "3")
	conv = w.conversation("51987654321")
	require.Equal(t, w.pagos, conv["queue_id"])
	require.ElementsMatch(t, []any{vip, w.cobranza}, conv["tags"])
	require.Equal(t, map[string]any{"rule_id": peru, "menu_option": "pagos", "reason": "menu"}, conv["routing"],
		"the rule that continued is kept beside the option")

	// A keyword rule placed first wins over Mexico; a regex rule too.
	w.c.expect(http.StatusOK, http.MethodPatch, "/v1/routing-rules/"+mx, w.tn.OwnerToken, map[string]any{"position": 10})
	w.rule(map[string]any{"name": "Pedidos", "position": 5, "conditions": []any{
		map[string]any{"type": "regex", "value": `(?i)pedido\s*#?\d{4,}`}},
		"actions": []any{map[string]any{"type": "set_queue", "queue_id": w.ventas}, map[string]any{"type": "set_priority", "priority": "urgent"}}})
	w.says("5215599998888", "wamid.x4", "¿Dónde está mi pedido #12345?")
	conv = w.conversation("5215599998888")
	require.Equal(t, w.ventas, conv["queue_id"])
	require.Equal(t, "urgent", conv["priority"])
	require.Nil(t, conv["assignee_id"])

	w.c.expect(http.StatusNoContent, http.MethodDelete, "/v1/routing-rules/"+mx, w.tn.OwnerToken, nil)
	w.c.expect(http.StatusNotFound, http.MethodGet, "/v1/routing-rules/"+mx, w.tn.OwnerToken, nil)
}

// Bad rules are refused naming the field; nothing is written.
func TestRoutingRulesRefuseBadRules(t *testing.T) {
	w := newBotWorld(t)
	outsider, _ := w.a.member(w.tn, "fuera@bot.example", domain.RoleAgent, w.ventas)
	setSoporte := map[string]any{"type": "set_queue", "queue_id": w.soporte}
	for _, tc := range []struct {
		field string
		body  map[string]any
	}{
		{"conditions[0].value", map[string]any{"name": "x", "conditions": []any{map[string]any{"type": "regex", "value": "(unclosed"}},
			"actions": []any{setSoporte}}},
		{"conditions[0].value", map[string]any{"name": "x", "conditions": []any{map[string]any{"type": "regex", "value": strings.Repeat("a", 201)}},
			"actions": []any{setSoporte}}},
		{"conditions[0].type", map[string]any{"name": "x", "conditions": []any{map[string]any{"type": "weather", "value": "sunny"}},
			"actions": []any{setSoporte}}},
		{"conditions[0].value", map[string]any{"name": "x", "conditions": []any{map[string]any{"type": "country", "value": "Mexico"}},
			"actions": []any{setSoporte}}},
		{"conditions[0].value", map[string]any{"name": "x", "conditions": []any{map[string]any{"type": "business_hours", "value": "maybe"}},
			"actions": []any{setSoporte}}},
		{"actions[1].agent_id", map[string]any{"name": "x", "actions": []any{setSoporte,
			map[string]any{"type": "assign_agent", "agent_id": outsider}}}},
		{"actions[0].agent_id", map[string]any{"name": "x", "actions": []any{map[string]any{"type": "assign_agent", "agent_id": outsider}}}},
		{"actions[0].queue_id", map[string]any{"name": "x", "actions": []any{map[string]any{"type": "set_queue", "queue_id": "que_00000000000000000000000000"}}}},
		{"actions[0].tag_ids", map[string]any{"name": "x", "actions": []any{map[string]any{"type": "add_tags", "tag_ids": []string{"tag_00000000000000000000000000"}}}}},
		{"actions", map[string]any{"name": "x", "actions": []any{}}},
		{"name", map[string]any{"actions": []any{setSoporte}}},
	} {
		res := w.c.expect(http.StatusBadRequest, http.MethodPost, "/v1/routing-rules", w.tn.OwnerToken, tc.body)
		p := problemOf(t, res)
		require.Len(t, p.Errors, 1, string(res.Body))
		require.Equal(t, tc.field, p.Errors[0].Field, string(res.Body))
	}
	require.Equal(t, 0, w.a.count("routing_rules"))

	// GraphQL refuses the same way, and creates a good one.
	const create = `mutation($in: CreateRoutingRuleInput!) { createRoutingRule(input: $in) { routingRule { id position actions { type queueId } } userErrors { code field } } }`
	d := w.a.gqlOK(w.tn.OwnerToken, create, map[string]any{"in": map[string]any{"name": "x",
		"conditions": []any{map[string]any{"type": "regex", "value": "a(b"}}, "actions": []any{map[string]any{"type": "set_queue", "queueId": w.soporte}}}})
	jsonEq(t, `{"routingRule":null,"userErrors":[{"code":"BAD_USER_INPUT","field":["input","conditions","0","value"]}]}`, d.get(t, "createRoutingRule"))
	require.Equal(t, 0, w.a.count("routing_rules"))
	d = w.a.gqlOK(w.tn.OwnerToken, create, map[string]any{"in": map[string]any{"name": "Soporte",
		"conditions": []any{map[string]any{"type": "keyword", "value": "falla"}}, "actions": []any{map[string]any{"type": "set_queue", "queueId": w.soporte}}}})
	id := d.str(t, "createRoutingRule.routingRule.id")
	d = w.a.gqlOK(w.tn.OwnerToken, `{ routingRules { id position continue conditions { type value } actions { type queueId tagIds } } }`, nil)
	jsonEq(t, `[{"id":"`+id+`","position":1,"continue":false,"conditions":[{"type":"keyword","value":"falla"}],"actions":[{"type":"set_queue","queueId":"`+w.soporte+`","tagIds":[]}]}]`,
		d.get(t, "routingRules"))
	d = w.a.gqlOK(w.tn.OwnerToken, `mutation($in: DeleteRoutingRuleInput!) { deleteRoutingRule(input: $in) { deletedRoutingRuleId } }`,
		map[string]any{"in": map[string]any{"ruleId": id}})
	require.Equal(t, id, d.str(t, "deleteRoutingRule.deletedRoutingRuleId"))
	_, agentToken := w.a.member(w.tn, "agente@bot.example", domain.RoleAgent, w.ventas)
	w.c.expect(http.StatusForbidden, http.MethodGet, "/v1/routing-rules", agentToken, nil)
}

// Explain says where a message would go and why, and writes nothing.
func TestRoutingExplainWritesNothing(t *testing.T) {
	w := newBotWorld(t)
	urgent := w.rule(map[string]any{"name": "Urgente", "conditions": []any{map[string]any{"type": "keyword", "value": "urgente"}},
		"actions": []any{map[string]any{"type": "set_priority", "priority": "urgent"}}, "continue": true})
	closed := w.rule(map[string]any{"name": "Fuera de horario", "conditions": []any{map[string]any{"type": "channel_id", "value": w.channelID},
		map[string]any{"type": "country", "value": "AR"}}, "actions": []any{map[string]any{"type": "set_queue", "queue_id": w.recep}}})
	tables := []string{"contacts", "conversations", "messages", "events", "bot_states"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = w.a.count(tb)
	}

	ex := object(t, w.c.expect(http.StatusOK, http.MethodPost, "/v1/routing/explain", w.tn.OwnerToken, map[string]any{
		"channel_id": w.channelID, "from": "+52 1 55 1234 5678", "text": "urgente: quiero pagar mi factura", "at": "2026-12-07T15:00:00Z"}))
	jsonEq(t, `{"queue_id":"`+w.pagos+`","tag_ids":["`+w.cobranza+`"],"priority":"urgent","rule_id":"`+urgent+`","menu_option":"pagos","steps":[`+
		`{"kind":"rule","rule_id":"`+urgent+`","matched":true,"stopped":false,"reason":"matched"},`+
		`{"kind":"rule","rule_id":"`+closed+`","matched":false,"stopped":false,"reason":"conditions[1] country \"AR\" did not match"},`+
		`{"kind":"welcome_bot","rule_id":null,"matched":true,"stopped":true,"reason":"option pagos recognised by its keyword"}]}`, ex)

	ex = object(t, w.c.expect(http.StatusOK, http.MethodPost, "/v1/routing/explain", w.tn.OwnerToken, map[string]any{
		"channel_id": w.channelID, "from": "5491123456789", "text": "hola"}))
	require.Equal(t, w.recep, ex["queue_id"])
	require.Equal(t, closed, ex["rule_id"])
	require.Len(t, ex["steps"], 2, "the rule stopped: the bot is not reached")

	d := w.a.gqlOK(w.tn.OwnerToken, `query($in: ExplainRoutingInput!) { explainRouting(input: $in) { queueId menuOption priority steps { kind matched } } }`,
		map[string]any{"in": map[string]any{"channelId": w.channelID, "from": "51987654321", "text": "hola"}})
	jsonEq(t, `{"queueId":"`+w.a.defaultQueueOf(w.tn)+`","menuOption":null,"priority":"NORMAL","steps":[{"kind":"rule","matched":false},{"kind":"rule","matched":false},{"kind":"welcome_bot","matched":false}]}`,
		d.get(t, "explainRouting"))

	res := w.c.expect(http.StatusBadRequest, http.MethodPost, "/v1/routing/explain", w.tn.OwnerToken, map[string]any{
		"channel_id": "chn_00000000000000000000000000", "from": "51987654321"})
	require.Equal(t, "channel_id", problemOf(t, res).Errors[0].Field)
	for _, tb := range tables {
		require.Equal(t, before[tb], w.a.count(tb), tb)
	}
}
