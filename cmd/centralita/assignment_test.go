package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// A round-robin queue deals new conversations to its online members in
// turn, and the event says the rule did it.
func TestRoundRobinAlternatesOnlineAgents(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "round_robin")
	ana, _ := tm.agent("ana", domain.AvailabilityOnline)
	beto, _ := tm.agent("beto", domain.AvailabilityOnline)
	q := object(t, tm.expect(http.StatusOK, http.MethodGet, "/v1/queues/"+tm.QueueID, tm.OwnerToken, nil))
	require.Equal(t, "round_robin", q["assignment_mode"])

	var got []string
	for range 4 {
		c := tm.open(tm.QueueID)
		got = append(got, c["assignee_id"].(string))
	}
	require.ElementsMatch(t, []string{ana, beto}, got[:2])
	require.Equal(t, got[:2], got[2:], "the turn comes back in the same order")

	c := tm.open(tm.QueueID)
	events := tm.assignedEvents(c["id"].(string))
	require.Len(t, events, 1)
	require.Equal(t, "rule", events[0].ActorKind)
	require.Equal(t, domain.AutoAssignRule, events[0].ActorID)
	require.Contains(t, events[0].Payload, c["assignee_id"].(string))
}

// A manual queue leaves conversations for agents to claim.
func TestManualQueueLeavesConversationsUnassigned(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "manual")
	tm.agent("ana", domain.AvailabilityOnline)
	c := tm.open(tm.QueueID)
	require.Nil(t, c["assignee_id"])
	require.Empty(t, tm.assignedEvents(c["id"].(string)))
}

// Least busy gives each conversation to the online member holding the
// fewest, never past their capacity; when all are full it waits.
func TestLeastBusyRespectsCapacity(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "least_busy")
	ana, _ := tm.agent("ana", domain.AvailabilityOnline)
	beto, _ := tm.agent("beto", domain.AvailabilityOnline)
	tm.setCapacity(ana, 1)
	tm.setCapacity(beto, 2)

	held := map[string]int{}
	for range 3 {
		c := tm.open(tm.QueueID)
		held[c["assignee_id"].(string)]++
	}
	require.Equal(t, map[string]int{ana: 1, beto: 2}, held)
	waiting := tm.open(tm.QueueID)
	require.Nil(t, waiting["assignee_id"], "everyone is full: it waits")
}

// Only online agents get conversations: away and offline ones get nothing,
// and what waits is handed out, oldest first, when someone comes online.
func TestWaitingConversationGoesToTheAgentWhoComesOnline(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "round_robin")
	tm.agent("ana", domain.AvailabilityAway)
	beto, betoTok := tm.agent("beto", domain.AvailabilityOffline)
	tm.setCapacity(beto, 1)

	older := tm.open(tm.QueueID)["id"].(string)
	newer := tm.open(tm.QueueID)["id"].(string)
	require.Empty(t, tm.assigneeOf(older), "away and offline agents get nothing")
	require.Empty(t, tm.assigneeOf(newer))

	tm.setAvailability(betoTok, beto, domain.AvailabilityOnline)
	require.Equal(t, beto, tm.assigneeOf(older), "the longest waiting first")
	require.Empty(t, tm.assigneeOf(newer), "beto is full")

	// Closing frees beto's place: the next in line is his.
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+older+"/status", betoTok,
		map[string]any{"status": "closed", "close_reason": "resolved"})
	require.Equal(t, beto, tm.assigneeOf(newer))
}

// More capacity, or an unassigned conversation, hands out what waits.
func TestRaisedCapacityAndUnassignmentHandOutWaiting(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "least_busy")
	ana, _ := tm.agent("ana", domain.AvailabilityOnline)
	tm.setCapacity(ana, 1)
	first := tm.open(tm.QueueID)["id"].(string)
	second := tm.open(tm.QueueID)["id"].(string)
	require.Equal(t, ana, tm.assigneeOf(first))
	require.Empty(t, tm.assigneeOf(second))

	tm.setCapacity(ana, 2)
	require.Equal(t, ana, tm.assigneeOf(second))

	// A supervisor takes the first back: ana has room for the third.
	third := tm.open(tm.QueueID)["id"].(string)
	require.Empty(t, tm.assigneeOf(third))
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+second+"/assign", tm.OwnerToken,
		map[string]any{"assignee_id": tm.OwnerID})
	require.Equal(t, ana, tm.assigneeOf(third))
}

