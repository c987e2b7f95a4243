package routing

import (
	"reflect"
	"strings"
	"testing"
)

func TestConditions(t *testing.T) {
	f := Facts{ChannelID: "chn_1", Text: "Quiero pagar la FACTURA 12345", MenuOption: "pagos", Open: false,
		Country: "MX", TagIDs: []string{"tag_vip"}, AdSource: "ad_42"}
	for _, tc := range []struct {
		c    Condition
		want bool
	}{
		{Condition{MenuOption, "pagos"}, true},
		{Condition{MenuOption, "ventas"}, false},
		{Condition{Keyword, "factura"}, true},
		{Condition{Keyword, "pagar la factura"}, true},
		{Condition{Keyword, "fact"}, false}, // whole words only
		{Condition{Keyword, "facturación"}, false},
		{Condition{Regex, `\b\d{5}\b`}, true},
		{Condition{Regex, `(?i)^quiero`}, true},
		{Condition{Regex, `^pagar`}, false},
		{Condition{Regex, `(unclosed`}, false},
		{Condition{BusinessHours, "closed"}, true},
		{Condition{BusinessHours, "open"}, false},
		{Condition{Country, "mx"}, true},
		{Condition{Country, "PE"}, false},
		{Condition{ChannelID, "chn_1"}, true},
		{Condition{ChannelID, "chn_2"}, false},
		{Condition{TagID, "tag_vip"}, true},
		{Condition{TagID, "tag_x"}, false},
		{Condition{AdSource, "ad_42"}, true},
		{Condition{AdSource, "*"}, true},
		{Condition{AdSource, "ad_7"}, false},
		{Condition{"weather", "sunny"}, false},
	} {
		if got := holds(tc.c, f); got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.c.Kind, tc.c.Value, got, tc.want)
		}
	}
	if holds(Condition{AdSource, "*"}, Facts{}) || holds(Condition{Country, "MX"}, Facts{}) {
		t.Error("absent facts match nothing")
	}
}

func TestEvaluateInOrderUntilAStop(t *testing.T) {
	mexico := Rule{ID: "r_mx", Conditions: []Condition{{Country, "MX"}},
		Actions: []Action{{Kind: AddTags, TagIDs: []string{"tag_mx"}}}, Continue: true}
	urgent := Rule{ID: "r_urgent", Conditions: []Condition{{Keyword, "urgente"}},
		Actions: []Action{{Kind: SetPriority, Priority: "urgent"}, {Kind: SetQueue, QueueID: "q_soporte"}}}
	billing := Rule{ID: "r_billing", Conditions: []Condition{{Keyword, "factura"}},
		Actions: []Action{{Kind: SetQueue, QueueID: "q_pagos"}, {Kind: AutoReply, Text: "Te ayudamos con tu factura"}}}
	closed := Rule{ID: "r_closed", Conditions: []Condition{{BusinessHours, "closed"}},
		Actions: []Action{{Kind: AutoReply, Text: "Cerrado"}}, Continue: true}
	rules := []Rule{mexico, urgent, billing, closed}

	for _, tc := range []struct {
		name  string
		facts Facts
		want  Outcome
		steps string
	}{
		{"a Mexican customer's urgent message stops at the urgent rule",
			Facts{Country: "MX", Text: "es urgente, mi factura", Open: true},
			Outcome{QueueID: "q_soporte", TagIDs: []string{"tag_mx"}, Priority: "urgent", RuleID: "r_urgent", Stopped: true},
			"r_mx+ r_urgent+!"},
		{"billing answers and stops before the closed notice",
			Facts{Country: "PE", Text: "mi factura"},
			Outcome{QueueID: "q_pagos", Replies: []string{"Te ayudamos con tu factura"}, RuleID: "r_billing", Stopped: true},
			"r_mx- r_urgent- r_billing+!"},
		{"continue rules gather without a queue",
			Facts{Country: "MX", Text: "hola"},
			Outcome{TagIDs: []string{"tag_mx"}, Replies: []string{"Cerrado"}, RuleID: "r_mx"},
			"r_mx+ r_urgent- r_billing- r_closed+"},
		{"nothing matches",
			Facts{Country: "CL", Text: "hola", Open: true},
			Outcome{},
			"r_mx- r_urgent- r_billing- r_closed-"},
	} {
		got := Evaluate(rules, tc.facts)
		var steps []string
		for _, s := range got.Steps {
			mark := "-"
			if s.Matched {
				mark = "+"
			}
			if s.Stopped {
				mark += "!"
			}
			steps = append(steps, s.RuleID+mark)
		}
		if strings.Join(steps, " ") != tc.steps {
			t.Errorf("%s: steps %v, want %s", tc.name, steps, tc.steps)
		}
		got.Steps = nil
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestPatternsAreBounded(t *testing.T) {
	if _, err := CompilePattern(strings.Repeat("a", MaxPattern+1)); err == nil {
		t.Error("a long pattern is refused")
	}
	if _, err := CompilePattern(`(a+)+$`); err != nil {
		t.Errorf("RE2 compiles nested repetition without backtracking: %v", err)
	}
	re, _ := CompilePattern(`(a+)+$`)
	if re.MatchString(strings.Repeat("a", 10000) + "b") {
		t.Error("no match")
	}
	if _, err := CompilePattern(`(?<=x)y`); err == nil {
		t.Error("lookbehind is not RE2")
	}
}
