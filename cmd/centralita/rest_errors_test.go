package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRESTRejectsBadBodiesWithoutWriting sends every kind of malformed body
// to a create route and checks the problem and that nothing was stored.
func TestRESTRejectsBadBodiesWithoutWriting(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken
	count := func() int { return len(listData(t, c.expect(200, "GET", "/v1/contacts", tok, nil))) }
	before := count()

	cases := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"malformed JSON", `{"wa_id": "51999"`, 400, "invalid", ""},
		{"not an object", `["51999"]`, 400, "invalid", ""},
		{"empty body", ``, 400, "invalid", ""},
		{"trailing data", `{"wa_id":"51999"}{"wa_id":"51998"}`, 400, "invalid", ""},
		{"unknown field", map[string]any{"wa_id": "51999", "workspace_id": "ws_x"}, 400, "invalid", "workspace_id"},
		{"mass assignment", map[string]any{"wa_id": "51999", "id": "ctc_x"}, 400, "invalid", "id"},
		{"wrong type", map[string]any{"wa_id": 51999}, 400, "invalid", "wa_id"},
		{"rule refused", map[string]any{"wa_id": "+51 999"}, 400, "invalid", "wa_id"},
		{"oversized", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "payload_too_large", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.call("POST", "/v1/contacts", tok, tc.body)
			require.Equal(t, tc.status, res.Status, "%s", res.Body)
			p := problemOf(t, res)
			require.Equal(t, tc.code, p.Code)
			require.NotEmpty(t, p.Detail)
			if tc.field != "" {
				require.Equal(t, tc.field, p.Errors[0].Field)
			}
		})
	}
	require.Equal(t, before, count(), "rejected bodies write nothing")
}

func TestRESTMissingRequiredFields(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken
	conv := "/v1/conversations/" + w.ConversationID
	for _, tc := range []struct{ method, path, field string }{
		{"POST", "/v1/conversations", "contact_id"},
		{"PATCH", conv, "priority"},
		{"POST", conv + "/assign", "assignee_id"},
		{"POST", conv + "/transfer", "queue_id"},
		{"POST", conv + "/status", "status"},
		{"POST", conv + "/messages", "text"},
		{"POST", conv + "/notes", "body"},
		{"POST", conv + "/tasks", "title"},
		{"PATCH", "/v1/tasks/" + w.TaskID, "done"},
		{"POST", "/v1/queues", "name"},
		{"POST", "/v1/tags", "name"},
		{"POST", "/v1/users", "email"},
		{"POST", "/v1/channels", "phone_number_id"},
		{"POST", "/v1/api-keys", "name"},
		{"POST", "/v1/auth/login", "email"},
	} {
		p := problemOf(t, c.expect(400, tc.method, tc.path, tok, map[string]any{}))
		require.Equal(t, tc.field, p.Errors[0].Field, "%s %s", tc.method, tc.path)
	}
	before := object(t, c.expect(200, "GET", conv, tok, nil))
	c.expect(400, "POST", conv+"/status", tok, map[string]any{"status": 7})
	c.expect(400, "PATCH", conv, tok, map[string]any{"priority": "whenever"})
	require.Equal(t, before["version"], object(t, c.expect(200, "GET", conv, tok, nil))["version"])
}

func TestRESTLifecycleErrors(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken
	base := "/v1/conversations/" + w.ConversationID

	p := problemOf(t, c.expect(400, "POST", base+"/status", tok, map[string]any{"status": "closed"}))
	require.Equal(t, "close_reason", p.Errors[0].Field)
	require.Equal(t, "new", object(t, c.expect(200, "GET", base, tok, nil))["status"], "closing without reason changed nothing")

	c.expect(200, "POST", base+"/status", tok, map[string]any{"status": "closed", "close_reason": "spam"})
	closed := object(t, c.expect(200, "GET", base, tok, nil))
	p = problemOf(t, c.expect(409, "POST", base+"/status", tok, map[string]any{"status": "pending_customer"}))
	require.Equal(t, "conflict", p.Code)
	require.Equal(t, closed["version"], object(t, c.expect(200, "GET", base, tok, nil))["version"])
	c.expect(400, "POST", base+"/status", tok, map[string]any{"status": "archived"})
}

func TestRESTUnknownIDsRoutesAndMethods(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Acme")
	tok := w.OwnerToken
	for _, path := range []string{"/v1/conversations/conv_00000000000000000000000000", "/v1/conversations/not-an-id",
		"/v1/contacts/ctc_00000000000000000000000000", "/v1/queues/que_00000000000000000000000000",
		"/v1/users/usr_00000000000000000000000000", "/v1/tags/tag_00000000000000000000000000",
		"/v1/channels/chn_00000000000000000000000000", "/v1/conversations/" + w.ContactID} {
		require.Equal(t, "not_found", problemOf(t, c.expect(404, "GET", path, tok, nil)).Code, path)
	}
	c.expect(404, "PATCH", "/v1/tasks/task_00000000000000000000000000", tok, map[string]any{"done": true})
	require.Equal(t, "not_found", problemOf(t, c.expect(404, "GET", "/v1/nothing-here", tok, nil)).Code)
	res := c.expect(405, "DELETE", "/v1/conversations", tok, nil)
	require.Equal(t, "method_not_allowed", problemOf(t, res).Code)
	require.Contains(t, res.Header.Get("Allow"), "GET")
}
