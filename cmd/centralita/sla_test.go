package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Nobody answers: each conversation warns, then breaches, and its policy's
// escalation happens, recorded as the policy (actor rule). The conversation
// shows the breach and the breaching-now listing finds it.
func TestSLABreachEscalatesWhenNobodyAnswers(t *testing.T) {
	a := slaApp(t)
	d := newSLADesk(t, a, "Escalation Co")
	tok := d.tn.OwnerToken
	escalationQueue := idOf(t, d.c.expect(201, "POST", "/v1/queues", tok, map[string]any{"name": "Supervisión"}))
	tag := idOf(t, d.c.expect(201, "POST", "/v1/tags", tok, map[string]any{"name": "sla-vencido"}))
	agentID, _ := a.member(d.tn, "agente@escalation.test", "agent")
	target := func(e map[string]any) map[string]any {
		return map[string]any{"first_response_seconds": 2, "warning_ratio": 0.5, "escalation": e}
	}
	type check func(conv map[string]any, breach slaEvent, events []slaEvent)
	cases := map[string]struct {
		escalation map[string]any
		prepare    func(queueID, convID string)
		check      check
	}{
		"raise_priority": {escalation: map[string]any{"action": "raise_priority"},
			check: func(conv map[string]any, _ slaEvent, events []slaEvent) {
				require.Equal(t, "high", conv["priority"])
				require.Len(t, eventsTyped(events, "conversation.priority_changed"), 1)
			}},
		"tag": {escalation: map[string]any{"action": "tag", "tag_id": tag},
			check: func(conv map[string]any, _ slaEvent, events []slaEvent) {
				require.Equal(t, []any{tag}, conv["tags"])
				tagged := eventsTyped(events, "conversation.tagged")
				require.Len(t, tagged, 1)
				require.Equal(t, "rule", tagged[0].ActorKind)
			}},
		"move_queue": {escalation: map[string]any{"action": "move_queue", "queue_id": escalationQueue},
			check: func(conv map[string]any, _ slaEvent, events []slaEvent) {
				require.Equal(t, escalationQueue, conv["queue_id"])
				require.Nil(t, conv["sla"], "the new queue measures nothing")
				require.Len(t, eventsTyped(events, "conversation.transferred"), 1)
			}},
		"reassign": {escalation: map[string]any{"action": "reassign"},
			prepare: func(queueID, convID string) {
				d.c.expect(200, "POST", "/v1/conversations/"+convID+"/assign", tok, map[string]any{"assignee_id": agentID})
			},
			check: func(conv map[string]any, _ slaEvent, events []slaEvent) {
				require.Nil(t, conv["assignee_id"])
				assigned := eventsTyped(events, "conversation.assigned")
				require.Len(t, assigned, 2, "assigned by the owner, then unassigned by the policy")
				require.Equal(t, "rule", assigned[1].ActorKind)
				require.Nil(t, assigned[1].Payload["assignee_id"])
			}},
	}
	supervisorID, _ := a.member(d.tn, "sup@escalation.test", "supervisor")
	cases["notify"] = struct {
		escalation map[string]any
		prepare    func(queueID, convID string)
		check      check
	}{escalation: map[string]any{"action": "notify", "notify_user_ids": []string{agentID}},
		prepare: func(queueID, _ string) {
			d.c.expect(200, "PUT", "/v1/queues/"+queueID+"/members/"+supervisorID, tok, nil)
		},
		check: func(_ map[string]any, breach slaEvent, _ []slaEvent) {
			require.Equal(t, []any{agentID}, breach.Payload["notify_user_ids"])
			require.Equal(t, []any{supervisorID}, breach.Payload["supervisor_ids"])
		}}

	convs, policies := map[string]string{}, map[string]string{}
	for name, tc := range cases {
		queueID, policyID := d.queueWithPolicy("SLA "+name, target(tc.escalation))
		conv := d.customerWritesTo(queueID)
		if tc.prepare != nil {
			tc.prepare(queueID, conv)
		}
		sla := d.conversation(conv)["sla"].(map[string]any)
		require.Equal(t, policyID, sla["policy_id"])
		require.Equal(t, "on_track", sla["state"])
		require.NotNil(t, sla["first_response_due_at"])
		require.Nil(t, sla["resolution_due_at"], "the policy does not measure resolution")
		convs[name], policies[name] = conv, policyID
	}
	require.Empty(t, listData(t, d.c.expect(200, "GET", "/v1/conversations?sla_state=breached", tok, nil)))

	a.startJobs()
	for name, tc := range cases {
		conv := convs[name]
		breach := a.waitForEvent(conv, "sla.breached")
		events := a.eventsOf(conv)
		warnings := eventsTyped(events, "sla.warning")
		require.Len(t, warnings, 1, name)
		require.Equal(t, [2]string{"rule", policies[name]}, [2]string{warnings[0].ActorKind, warnings[0].ActorID}, name)
		require.Equal(t, [2]string{"rule", policies[name]}, [2]string{breach.ActorKind, breach.ActorID}, name)
		require.Equal(t, "first_response", breach.Payload["target"], name)
		require.Equal(t, name, breach.Payload["escalation"], name)
		var order []string
		for _, e := range events {
			if e.Type == "sla.warning" || e.Type == "sla.breached" {
				order = append(order, e.Type)
			}
		}
		require.Equal(t, []string{"sla.warning", "sla.breached"}, order, name)
		view := d.conversation(conv)
		if name != "move_queue" {
			require.Equal(t, "breached", view["sla"].(map[string]any)["state"], name)
		}
		tc.check(view, breach, events)
	}
	var breaching []string
	for _, conv := range listData(t, d.c.expect(200, "GET", "/v1/conversations?sla_state=breached", tok, nil)) {
		breaching = append(breaching, conv["id"].(string))
	}
	require.ElementsMatch(t, []string{convs["raise_priority"], convs["tag"], convs["reassign"], convs["notify"]}, breaching)
	gql := a.gqlOK(tok, `{ conversations(filter: {slaState: BREACHED}) { nodes { id sla { state policy { id } firstResponseDueAt } } } }`, nil)
	require.Len(t, gql.list(t, "conversations.nodes"), 4)
	require.Equal(t, "BREACHED", gql.str(t, "conversations.nodes.0.sla.state"))
	res := d.c.expect(400, "GET", "/v1/conversations?sla_state=late", tok, nil)
	require.Equal(t, "sla_state", problemOf(t, res).Errors[0].Field)
}

