package main

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// timelineEntry is what these tests read of an event.
type timelineEntry struct {
	Type, ActorKind, ActorID string
	Data                     map[string]any
	At                       time.Time
}

// timeline pages through GET /v1/conversations/{id}/events two at a time.
func timeline(t *testing.T, c *restClient, token, conversationID string) []timelineEntry {
	t.Helper()
	var out []timelineEntry
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 50, "the timeline ends")
		path := "/v1/conversations/" + conversationID + "/events?limit=2"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		var page struct {
			Data []struct {
				Type      string         `json:"type"`
				ActorKind string         `json:"actor_kind"`
				ActorID   *string        `json:"actor_id"`
				CreatedAt time.Time      `json:"created_at"`
				Data      map[string]any `json:"data"`
			} `json:"data"`
			NextCursor *string `json:"next_cursor"`
			HasMore    bool    `json:"has_more"`
		}
		c.expect(http.StatusOK, http.MethodGet, path, token, nil).decode(t, &page)
		require.LessOrEqual(t, len(page.Data), 2)
		for _, e := range page.Data {
			id := ""
			if e.ActorID != nil {
				id = *e.ActorID
			}
			out = append(out, timelineEntry{e.Type, e.ActorKind, id, e.Data, e.CreatedAt})
		}
		if !page.HasMore {
			return out
		}
		cursor = *page.NextCursor
	}
}

// The timeline lists, oldest first and page by page, every step of a
// conversation with who took it: the customer's message opening it, the
// agent's claim (an assignment and a status change), a tag by an
// integration, the agent's reply, and the owner closing it. Whoever cannot
// see the conversation gets 404, in REST and GraphQL.
func TestTimelineShowsEveryStepWithItsActor(t *testing.T) {
	a := newTestApp(t, withGraph(t, newFakeGraph(whatsapp.FakeGraphOptions{})))
	c := a.rest()
	tn := a.bootstrap("Timeline Co")
	general := a.defaultQueueOf(tn)
	a.channel(tn, fakeNumberID)
	agentID, agentTok := a.member(tn, "timeline-agent@example.com", domain.RoleAgent, general)
	other, err := a.Service.CreateQueue(a.system(tn), domain.QueueInput{Name: valuePtr("Cobranzas")})
	require.NoError(t, err)
	_, outsiderTok := a.member(tn, "timeline-outsider@example.com", domain.RoleAgent, other.ID)

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(fakeNumberID, "wamid.timeline.1", "16505551234")).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	convID := page.Items[0].ID
	base := "/v1/conversations/" + convID
	c.expect(http.StatusOK, "POST", base+"/claim", agentTok, nil)
	tag := idOf(t, c.expect(http.StatusCreated, "POST", "/v1/tags", tn.OwnerToken, map[string]any{"name": "vip"}))
	c.expect(http.StatusOK, "PUT", base+"/tags/"+tag, tn.APIKey, nil)
	c.expect(http.StatusCreated, "POST", base+"/messages", agentTok, map[string]any{"text": "¡Hola! ¿En qué te ayudo?"})
	c.expect(http.StatusOK, "POST", base+"/status", tn.OwnerToken, map[string]any{"status": "closed", "close_reason": "resolved"})

	got := timeline(t, c, agentTok, convID)
	type step struct{ typ, kind, id string }
	var steps []step
	for i, e := range got {
		steps = append(steps, step{e.Type, e.ActorKind, e.ActorID})
		if i > 0 {
			require.False(t, e.At.Before(got[i-1].At), "oldest first")
		}
	}
	require.Equal(t, []step{
		{domain.EventConversationCreated, "system", ""},
		{domain.EventMessageCreated, "system", ""},
		{domain.EventConversationAssigned, "user", agentID},
		{domain.EventConversationStatusChanged, "user", agentID},
		{domain.EventConversationTagged, "api_key", got[4].ActorID},
		{domain.EventMessageCreated, "user", agentID},
		{domain.EventConversationStatusChanged, "user", tn.OwnerID},
	}, steps)
	require.NotEmpty(t, got[4].ActorID, "the integration's key is named")
	require.Equal(t, map[string]any{"from": "new", "to": "open"}, pick(got[3].Data, "from", "to"))
	require.Equal(t, map[string]any{"from": "open", "to": "closed", "close_reason": "resolved"},
		pick(got[6].Data, "from", "to", "close_reason"))
	require.Equal(t, tag, got[4].Data["tag_id"])

	c.expect(http.StatusNotFound, "GET", base+"/events", outsiderTok, nil)
	c.expect(http.StatusBadRequest, "GET", base+"/events?limit=0", agentTok, nil)
	c.expect(http.StatusBadRequest, "GET", base+"/events?since=yesterday", agentTok, nil)

	const q = `query($id: ID!) { conversation(id: $id) { events(first: 3) { nodes { type actorKind actorId data }
		pageInfo { hasNextPage endCursor } } } }`
	d := a.gqlOK(agentTok, q, map[string]any{"id": convID})
	require.Equal(t, "conversation.created", d.str(t, "conversation.events.nodes.0.type"))
	require.Equal(t, "USER", d.str(t, "conversation.events.nodes.2.actorKind"))
	require.Equal(t, agentID, d.str(t, "conversation.events.nodes.2.actorId"))
	require.Equal(t, agentID, d.str(t, "conversation.events.nodes.2.data.assignee_id"))
	require.Equal(t, true, d.get(t, "conversation.events.pageInfo.hasNextPage"))
	hidden := a.graphql(outsiderTok, q, map[string]any{"id": convID})
	require.Equal(t, []string{"NOT_FOUND"}, hidden.errorCodes())
}

// pick keeps the named keys of m.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}
