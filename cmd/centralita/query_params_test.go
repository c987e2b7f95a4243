package main

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// Every operation of openapi.yaml refuses a query parameter it does not
// declare, with 400 naming it, before anything runs: not one statement
// reaches the database, so nothing is written. And every operation accepts
// all the parameters it does declare.
func TestRESTRefusesUndeclaredQueryParameters(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("Params Co")
	declaredValues := map[string]string{
		"limit": "1", "cursor": "", "status": "open", "queue_id": w.QueueID, "assignee_id": w.AgentID,
		"unassigned": "false", "tag_id": w.TagID, "channel_id": w.ChannelID, "contact_id": w.ContactID,
		"q": "x", "sla_state": "breached", "done": "false", "moved_from_channel_id": w.ChannelID, "role": "agent", "active": "true",
		"updated_since": "2020-01-01T00:00:00Z", "sort": "updated_at", "closed_since": "2020-01-01T00:00:00Z",
		"after": "", "types": "message.created", "actor_kind": "user", "actor_id": w.AgentID, "type": "message.created",
		"since": "2020-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z", "format": "json",
		"hub.mode": "subscribe", "hub.verify_token": testVerifyToken, "hub.challenge": "abc123",
		"name": "x", "email": "x@example.com", "phone": "987 654 321", "external_ref": "hubspot:1", "attr": "plan:gold",
		"dry_run": "true",
	}
	// Operations whose body is required get a minimal one.
	bodies := map[string][]string{"POST /v1/contacts/import": {"phone\n987654321\n", "Content-Type", "text/csv"}}
	doc := loadOpenAPI(t)
	operations := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			operations++
			target := concretePath(t, path, w)
			name := method + " " + path

			// Misspelt and undeclared filters; the first in name order is named.
			before := a.DB.QueryCount()
			res := c.call(method, target+"?updated_sinse=2026-01-01T00:00:00Z&phone_e164=%2B5491100000000", w.OwnerToken, nil)
			require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", name, res.Body)
			p := problemOf(t, res)
			require.Equal(t, "invalid", p.Code, name)
			require.Len(t, p.Errors, 1, name)
			require.Equal(t, "phone_e164", p.Errors[0].Field, name)
			require.Contains(t, p.Detail, `unknown query parameter "phone_e164"`, name)
			require.Equal(t, before, a.DB.QueryCount(), "%s: refused before any statement ran", name)

			declared := url.Values{}
			for _, list := range [][]string{paramNames(item.Parameters), paramNames(op.Parameters)} {
				for _, param := range list {
					value, ok := declaredValues[param]
					require.True(t, ok, "%s declares %q: give it a test value", name, param)
					declared.Set(param, value)
				}
			}
			if len(declared) == 0 {
				continue
			}
			if body, ok := bodies[name]; ok {
				res = c.call(method, target+"?"+declared.Encode(), w.OwnerToken, body[0], body[1:]...)
			} else {
				res = c.call(method, target+"?"+declared.Encode(), w.OwnerToken, nil)
			}
			require.Equal(t, http.StatusOK, res.Status, "%s with every declared parameter: %s", name, res.Body)
		}
	}
	require.Greater(t, operations, 50, "the walk covered the spec")
}

// paramNames lists the query parameters among a parameter list.
func paramNames(params openapi3.Parameters) []string {
	var out []string
	for _, p := range params {
		if p.Value.In == openapi3.ParameterInQuery {
			out = append(out, p.Value.Name)
		}
	}
	sort.Strings(out)
	return out
}

// concretePath fills a spec path's parameters with ids of w: {id} by the
// collection it follows, {tag_id} and {user_id} by name.
func concretePath(t *testing.T, path string, w world) string {
	t.Helper()
	byCollection := map[string]string{"conversations": w.ConversationID, "messages": w.MessageID,
		"tasks": w.TaskID, "contacts": w.ContactID, "queues": w.QueueID, "users": w.AgentID,
		"tags": w.TagID, "channels": w.ChannelID, "api-keys": w.APIKeyID, "close-reasons": w.CloseReasonID,
		"business-hours": w.BusinessHoursID, "sla-policies": w.SLAPolicyID,
		"routing-rules": w.RoutingRuleID, "webhook-endpoints": w.WebhookEndpointID}
	parts := strings.Split(path, "/")
	for i, part := range parts {
		switch part {
		case "{id}":
			id, ok := byCollection[parts[i-1]]
			require.True(t, ok, "no id for %s", path)
			parts[i] = id
		case "{tag_id}":
			parts[i] = w.TagID
		case "{user_id}":
			parts[i] = w.AgentID
		default:
			require.False(t, strings.HasPrefix(part, "{"), "no value for %s in %s", part, path)
		}
	}
	return strings.Join(parts, "/")
}