// A human reply in time meets the first response: no breach ever fires for
// it, while a conversation nobody answered, due later, does breach.
func TestSLAHumanReplyInTimeMeetsIt(t *testing.T) {
	a := slaApp(t)
	d := newSLADesk(t, a, "Answered Co")
	tok := d.tn.OwnerToken
	fast, _ := d.queueWithPolicy("Rápida", map[string]any{"first_response_seconds": 1, "next_response_seconds": 60,
		"escalation": map[string]any{"action": "raise_priority"}})
	slow, _ := d.queueWithPolicy("Lenta", map[string]any{"first_response_seconds": 3,
		"escalation": map[string]any{"action": "raise_priority"}})
	byAgent := d.customerWritesTo(fast)
	d.c.expect(201, "POST", "/v1/conversations/"+byAgent+"/messages", tok, map[string]any{"text": "¡Hola! ¿En qué ayudo?"})
	key := object(t, d.c.expect(201, "POST", "/v1/api-keys", tok, map[string]any{"name": "crm"}))["secret"].(string)
	byIntegration := d.customerWritesTo(fast)
	d.c.expect(201, "POST", "/v1/conversations/"+byIntegration+"/messages", key, map[string]any{"text": "Recibido"})
	unanswered := d.customerWritesTo(slow)
	for _, conv := range []string{byAgent, byIntegration} {
		sla := d.conversation(conv)["sla"].(map[string]any)
		require.Equal(t, "met", sla["state"])
		require.Nil(t, sla["next_response_due_at"], "nobody is waiting for a next response")
	}

	a.startJobs()
	a.waitForEvent(unanswered, "sla.breached")
	for _, conv := range []string{byAgent, byIntegration} {
		events := a.eventsOf(conv)
		require.Empty(t, eventsTyped(events, "sla.breached"), "answered in time")
		require.Empty(t, eventsTyped(events, "sla.warning"), "answered before the warning")
		require.Equal(t, "normal", d.conversation(conv)["priority"])
	}
	// The customer writes again: the next-response clock starts, and a
	// human reply meets it again.
	d.customerWritesAgain(byAgent)
	sla := d.conversation(byAgent)["sla"].(map[string]any)
	require.Equal(t, "on_track", sla["state"])
	require.NotNil(t, sla["next_response_due_at"])
	d.c.expect(201, "POST", "/v1/conversations/"+byAgent+"/messages", tok, map[string]any{"text": "Listo"})
	sla = d.conversation(byAgent)["sla"].(map[string]any)
	require.Equal(t, "met", sla["state"])
	require.Nil(t, sla["next_response_due_at"])
}

