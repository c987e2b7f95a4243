package main

// Helpers for the assignment tests: a team of agents in a queue that hands
// conversations out, driven through REST and checked against openapi.yaml.

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
)

// team is a workspace with an official number and a queue in one
// assignment mode.
type team struct {
	*restClient
	tenant
	QueueID   string
	ChannelID string
	name      string
}

var teamSeq atomic.Int64

// newTeam bootstraps a workspace on a and creates its queue in mode.
func newTeam(t *testing.T, a *testApp, mode string) *team {
	t.Helper()
	n := teamSeq.Add(1)
	c := a.rest()
	name := fmt.Sprintf("Assign%d", n)
	tm := &team{restClient: c, tenant: a.bootstrap(name + " Co"), name: strings.ToLower(name)}
	q := object(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tm.OwnerToken,
		map[string]any{"name": "Soporte", "assignment_mode": mode}))
	require.Equal(t, mode, q["assignment_mode"])
	tm.QueueID = q["id"].(string)
	tm.ChannelID = idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/channels", tm.OwnerToken,
		map[string]any{"phone_number_id": fmt.Sprintf("30%d%06d", n, n), "waba_id": fmt.Sprintf("40%d", n),
			"display_phone_number": fmt.Sprintf("+51 1 %04d", n), "mode": "official"}))
	return tm
}

// agent adds an agent of the queues (the team's queue when none are
// given), online or not, and returns its id and token.
func (tm *team) agent(label string, availability domain.Availability, queueIDs ...string) (string, string) {
	tm.t.Helper()
	if len(queueIDs) == 0 {
		queueIDs = []string{tm.QueueID}
	}
	id, tok := tm.app.member(tm.tenant, tm.name+"-"+label+"@example.com", domain.RoleAgent, queueIDs...)
	if availability != domain.AvailabilityOffline {
		tm.setAvailability(tok, id, availability)
	}
	return id, tok
}

// setAvailability is the agent telling the inbox whether they take work.
func (tm *team) setAvailability(token, userID string, availability domain.Availability) {
	tm.t.Helper()
	u := object(tm.t, tm.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+userID, token,
		map[string]any{"availability": availability}))
	require.Equal(tm.t, string(availability), u["availability"])
}

// setCapacity is an admin setting how many open conversations a user holds.
func (tm *team) setCapacity(userID string, capacity int) {
	tm.t.Helper()
	tm.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+userID, tm.OwnerToken, map[string]any{"capacity": capacity})
}

var assignContactSeq atomic.Int64

// open opens a conversation with a new contact in the queue and returns
// it as REST renders it.
func (tm *team) open(queueID string) map[string]any {
	tm.t.Helper()
	n := assignContactSeq.Add(1)
	contact := idOf(tm.t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", tm.OwnerToken,
		map[string]any{"wa_id": fmt.Sprintf("5198%07d", n)}))
	return object(tm.t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/conversations", tm.APIKey,
		map[string]any{"contact_id": contact, "queue_id": queueID}))
}

// conversation reads a conversation as the owner.
func (tm *team) conversation(id string) map[string]any {
	tm.t.Helper()
	return object(tm.t, tm.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+id, tm.OwnerToken, nil))
}

// assigneeOf is the conversation's assignee ("" when it waits).
func (tm *team) assigneeOf(id string) string {
	tm.t.Helper()
	a, _ := tm.conversation(id)["assignee_id"].(string)
	return a
}

// assignedEvents lists who each conversation.assigned event of the
// conversation named, with its actor, oldest first.
func (tm *team) assignedEvents(conversationID string) []assignedEvent {
	tm.t.Helper()
	rows, err := tm.app.sql().Query(`SELECT actor_kind, actor_id, payload FROM events
		WHERE subject_id = $1 AND type = $2 ORDER BY created_at, id`, conversationID, domain.EventConversationAssigned)
	require.NoError(tm.t, err)
	defer rows.Close()
	var out []assignedEvent
	for rows.Next() {
		var e assignedEvent
		var payload string
		require.NoError(tm.t, rows.Scan(&e.ActorKind, &e.ActorID, &payload))
		e.Payload = payload
		out = append(out, e)
	}
	require.NoError(tm.t, rows.Err())
	return out
}

type assignedEvent struct {
	ActorKind, ActorID, Payload string
}

// onPostgres skips tests that need several connections writing at once.
func onPostgres(t *testing.T, a *testApp) {
	t.Helper()
	if a.DB.Dialect() != persistence.DialectPostgres {
		t.Skip("needs Postgres: SQLite runs one writer at a time")
	}
}
