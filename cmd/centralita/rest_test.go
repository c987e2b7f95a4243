package main

// REST end-to-end tests: the real router on a real database through the
// harness. Every response goes through restClient, which validates it
// against openapi.yaml, so the contract is checked by every test here.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"
)

// restClient sends requests through the harness and checks each answer
// against the OpenAPI contract.
type restClient struct {
	t    *testing.T
	app  *testApp
	spec routers.Router
}

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	raw, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

func newRESTApp(t *testing.T) (*testApp, *restClient) {
	t.Helper()
	app := newTestApp(t)
	spec, err := legacy.NewRouter(loadOpenAPI(t))
	require.NoError(t, err)
	return app, &restClient{t: t, app: app, spec: spec}
}

// call sends a request and validates the answer against openapi.yaml.
func (c *restClient) call(method, path, token string, body any, headers ...string) response {
	c.t.Helper()
	res := c.app.do(method, path, token, body, headers...)
	c.validate(method, path, res)
	return res
}

// expect sends a request and requires a status.
func (c *restClient) expect(status int, method, path, token string, body any) response {
	c.t.Helper()
	res := c.call(method, path, token, body)
	require.Equal(c.t, status, res.Status, "%s %s: %s", method, path, res.Body)
	return res
}

func (c *restClient) validate(method, path string, res response) {
	c.t.Helper()
	require.Equal(c.t, "nosniff", res.Header.Get("X-Content-Type-Options"), "%s %s", method, path)
	require.NotEmpty(c.t, res.Header.Get("X-Request-Id"), "%s %s", method, path)
	if res.Status >= 400 {
		require.True(c.t, strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json"),
			"%s %s: errors are problem+json, got %q", method, path, res.Header.Get("Content-Type"))
	}
	req := httptest.NewRequest(method, path, nil)
	route, params, err := c.spec.FindRoute(req)
	if err != nil {
		// Not a documented operation (unknown route or method): only the
		// problem shape can be checked, and the status must say so.
		require.Contains(c.t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, res.Status, "%s %s", method, path)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.Status,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(res.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	require.NoError(c.t, openapi3filter.ValidateResponse(context.Background(), in),
		"%s %s answered %d outside the contract: %s", method, path, res.Status, res.Body)
}

// object decodes a JSON object answer.
func object(t *testing.T, res response) map[string]any {
	t.Helper()
	var m map[string]any
	res.decode(t, &m)
	return m
}

// listData decodes a list envelope.
func listData(t *testing.T, res response) []map[string]any {
	t.Helper()
	var env struct {
		Data []map[string]any `json:"data"`
	}
	res.decode(t, &env)
	return env.Data
}

func idOf(t *testing.T, res response) string {
	t.Helper()
	id, _ := object(t, res)["id"].(string)
	require.NotEmpty(t, id, "no id in %s", res.Body)
	return id
}

// problemOf decodes a problem+json answer.
type problemBody struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	ExistingID string `json:"existing_id"`
	MergedInto string `json:"merged_into"`
}

func problemOf(t *testing.T, res response) problemBody {
	t.Helper()
	var p problemBody
	res.decode(t, &p)
	require.Equal(t, res.Status, p.Status)
	require.Equal(t, res.Header.Get("X-Request-Id"), p.RequestID)
	return p
}

// world is a workspace populated through the REST API.
type world struct {
	tenant
	QueueID, OtherQueueID         string
	TagID, ChannelID, ContactID   string
	ConversationID, TaskID        string
	MessageID                     string // the customer's first message (text: it has no media)
	AgentID, AgentToken           string
	SupervisorID, SupervisorToken string
	APIKeyID, APIKeySecret        string
	CloseReasonID                 string // one of the defaults
	BusinessHoursID, SLAPolicyID  string
	RoutingRuleID                 string
	WebhookEndpointID             string // a public URL: nothing dials it unless jobs run
}

var worldSeq atomic.Int64

// populate creates one of everything in a fresh workspace, as its owner.
func (c *restClient) populate(name string) world {
	c.t.Helper()
	n := worldSeq.Add(1)
	w := world{tenant: c.app.bootstrap(name)}
	tok := w.OwnerToken
	w.QueueID = idOf(c.t, c.expect(201, "POST", "/v1/queues", tok, map[string]any{"name": "Ventas", "description": "leads"}))
	w.OtherQueueID = idOf(c.t, c.expect(201, "POST", "/v1/queues", tok, map[string]any{"name": "Soporte"}))
	w.TagID = idOf(c.t, c.expect(201, "POST", "/v1/tags", tok, map[string]any{"name": "vip", "color": "#aa00ff"}))
	w.ChannelID = idOf(c.t, c.expect(201, "POST", "/v1/channels", tok, map[string]any{
		"phone_number_id": fmt.Sprintf("10%d%06d", n, n), "waba_id": fmt.Sprintf("20%d", n),
		"display_phone_number": fmt.Sprintf("+51 1 %04d", n), "mode": "official"}))
	w.ContactID = idOf(c.t, c.expect(201, "POST", "/v1/contacts", tok, map[string]any{
		"wa_id": fmt.Sprintf("5191%07d", n), "name": "Cliente " + name}))
	w.ConversationID = idOf(c.t, c.expect(201, "POST", "/v1/conversations", tok, map[string]any{
		"contact_id": w.ContactID, "channel_id": w.ChannelID, "queue_id": w.QueueID}))
	// The customer wrote first, so the 24-hour window is open for replies.
	first, err := c.app.Service.RecordInboundText(c.app.system(w.tenant), w.ConversationID, "hola", time.Now())
	require.NoError(c.t, err)
	w.MessageID = first.ID
	w.TaskID = idOf(c.t, c.expect(201, "POST", "/v1/conversations/"+w.ConversationID+"/tasks", tok,
		map[string]any{"title": "call back"}))
	c.expect(201, "POST", "/v1/conversations/"+w.ConversationID+"/notes", tok, map[string]any{"body": "hot lead"})
	prefix := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	w.AgentID, w.AgentToken = c.app.member(w.tenant, prefix+"-agent@example.com", "agent", w.QueueID)
	w.SupervisorID, w.SupervisorToken = c.app.member(w.tenant, prefix+"-sup@example.com", "supervisor", w.QueueID)
	key := object(c.t, c.expect(201, "POST", "/v1/api-keys", tok, map[string]any{"name": "crm"}))
	w.APIKeyID, w.APIKeySecret = key["id"].(string), key["secret"].(string)
	w.CloseReasonID = listData(c.t, c.expect(200, "GET", "/v1/close-reasons", tok, nil))[0]["id"].(string)
	w.BusinessHoursID = idOf(c.t, c.expect(201, "POST", "/v1/business-hours", tok, map[string]any{
		"name": "Oficina", "timezone": "America/Lima",
		"weekly": []map[string]any{{"day": "mon", "open": "09:00", "close": "18:00"}}}))
	w.SLAPolicyID = idOf(c.t, c.expect(201, "POST", "/v1/sla-policies", tok, map[string]any{
		"name": "Estándar", "first_response_seconds": 900, "escalation": map[string]any{"action": "raise_priority"}}))
	w.RoutingRuleID = idOf(c.t, c.expect(201, "POST", "/v1/routing-rules", tok, map[string]any{"name": "VIP",
		"conditions": []any{map[string]any{"type": "tag_id", "value": w.TagID}},
		"actions":    []any{map[string]any{"type": "set_queue", "queue_id": w.QueueID}}}))
	w.WebhookEndpointID = idOf(c.t, c.expect(201, "POST", "/v1/webhook-endpoints", tok, map[string]any{
		"url": "https://crm.example.com/centralita", "event_types": []string{"*"}, "description": "CRM " + name}))
	return w
}
