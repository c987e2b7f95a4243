package main

// The sweep's two workspaces: A, whose credentials make every request, and
// B, whose ids every request carries. B's texts carry a canary so a leak
// shows in any answer, whatever field it comes through.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// sweepCanary marks every text of workspace B.
const sweepCanary = "CANARY-B"

// victim is workspace B: one of each object, by id prefix.
type victim struct {
	world
	ids      map[string]string // id prefix ("conv", "que", …) to B's object of that kind
	canaries []string          // B's ids and marked texts: none may appear in an answer to A
}

// seedVictim populates B through its own REST API and marks its texts.
func seedVictim(t *testing.T, c *restClient) victim {
	t.Helper()
	b := victim{world: c.populate("Bravo Victim")}
	tok := b.OwnerToken
	mark := func(what string) string { return sweepCanary + "-" + what }
	for path, body := range map[string]map[string]any{
		"/v1/workspace":                           {"name": mark("workspace")},
		"/v1/queues/" + b.QueueID:                 {"name": mark("queue"), "description": mark("queue-description")},
		"/v1/queues/" + b.OtherQueueID:            {"name": mark("other-queue")},
		"/v1/tags/" + b.TagID:                     {"name": mark("tag")},
		"/v1/contacts/" + b.ContactID:             {"name": mark("contact")},
		"/v1/channels/" + b.ChannelID:             {"name": mark("channel")},
		"/v1/users/" + b.AgentID:                  {"name": mark("agent")},
		"/v1/close-reasons/" + b.CloseReasonID:    {"name": mark("close-reason")},
		"/v1/business-hours/" + b.BusinessHoursID: {"name": mark("hours")},
		"/v1/sla-policies/" + b.SLAPolicyID:       {"name": mark("sla")},
		"/v1/routing-rules/" + b.RoutingRuleID:    {"name": mark("rule")},
	} {
		c.expect(http.StatusOK, http.MethodPatch, path, tok, body)
	}
	conv := "/v1/conversations/" + b.ConversationID
	note := idOf(t, c.expect(http.StatusCreated, http.MethodPost, conv+"/notes", tok, map[string]any{"body": mark("note")}))
	task := idOf(t, c.expect(http.StatusCreated, http.MethodPost, conv+"/tasks", tok, map[string]any{"title": mark("task")}))
	msg, err := c.app.Service.RecordInboundText(c.app.system(b.tenant), b.ConversationID, mark("message"), time.Now())
	require.NoError(t, err)
	media := c.uploadOK(tok, mark("file")+".png", "image/png", pngBytes(t))
	hook := b.WebhookEndpointID
	c.expect(http.StatusOK, http.MethodPatch, "/v1/webhook-endpoints/"+hook, tok, map[string]any{"description": mark("webhook")})
	hookEvent := object(t, c.expect(http.StatusAccepted, http.MethodPost, "/v1/webhook-endpoints/"+hook+"/test", tok, nil))["event_id"].(string)
	b.ids = map[string]string{
		domain.PrefixWorkspace: b.WorkspaceID, domain.PrefixConversation: b.ConversationID, domain.PrefixContact: b.ContactID,
		domain.PrefixMessage: msg.ID, domain.PrefixNote: note, domain.PrefixTask: task, domain.PrefixTag: b.TagID,
		domain.PrefixQueue: b.QueueID, domain.PrefixUser: b.AgentID, domain.PrefixAPIKey: b.APIKeyID,
		domain.PrefixChannel: b.ChannelID, domain.PrefixBusinessHours: b.BusinessHoursID, domain.PrefixSLAPolicy: b.SLAPolicyID,
		domain.PrefixRoutingRule: b.RoutingRuleID, domain.PrefixCloseReason: b.CloseReasonID, domain.PrefixMediaFile: media,
		domain.PrefixWebhookEndpoint: hook, domain.PrefixEvent: hookEvent,
	}
	b.canaries = []string{sweepCanary, b.OwnerID, b.SupervisorID, b.OtherQueueID, b.TaskID, b.MessageID, b.APIKeySecret}
	for _, id := range b.ids {
		b.canaries = append(b.canaries, id)
	}
	return b
}

// requireNoCanary fails when an answer to A shows anything of B. The ids
// the request itself carried may be echoed ("no queue que_… in this
// workspace"): that tells the caller only what it sent.
func (b victim) requireNoCanary(t *testing.T, what string, body []byte, carried ...string) {
	t.Helper()
	text := string(body)
	for _, id := range carried {
		text = strings.ReplaceAll(text, id, "<sent id>")
	}
	for _, canary := range b.canaries {
		require.NotContains(t, text, canary, "%s shows B's data: %s", what, excerpt(text))
	}
	require.NotContains(t, strings.ToUpper(text), "BRAVO", "%s shows B's name", what)
}

// snapshot reads everything of B, as B, including versions and counts.
func (b victim) snapshot(c *restClient) map[string]string {
	out := snapshotWorld(c, b.world)
	for _, path := range []string{"/v1/routing-rules/" + b.RoutingRuleID, "/v1/business-hours/" + b.BusinessHoursID,
		"/v1/sla-policies/" + b.SLAPolicyID, "/v1/channels/" + b.ChannelID, "/v1/close-reasons/" + b.CloseReasonID,
		"/v1/board", "/v1/queues/" + b.OtherQueueID, "/v1/tags/" + b.TagID, "/v1/users/" + b.SupervisorID,
		"/v1/webhook-endpoints/" + b.ids[domain.PrefixWebhookEndpoint],
		"/v1/webhook-endpoints/" + b.ids[domain.PrefixWebhookEndpoint] + "/deliveries"} {
		out[path] = string(c.expect(http.StatusOK, http.MethodGet, path, b.OwnerToken, nil).Body)
	}
	return out
}

func excerpt(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}
