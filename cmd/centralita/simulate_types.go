package main

import (
	"fmt"
	"slices"
	"strings"
)

// simulatedTypes are the message types `simulate --types` can send, in
// turn. Media messages name the demo's sample media ids (demo_media.go),
// which the demo's fake Graph API serves; against another server their
// download fails, as it would for an unknown id at Meta.
var simulatedTypes = []string{"text", "image", "document", "audio", "location", "contacts",
	"interactive", "button", "reaction"}

func parseSimulatedTypes(list string) ([]string, error) {
	var types []string
	for _, t := range strings.Split(list, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if !slices.Contains(simulatedTypes, t) {
			return nil, fmt.Errorf("simulate: unknown --types entry %q (use %s)", t, strings.Join(simulatedTypes, ", "))
		}
		types = append(types, t)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("simulate: --types needs at least one of %s", strings.Join(simulatedTypes, ", "))
	}
	return types, nil
}

// simulatedMenu is what a welcome menu's answers look like: the option ids
// a bot routes on (Ventas, Soporte, Cobranzas).
var simulatedMenu = []struct{ id, title string }{{"ventas", "Ventas"}, {"soporte", "Soporte"}, {"cobranzas", "Cobranzas"}}

// simulatedTypedMessage renders the n-th message as Meta would when its
// type (types in turn) is not plain text; nil for text.
func simulatedTypedMessage(types []string, n int, from, id, ts string) map[string]any {
	if len(types) == 0 {
		return nil
	}
	base := func(kind string, content any) map[string]any {
		return map[string]any{"from": from, "id": id, "timestamp": ts, "type": kind, kind: content}
	}
	option := simulatedMenu[n%len(simulatedMenu)]
	switch types[n%len(types)] {
	case "location":
		return base("location", map[string]any{"latitude": -12.0464, "longitude": -77.0428,
			"name": "Plaza Mayor", "address": "Jr. de la Unión, Lima"})
	case "contacts":
		return base("contacts", []any{map[string]any{
			"name":   map[string]any{"formatted_name": "Rosa Quispe", "first_name": "Rosa"},
			"phones": []any{map[string]any{"phone": "+51 987 111 222", "wa_id": "51987111222", "type": "CELL"}}}})
	case "interactive":
		if n%2 == 0 {
			return base("interactive", map[string]any{"type": "button_reply",
				"button_reply": map[string]any{"id": option.id, "title": option.title}})
		}
		return base("interactive", map[string]any{"type": "list_reply",
			"list_reply": map[string]any{"id": option.id, "title": option.title, "description": "Elegido del menú"}})
	case "button":
		m := base("button", map[string]any{"payload": option.id, "text": option.title})
		m["context"] = map[string]any{"from": "15550000000", "id": "wamid.sim.template"}
		return m
	case "reaction":
		return base("reaction", map[string]any{"message_id": "wamid.sim.earlier", "emoji": "👍"})
	}
	return simulatedMediaMessage(types, n, from, id, ts)
}