// An SLA timer is a job in the database: the app that started the clock
// goes away, and the next one on the same database breaches it.
func TestSLAClockSurvivesARestart(t *testing.T) {
	first := slaApp(t)
	d := newSLADesk(t, first, "Restart SLA Co")
	queue, _ := d.queueWithPolicy("Nocturna", map[string]any{"first_response_seconds": 1,
		"escalation": map[string]any{"action": "raise_priority"}})
	conv := d.customerWritesTo(queue)

	second, err := newApp(context.Background(), first.Config, first.DB, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	restarted := &testApp{t: t, app: second, URL: first.URL, DB: first.DB, Service: second.service, Config: first.Config}
	restarted.startJobs()
	breach := restarted.waitForEvent(conv, "sla.breached")
	require.Equal(t, "rule", breach.ActorKind)
	require.Eventually(t, func() bool { return d.conversation(conv)["priority"] == "high" }, 5*time.Second, 20*time.Millisecond)
}

// The clock counts in the queue's business hours: a customer who writes
// on a day the queue is closed is due from the next opening.
func TestSLAWaitsForTheQueueToOpen(t *testing.T) {
	a := slaApp(t)
	d := newSLADesk(t, a, "Hours SLA Co")
	tok := d.tn.OwnerToken
	today := time.Now().UTC()
	var weekly []map[string]any
	for _, day := range []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} {
		if day != strings.ToLower(today.Weekday().String()[:3]) {
			weekly = append(weekly, map[string]any{"day": day, "open": "00:00", "close": "24:00"})
		}
	}
	plan := idOf(t, d.c.expect(201, "POST", "/v1/business-hours", tok, map[string]any{"name": "Cerrado hoy",
		"timezone": "UTC", "weekly": weekly}))
	queue, _ := d.queueWithPolicy("Con horario", map[string]any{"first_response_seconds": 60,
		"escalation": map[string]any{"action": "raise_priority"}})
	d.c.expect(200, "PATCH", "/v1/queues/"+queue, tok, map[string]any{"business_hours_id": plan})
	conv := d.conversation(d.customerWritesTo(queue))
	created, err := time.Parse(time.RFC3339Nano, conv["created_at"].(string))
	require.NoError(t, err)
	if created.Weekday() != today.Weekday() {
		t.Skip("midnight passed while the test ran")
	}
	opening := time.Date(created.Year(), created.Month(), created.Day()+1, 0, 0, 0, 0, time.UTC)
	due, err := time.Parse(time.RFC3339Nano, conv["sla"].(map[string]any)["first_response_due_at"].(string))
	require.NoError(t, err)
	require.Equal(t, opening.Add(time.Minute), due.UTC())
}
