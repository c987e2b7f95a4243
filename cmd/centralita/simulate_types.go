package main

import (
	"fmt"
	"slices"
	"strings"
)

// simulatedTypes are the message types `simulate --types` can send, in
// turn, each shaped like Meta's payload (fixtures/whatsapp/inbound_*.json).
// Media messages name the demo's sample media ids (demo_media.go), which
// the demo's fake Graph API serves; against another server their download
// fails, as it would for an unknown id at Meta.
var simulatedTypes = []string{"text", "image", "video", "audio", "document", "sticker", "location", "contacts",
	"interactive", "button", "reaction", "order", "system", "request_welcome", "unsupported"}

// simulatedContentTypes are the types a customer writes themselves: only
// these quote an earlier message, are forwarded or come from an ad, and
// only these are quoted or reacted to.
var simulatedContentTypes = []string{"text", "image", "video", "audio", "document", "sticker", "location", "contacts"}

// parseSimulatedTypes reads --types; "all" stands for every type.
func parseSimulatedTypes(list string) ([]string, error) {
	var types []string
	for _, t := range strings.Split(list, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case t == "":
		case t == "all":
			types = append(types, simulatedTypes...)
		case slices.Contains(simulatedTypes, t):
			types = append(types, t)
		default:
			return nil, fmt.Errorf("simulate: unknown --types entry %q (use all, or %s)", t, strings.Join(simulatedTypes, ", "))
		}
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("simulate: --types needs all, or at least one of %s", strings.Join(simulatedTypes, ", "))
	}
	return types, nil
}

// simulatedMenu is what a welcome menu's answers look like: the option ids
// a bot routes on (Ventas, Soporte, Cobranzas).
var simulatedMenu = []struct{ id, title string }{{"ventas", "Ventas"}, {"soporte", "Soporte"}, {"cobranzas", "Cobranzas"}}

var simulatedTexts = []string{
	"Hola, quiero información sobre los planes", "¿Tienen envío a Monterrey?", "Necesito la factura de octubre",
	"No puedo ingresar a mi cuenta", "¿Cuál es el horario de atención?", "Quiero hablar con un asesor 🙏",
	"El pedido llegó incompleto", "¿Aceptan pago con tarjeta?",
}

// simulatedMessage is one customer message of a run, before rendering.
type simulatedMessage struct {
	n                   int    // its place in the run
	kind                string // one of simulatedTypes
	from, id, timestamp string
	// business is the number written to: menus and templates the customer
	// answers came from it.
	business string
	// target is the wamid a reaction is for.
	target string
	// name and newWaID describe a number change (system).
	name, newWaID string
	// text replaces the sample texts when set (--text).
	text string
}

// render builds the message as Meta puts it in messages[].
func (m simulatedMessage) render() map[string]any {
	msg := map[string]any{"from": m.from, "id": m.id, "timestamp": m.timestamp, "type": m.kind}
	with := func(content any) map[string]any {
		msg[m.kind] = content
		return msg
	}
	option := simulatedMenu[m.n%len(simulatedMenu)]
	switch m.kind {
	case "text":
		body := simulatedTexts[m.n%len(simulatedTexts)]
		if m.text != "" {
			body = m.text
		}
		return with(map[string]any{"body": body})
	case "location":
		return with(map[string]any{"latitude": -12.0464, "longitude": -77.0428,
			"name": "Plaza Mayor", "address": "Jr. de la Unión, Lima"})
	case "contacts":
		return with([]any{map[string]any{
			"name":   map[string]any{"formatted_name": "Rosa Quispe", "first_name": "Rosa", "last_name": "Quispe"},
			"phones": []any{map[string]any{"phone": "+51 987 111 222", "wa_id": "51987111222", "type": "CELL"}}}})
	case "interactive":
		// An answer to a menu the business sent, which it quotes.
		msg["context"] = map[string]any{"from": m.business, "id": "wamid.sim.menu"}
		if m.n%2 == 0 {
			return with(map[string]any{"type": "button_reply",
				"button_reply": map[string]any{"id": option.id, "title": option.title}})
		}
		return with(map[string]any{"type": "list_reply",
			"list_reply": map[string]any{"id": option.id, "title": option.title, "description": "Elegido del menú"}})
	case "button":
		// A template's quick-reply button; the template is quoted.
		msg["context"] = map[string]any{"from": m.business, "id": "wamid.sim.template"}
		return with(map[string]any{"payload": option.id, "text": option.title})
	case "reaction":
		return with(map[string]any{"message_id": m.target, "emoji": "👍"})
	case "order":
		return with(map[string]any{"catalog_id": "194836987003835", "text": "Quiero estos, por favor",
			"product_items": []any{
				map[string]any{"product_retailer_id": "plan-fibra-300", "quantity": 1, "item_price": 89.9, "currency": "PEN"},
				map[string]any{"product_retailer_id": "router-wifi6", "quantity": 2, "item_price": 149, "currency": "PEN"}}})
	case "system":
		// Meta's notice comes from the old number, with no contacts[] entry.
		return with(map[string]any{"type": "user_changed_number", "wa_id": m.newWaID,
			"body": fmt.Sprintf("User %s changed from %s to %s", m.name, m.from, m.newWaID)})
	case "request_welcome":
		return msg // a customer opening the chat for the first time: no content
	case "unsupported":
		// What WhatsApp sends for what the Cloud API cannot carry (an edit, a poll).
		msg["errors"] = []any{map[string]any{"code": 131051, "title": "Message type unknown",
			"message": "Message type unknown", "error_data": map[string]any{"details": "Message type is currently not supported."}}}
		return with(map[string]any{"type": []string{"edit", "poll"}[m.n%2]})
	}
	return simulatedMediaMessage(m)
}