// Capacity is set by admins and supervisors of the agent's queues, not by
// the agent; availability by the agent themselves.
func TestWhoSetsAvailabilityAndCapacity(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "round_robin")
	ana, anaTok := tm.agent("ana", domain.AvailabilityOnline)
	_, supTok := tm.app.member(tm.tenant, tm.name+"-sup@example.com", domain.RoleSupervisor, tm.QueueID)
	otherQueue := idOf(t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tm.OwnerToken,
		map[string]any{"name": "Ventas"}))
	_, outsiderTok := tm.app.member(tm.tenant, tm.name+"-sup2@example.com", domain.RoleSupervisor, otherQueue)

	tm.expect(http.StatusForbidden, http.MethodPatch, "/v1/users/"+ana, anaTok, map[string]any{"capacity": 50})
	tm.expect(http.StatusForbidden, http.MethodPatch, "/v1/users/"+ana, outsiderTok, map[string]any{"capacity": 3})
	u := object(t, tm.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+ana, supTok, map[string]any{"capacity": 3}))
	require.EqualValues(t, 3, u["capacity"])
	tm.expect(http.StatusForbidden, http.MethodPatch, "/v1/users/"+ana, supTok, map[string]any{"availability": "away"})
	tm.setAvailability(anaTok, ana, domain.AvailabilityAway)
	p := problemOf(t, tm.expect(http.StatusBadRequest, http.MethodPatch, "/v1/users/"+ana, anaTok,
		map[string]any{"availability": "busy"}))
	require.Equal(t, "availability", p.Errors[0].Field)
	p = problemOf(t, tm.expect(http.StatusBadRequest, http.MethodPatch, "/v1/queues/"+tm.QueueID, tm.OwnerToken,
		map[string]any{"assignment_mode": "fastest"}))
	require.Equal(t, "assignment_mode", p.Errors[0].Field)
	q := object(t, tm.expect(http.StatusOK, http.MethodGet, "/v1/queues/"+tm.QueueID, tm.OwnerToken, nil))
	require.Equal(t, "round_robin", q["assignment_mode"], "a refused change writes nothing")
}

// A customer writing a new conversation to a number whose queue hands out
// conversations is assigned as soon as the message is stored.
func TestInboundConversationIsAssignedAutomatically(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Inbound Assign Co")
	c := a.rest()
	queue := a.defaultQueueOf(tn)
	c.expect(http.StatusOK, http.MethodPatch, "/v1/queues/"+queue, tn.OwnerToken,
		map[string]any{"assignment_mode": "least_busy"})
	ana, anaTok := a.member(tn, "inbound-ana@example.com", domain.RoleAgent, queue)
	c.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+ana, anaTok, map[string]any{"availability": "online"})
	a.channel(tn, fakeNumberID)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(fakeNumberID, "wamid.assign.1", "16505551234")).Status)

	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, ana, page.Items[0].AssigneeID)
}

// Assignment comes after routing: a first message whose menu reply routes
// it to an automatic queue is assigned there, not in the queue it landed
// in (where an online agent also waits).
func TestInboundConversationIsAssignedAfterRouting(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Routed Assign Co")
	c := a.rest()
	general := a.defaultQueueOf(tn)
	c.expect(http.StatusOK, http.MethodPatch, "/v1/queues/"+general, tn.OwnerToken,
		map[string]any{"assignment_mode": "round_robin"})
	ventas := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tn.OwnerToken,
		map[string]any{"name": "Ventas", "assignment_mode": "round_robin"}))
	for email, queue := range map[string]string{"routed-gen@example.com": general, "routed-ventas@example.com": ventas} {
		id, tok := a.member(tn, email, domain.RoleAgent, queue)
		c.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+id, tok, map[string]any{"availability": "online"})
	}
	a.channel(tn, fakeNumberID)
	require.Equal(t, http.StatusOK, a.deliver(interactiveReplyDelivery(fakeNumberID, "wamid.routed.1", "16505551234", "ventas")).Status)

	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	conv := page.Items[0]
	require.Equal(t, ventas, conv.QueueID)
	ventasAgent, err := a.Service.Users(a.system(tn), domain.UserFilter{QueueID: ventas})
	require.NoError(t, err)
	require.Equal(t, ventasAgent.Items[0].ID, conv.AssigneeID)
}
