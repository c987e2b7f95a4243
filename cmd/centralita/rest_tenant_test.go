package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// crossProbe is one request carrying another workspace's id, plus the
// foreign id it carries.
type crossProbe struct {
	path    string
	foreign string
	body    any
}

// crossTenantCases lists, for every spec operation with a path parameter,
// requests that use workspace A's ids with workspace B's credentials.
// Two-id routes are probed one foreign id at a time (the other id is B's
// own), so each id's check is exercised.
func crossTenantCases(a, b world) map[string][]crossProbe {
	conv := "/v1/conversations/" + a.ConversationID
	hook := "/v1/webhook-endpoints/" + a.WebhookEndpointID
	one := func(path, foreign string, body any) []crossProbe { return []crossProbe{{path, foreign, body}} }
	pair := func(format, aFirst, bSecond, bFirst, aSecond string) []crossProbe {
		return []crossProbe{{fmt.Sprintf(format, aFirst, bSecond), aFirst, nil}, {fmt.Sprintf(format, bFirst, aSecond), aSecond, nil}}
	}
	name := map[string]any{"name": "Hijacked"}
	return map[string][]crossProbe{
		"GET /v1/conversations/{id}":                  one(conv, a.ConversationID, nil),
		"PATCH /v1/conversations/{id}":                one(conv, a.ConversationID, map[string]any{"priority": "urgent"}),
		"POST /v1/conversations/{id}/claim":           one(conv+"/claim", a.ConversationID, nil),
		"POST /v1/conversations/{id}/assign":          one(conv+"/assign", a.ConversationID, map[string]any{"assignee_id": nil}),
		"POST /v1/conversations/{id}/transfer":        one(conv+"/transfer", a.ConversationID, map[string]any{"queue_id": b.QueueID}),
		"POST /v1/conversations/{id}/status":          one(conv+"/status", a.ConversationID, map[string]any{"status": "closed", "close_reason": "resolved"}),
		"PUT /v1/conversations/{id}/tags/{tag_id}":    pair("/v1/conversations/%s/tags/%s", a.ConversationID, b.TagID, b.ConversationID, a.TagID),
		"DELETE /v1/conversations/{id}/tags/{tag_id}": pair("/v1/conversations/%s/tags/%s", a.ConversationID, b.TagID, b.ConversationID, a.TagID),
		"GET /v1/conversations/{id}/messages":         one(conv+"/messages", a.ConversationID, nil),
		"POST /v1/conversations/{id}/messages":        one(conv+"/messages", a.ConversationID, map[string]any{"text": "leak?"}),
		"POST /v1/conversations/{id}/read":            one(conv+"/read", a.ConversationID, nil),
		"POST /v1/messages/{id}/read":                 one("/v1/messages/"+a.MessageID+"/read", a.MessageID, nil),
		"GET /v1/conversations/{id}/notes":            one(conv+"/notes", a.ConversationID, nil),
		"POST /v1/conversations/{id}/notes":           one(conv+"/notes", a.ConversationID, map[string]any{"body": "leak?"}),
		"GET /v1/conversations/{id}/tasks":            one(conv+"/tasks", a.ConversationID, nil),
		"POST /v1/conversations/{id}/tasks":           one(conv+"/tasks", a.ConversationID, map[string]any{"title": "leak?"}),
		"PATCH /v1/tasks/{id}":                        one("/v1/tasks/"+a.TaskID, a.TaskID, map[string]any{"done": true}),
		"GET /v1/contacts/{id}":                       one("/v1/contacts/"+a.ContactID, a.ContactID, nil),
		"PATCH /v1/contacts/{id}":                     one("/v1/contacts/"+a.ContactID, a.ContactID, name),
		"DELETE /v1/contacts/{id}":                    one("/v1/contacts/"+a.ContactID, a.ContactID, nil),
		// B's contact into A's: A's is unknown to B (A's into B's is a 400
		// naming contact_id, in TestContactMergeRefusals).
		"POST /v1/contacts/{id}/merge":             one("/v1/contacts/"+a.ContactID+"/merge", a.ContactID, map[string]any{"contact_id": b.ContactID}),
		"PUT /v1/contacts/{id}/tags/{tag_id}":      pair("/v1/contacts/%s/tags/%s", a.ContactID, b.TagID, b.ContactID, a.TagID),
		"DELETE /v1/contacts/{id}/tags/{tag_id}":   pair("/v1/contacts/%s/tags/%s", a.ContactID, b.TagID, b.ContactID, a.TagID),
		"GET /v1/queues/{id}":                      one("/v1/queues/"+a.QueueID, a.QueueID, nil),
		"PATCH /v1/queues/{id}":                    one("/v1/queues/"+a.QueueID, a.QueueID, name),
		"DELETE /v1/queues/{id}":                   one("/v1/queues/"+a.OtherQueueID, a.OtherQueueID, nil),
		"PUT /v1/queues/{id}/members/{user_id}":    pair("/v1/queues/%s/members/%s", a.QueueID, b.AgentID, b.QueueID, a.AgentID),
		"DELETE /v1/queues/{id}/members/{user_id}": pair("/v1/queues/%s/members/%s", a.QueueID, b.AgentID, b.QueueID, a.AgentID),
		"GET /v1/users/{id}":                       one("/v1/users/"+a.AgentID, a.AgentID, nil),
		"PATCH /v1/users/{id}":                     one("/v1/users/"+a.AgentID, a.AgentID, map[string]any{"active": false}),
		"DELETE /v1/users/{id}":                    one("/v1/users/"+a.AgentID, a.AgentID, nil),
		"GET /v1/tags/{id}":                        one("/v1/tags/"+a.TagID, a.TagID, nil),
		"PATCH /v1/tags/{id}":                      one("/v1/tags/"+a.TagID, a.TagID, name),
		"DELETE /v1/tags/{id}":                     one("/v1/tags/"+a.TagID, a.TagID, nil),
		"GET /v1/channels/{id}":                    one("/v1/channels/"+a.ChannelID, a.ChannelID, nil),
		"PATCH /v1/channels/{id}":                  one("/v1/channels/"+a.ChannelID, a.ChannelID, name),
		"DELETE /v1/channels/{id}":                 one("/v1/channels/"+a.ChannelID, a.ChannelID, nil),
		"DELETE /v1/api-keys/{id}":                 one("/v1/api-keys/"+a.APIKeyID, a.APIKeyID, nil),
		"GET /v1/business-hours/{id}":              one("/v1/business-hours/"+a.BusinessHoursID, a.BusinessHoursID, nil),
		"PATCH /v1/business-hours/{id}":            one("/v1/business-hours/"+a.BusinessHoursID, a.BusinessHoursID, name),
		"DELETE /v1/business-hours/{id}":           one("/v1/business-hours/"+a.BusinessHoursID, a.BusinessHoursID, nil),
		"GET /v1/sla-policies/{id}":                one("/v1/sla-policies/"+a.SLAPolicyID, a.SLAPolicyID, nil),
		"PATCH /v1/sla-policies/{id}":              one("/v1/sla-policies/"+a.SLAPolicyID, a.SLAPolicyID, name),
		"DELETE /v1/sla-policies/{id}":             one("/v1/sla-policies/"+a.SLAPolicyID, a.SLAPolicyID, nil),
		"GET /v1/channels/{id}/welcome-bot":        one("/v1/channels/"+a.ChannelID+"/welcome-bot", a.ChannelID, nil),
		"PUT /v1/channels/{id}/welcome-bot":        one("/v1/channels/"+a.ChannelID+"/welcome-bot", a.ChannelID, map[string]any{"enabled": false}),
		"DELETE /v1/channels/{id}/welcome-bot":     one("/v1/channels/"+a.ChannelID+"/welcome-bot", a.ChannelID, nil),
		"GET /v1/routing-rules/{id}":               one("/v1/routing-rules/"+a.RoutingRuleID, a.RoutingRuleID, nil),
		"PATCH /v1/routing-rules/{id}":             one("/v1/routing-rules/"+a.RoutingRuleID, a.RoutingRuleID, name),
		"DELETE /v1/routing-rules/{id}":            one("/v1/routing-rules/"+a.RoutingRuleID, a.RoutingRuleID, nil),
		// A's message has no media, so this proves only the id check; the
		// media tests probe a real file across workspaces.
		"GET /v1/messages/{id}/media":       one("/v1/messages/"+a.MessageID+"/media", a.MessageID, nil),
		"GET /v1/conversations/{id}/events": one(conv+"/events", a.ConversationID, nil),
		"GET /v1/close-reasons/{id}":        one("/v1/close-reasons/"+a.CloseReasonID, a.CloseReasonID, nil),
		"PATCH /v1/close-reasons/{id}":      one("/v1/close-reasons/"+a.CloseReasonID, a.CloseReasonID, name),
		"DELETE /v1/close-reasons/{id}":     one("/v1/close-reasons/"+a.CloseReasonID, a.CloseReasonID, nil),
		"GET /v1/webhook-endpoints/{id}":    one(hook, a.WebhookEndpointID, nil),
		"PATCH /v1/webhook-endpoints/{id}":  one(hook, a.WebhookEndpointID, map[string]any{"url": "https://evil.example.com/steal"}),
		"DELETE /v1/webhook-endpoints/{id}": one(hook, a.WebhookEndpointID, nil),
		"POST /v1/webhook-endpoints/{id}/rotate-secret": one(hook+"/rotate-secret", a.WebhookEndpointID,
			map[string]any{"overlap_seconds": 0}),
		"GET /v1/webhook-endpoints/{id}/deliveries": one(hook+"/deliveries", a.WebhookEndpointID, nil),
		"POST /v1/webhook-endpoints/{id}/replay": one(hook+"/replay", a.WebhookEndpointID,
			map[string]any{"since": "2020-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"}),
		"POST /v1/webhook-endpoints/{id}/test": one(hook+"/test", a.WebhookEndpointID, nil),
	}
}

// snapshotWorld reads everything A owns, as A.
func snapshotWorld(c *restClient, w world) map[string]string {
	conv := "/v1/conversations/" + w.ConversationID
	out := map[string]string{}
	for _, path := range []string{"/v1/workspace", conv, conv + "/messages", conv + "/notes", conv + "/tasks",
		"/v1/contacts/" + w.ContactID, "/v1/contacts", "/v1/queues", "/v1/tags", "/v1/channels", "/v1/users",
		"/v1/users/" + w.AgentID, "/v1/api-keys", "/v1/tasks", "/v1/conversations", "/v1/close-reasons",
		conv + "/events", "/v1/business-hours", "/v1/sla-policies", "/v1/routing-rules",
		"/v1/welcome-bot", "/v1/webhook-endpoints", "/v1/webhook-endpoints/" + w.WebhookEndpointID + "/deliveries"} {
		out[path] = string(c.expect(200, "GET", path, w.OwnerToken, nil).Body)
	}
	return out
}

var specParam = regexp.MustCompile(`\{[a-z_]+\}`)

func TestRESTCrossTenantSweep(t *testing.T) {
	_, c := newRESTApp(t)
	a := c.populate("Alpha")
	b := c.populate("Beta")
	cases := crossTenantCases(a, b)

	// Every spec operation that takes an id has a case: a new route cannot
	// skip this sweep.
	var missing []string
	for path, item := range loadOpenAPI(t).Paths.Map() {
		if !specParam.MatchString(path) {
			continue
		}
		for method := range item.Operations() {
			if _, ok := cases[method+" "+path]; !ok {
				missing = append(missing, method+" "+path)
			}
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "routes without a cross-tenant case")

	before := snapshotWorld(c, a)
	for _, credential := range []string{b.OwnerToken, b.APIKeySecret} {
		for route, probes := range cases {
			method, _, _ := strings.Cut(route, " ")
			for _, p := range probes {
				res := c.call(method, p.path, credential, p.body)
				require.Equal(t, 404, res.Status, "%s %s: %s", method, p.path, res.Body)
				// The answer must be the one a never-existing id gets.
				made := domain.NewID(domain.IDPrefix(p.foreign))
				twin := c.call(method, strings.Replace(p.path, p.foreign, made, 1), credential, p.body)
				got, ref := problemOf(t, res), problemOf(t, twin)
				require.Equal(t, ref.Status, got.Status, "%s %s", method, p.path)
				require.Equal(t, ref.Code, got.Code, "%s %s", method, p.path)
				require.Equal(t, ref.Detail, got.Detail, "%s %s", method, p.path)
				for _, id := range []string{a.ConversationID, a.ContactID, a.QueueID, a.TagID, a.ChannelID, a.AgentID, a.TaskID, a.APIKeyID,
					a.BusinessHoursID, a.SLAPolicyID} {
					if id != p.foreign {
						require.NotContains(t, string(res.Body), id, "%s %s leaks an id of A", method, p.path)
					}
				}
			}
		}
	}
	require.Equal(t, before, snapshotWorld(c, a), "B's requests changed A's data")
}

// TestRESTCrossTenantFilters checks list filters with A's ids return
// nothing of A to B.
func TestRESTCrossTenantFilters(t *testing.T) {
	_, c := newRESTApp(t)
	a := c.populate("Alpha")
	b := c.populate("Beta")
	for _, path := range []string{
		"/v1/conversations?contact_id=" + a.ContactID, "/v1/conversations?queue_id=" + a.QueueID,
		"/v1/conversations?tag_id=" + a.TagID, "/v1/conversations?channel_id=" + a.ChannelID,
		"/v1/conversations?assignee_id=" + a.AgentID, "/v1/contacts?tag_id=" + a.TagID,
		"/v1/users?queue_id=" + a.QueueID, "/v1/tasks?assignee_id=" + a.AgentID,
	} {
		require.Empty(t, listData(t, c.expect(200, "GET", path, b.OwnerToken, nil)), path)
	}
	c.expect(404, "GET", "/v1/tasks?contact_id="+a.ContactID, b.OwnerToken, nil)
	for _, path := range []string{"/v1/conversations", "/v1/contacts", "/v1/queues", "/v1/tags", "/v1/channels",
		"/v1/users", "/v1/api-keys", "/v1/tasks"} {
		body := string(c.expect(200, "GET", path, b.OwnerToken, nil).Body)
		for _, id := range []string{a.ConversationID, a.ContactID, a.QueueID, a.TagID, a.ChannelID, a.AgentID, a.TaskID, a.APIKeyID, a.OwnerID} {
			require.NotContains(t, body, id, "%s shows A's %s to B", path, id)
		}
	}
	// A's cursor does not open A's data to B.
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	c.call("GET", "/v1/users?limit=1", a.OwnerToken, nil).decode(t, &page)
	require.NotNil(t, page.NextCursor)
	body := string(c.expect(200, "GET", "/v1/users?limit=1&cursor="+*page.NextCursor, b.OwnerToken, nil).Body)
	require.NotContains(t, body, a.AgentID)
	require.NotContains(t, body, a.SupervisorID)
}
