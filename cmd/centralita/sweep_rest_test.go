package main

// The generated cross-tenant sweep over REST: every operation of
// openapi.yaml, called with workspace A's credentials and workspace B's ids
// in its path, its body and its query. Nothing here is written per route:
// a new route is swept as soon as it is in the spec, and a route the
// generator cannot fill (an unknown path parameter or id field) fails the
// test until the sweep is taught what it names.

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// sweepWithoutTenantIDs are the operations that take no workspace's ids at
// all, so there is nothing of B to put in them. Each says why.
var sweepWithoutTenantIDs = map[string]string{
	"GET /healthz":            "liveness: no workspace, no credentials",
	"GET /readyz":             "readiness: no workspace, no credentials",
	"GET /metrics":            "process metrics: no workspace data, its own bearer token",
	"GET /openapi.yaml":       "the public contract",
	"GET /webhooks/whatsapp":  "Meta's verification handshake: a verify token, no workspace id",
	"POST /webhooks/whatsapp": "Meta's signed deliveries, addressed by phone number id (webhook tests cover another number's secret)",
	"POST /v1/auth/login":     "email and password; workspace_id only picks among the caller's own accounts",
	"POST /v1/auth/refresh":   "a refresh token, no id",
	"POST /v1/auth/logout":    "a refresh token, no id",
	"POST /v1/auth/password":  "the caller's own password",
}

// sweepPathKinds names the object a path parameter holds by the collection
// it follows ({id}) or by its own name.
var sweepPathKinds = map[string]string{
	"conversations": domain.PrefixConversation, "messages": domain.PrefixMessage, "tasks": domain.PrefixTask,
	"contacts": domain.PrefixContact, "queues": domain.PrefixQueue, "users": domain.PrefixUser, "tags": domain.PrefixTag,
	"close-reasons": domain.PrefixCloseReason, "channels": domain.PrefixChannel, "api-keys": domain.PrefixAPIKey,
	"business-hours": domain.PrefixBusinessHours, "sla-policies": domain.PrefixSLAPolicy, "routing-rules": domain.PrefixRoutingRule,
	"webhook-endpoints": domain.PrefixWebhookEndpoint,
	"{tag_id}":          domain.PrefixTag, "{user_id}": domain.PrefixUser,
}

// sweepFieldKinds names the object an input field refers to, for fields
// whose schema carries no id pattern. A field ending in _id or _ids that
// is neither here nor in sweepNotReferences fails the sweep.
var sweepFieldKinds = map[string]string{
	"conversation_id": domain.PrefixConversation, "previous_conversation_id": domain.PrefixConversation,
	"contact_id": domain.PrefixContact, "queue_id": domain.PrefixQueue, "default_queue_id": domain.PrefixQueue,
	"fallback_queue_id": domain.PrefixQueue, "queue_ids": domain.PrefixQueue, "tag_id": domain.PrefixTag,
	"tag_ids": domain.PrefixTag, "channel_id": domain.PrefixChannel, "moved_from_channel_id": domain.PrefixChannel,
	"assignee_id": domain.PrefixUser, "user_id": domain.PrefixUser, "agent_id": domain.PrefixUser,
	"notify_user_ids": domain.PrefixUser, "member_ids": domain.PrefixUser, "sla_policy_id": domain.PrefixSLAPolicy,
	"business_hours_id": domain.PrefixBusinessHours, "upload_id": domain.PrefixMediaFile,
	"message_id": domain.PrefixMessage, "reply_to_message_id": domain.PrefixMessage, "reply_to_id": domain.PrefixMessage,
	"close_reason_id": domain.PrefixCloseReason, "rule_id": domain.PrefixRoutingRule,
	// The audit log's actor filter takes a user, key or rule id: B's user
	// must filter A's log down to nothing.
	"actor_id": domain.PrefixUser,
}

// sweepNotReferences are input fields named like ids that name no object
// of a workspace (Meta's numbers and accounts, a customer's WhatsApp id).
var sweepNotReferences = map[string]bool{
	"waba_id": true, "phone_number_id": true, "wa_id": true, "new_wa_id": true, "catalog_id": true,
	"product_retailer_id": true, "reply_id": true, "target_provider_id": true, "reply_to_provider_id": true,
	"workspace_id": true, "provider_message_id": true,
}

// sweepHints are values for fields the domain checks beyond their schema
// (a numeric phone number id, one content kind of a message), so that a
// generated body reaches the check of the ids it carries.
var sweepHints = map[string]any{
	"name": "sweep", "email": "sweep@example.com", "password": "sweep-password-long", "phone_number_id": "100200300",
	"waba_id": "100", "display_phone_number": "+51 1 0000", "wa_id": "5491100000000", "text": "sweep", "body": "sweep",
	"title": "sweep", "first_response_seconds": 60, "action": "move_queue",
}

var idPattern = regexp.MustCompile(`^\^([a-z]+)_\[0-9a-z\]\{26\}\$$`)

// sweepRequest is one generated request and the B ids it carries.
type sweepRequest struct {
	method, path string
	query        url.Values
	body         any
	carried      []string // B's ids in the request
	pathCarries  bool     // some are in the path
}

// sweepGenerator fills requests with B's ids.
type sweepGenerator struct {
	t *testing.T
	b victim
}

// idFor returns B's id of a kind, failing when B has none.
func (g sweepGenerator) idFor(kind, where string) string {
	g.t.Helper()
	id, ok := g.b.ids[kind]
	require.True(g.t, ok, "%s refers to %q objects: seed one in seedVictim", where, kind)
	return id
}

// fieldKind is the kind of object an input field refers to ("" if none).
func (g sweepGenerator) fieldKind(name string, s *openapi3.Schema, where string) string {
	g.t.Helper()
	if s != nil {
		target := s
		if s.Items != nil && s.Items.Value != nil {
			target = s.Items.Value
		}
		if m := idPattern.FindStringSubmatch(target.Pattern); m != nil {
			return m[1]
		}
	}
	if kind, ok := sweepFieldKinds[name]; ok {
		return kind
	}
	if strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_ids") {
		require.True(g.t, sweepNotReferences[name],
			"%s: field %q looks like an id: add it to sweepFieldKinds or sweepNotReferences", where, name)
	}
	return ""
}

// value generates a minimal valid value for a schema, with B's ids in
// every id reference; carried collects them.
func (g sweepGenerator) value(name string, ref *openapi3.SchemaRef, where string, carried *[]string) any {
	g.t.Helper()
	if ref == nil || ref.Value == nil {
		return "sweep"
	}
	s := ref.Value
	if kind := g.fieldKind(name, s, where); kind != "" {
		id := g.idFor(kind, where+"."+name)
		*carried = append(*carried, id)
		if s.Type.Is(openapi3.TypeArray) {
			return []string{id}
		}
		return id
	}
	if v, ok := sweepHints[name]; ok {
		return v
	}
	if s.Example != nil && !s.Type.Is(openapi3.TypeObject) && !s.Type.Is(openapi3.TypeArray) {
		return s.Example
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0:
		out := map[string]any{}
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			before := len(*carried)
			v := g.value(n, s.Properties[n], where+"."+n, carried)
			// Required and hinted fields always; optional ones only when
			// they carry B.
			_, hinted := sweepHints[n]
			if contains(s.Required, n) || hinted || len(*carried) > before {
				out[n] = v
			}
		}
		return out
	case s.Type.Is(openapi3.TypeArray):
		return []any{g.value(name, s.Items, where+"[]", carried)}
	case s.Type.Is(openapi3.TypeInteger) || s.Type.Is(openapi3.TypeNumber):
		if s.Min != nil && *s.Min > 1 {
			return *s.Min
		}
		return 1
	case s.Type.Is(openapi3.TypeBoolean):
		return false
	case s.Format == "date-time":
		return time.Now().UTC().Format(time.RFC3339)
	case s.Pattern == `^#[0-9a-fA-F]{6}$`:
		return "#123456"
	}
	return "sweep"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// requests generates the probes of one operation: B's ids in the path and
// body, and one more probe per id-valued query parameter.
func (g sweepGenerator) requests(method, path string, item *openapi3.PathItem, op *openapi3.Operation) []sweepRequest {
	g.t.Helper()
	where := method + " " + path
	base := sweepRequest{method: method, query: url.Values{}}
	segments := strings.Split(path, "/")
	for i, seg := range segments {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		kind, ok := sweepPathKinds[seg]
		if !ok && i > 0 {
			kind, ok = sweepPathKinds[segments[i-1]]
		}
		require.True(g.t, ok, "%s: teach the sweep what %s holds (sweepPathKinds)", where, seg)
		segments[i] = g.idFor(kind, where)
		base.carried = append(base.carried, segments[i])
		base.pathCarries = true
	}
	base.path = strings.Join(segments, "/")
	if op.RequestBody != nil {
		if media := op.RequestBody.Value.Content.Get("application/json"); media != nil {
			base.body = g.value("", media.Schema, where, &base.carried)
		}
	}
	out := []sweepRequest{base}
	for _, p := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
		if p.Value.In != openapi3.ParameterInQuery {
			continue
		}
		var carried []string
		g.value(p.Value.Name, p.Value.Schema, where+"?"+p.Value.Name, &carried)
		if len(carried) == 0 {
			continue
		}
		probe := base
		probe.query = url.Values{p.Value.Name: {carried[0]}}
		probe.carried = append(append([]string{}, base.carried...), carried...)
		out = append(out, probe)
	}
	return out
}

// twin is the request with every B id replaced by a never-existing id of
// the same kind: B's ids must be answered exactly like those.
func (r sweepRequest) twin(t *testing.T) sweepRequest {
	t.Helper()
	replace := map[string]string{}
	for _, id := range r.carried {
		replace[id] = domain.NewID(domain.IDPrefix(id))
	}
	out := r
	out.carried = nil
	for _, id := range r.carried {
		out.carried = append(out.carried, replace[id])
	}
	swap := func(s string) string {
		for from, to := range replace {
			s = strings.ReplaceAll(s, from, to)
		}
		return s
	}
	out.path = swap(r.path)
	out.query = url.Values{}
	for k, vs := range r.query {
		out.query[k] = []string{swap(vs[0])}
	}
	out.body = swapIDs(r.body, swap)
	return out
}

func swapIDs(v any, swap func(string) string) any {
	switch x := v.(type) {
	case string:
		return swap(x)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = swap(s)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = swapIDs(e, swap)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = swapIDs(e, swap)
		}
		return out
	}
	return v
}

func (r sweepRequest) target() string {
	if len(r.query) == 0 {
		return r.path
	}
	return r.path + "?" + r.query.Encode()
}

// refusals are the answers a request carrying B's ids may get.
var sweepRefusals = []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}

func TestRESTSweepEveryOperationWithAnotherWorkspacesIDs(t *testing.T) {
	_, c := newRESTApp(t)
	attacker := c.populate("Alpha Attacker")
	agentKey := object(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/api-keys", attacker.OwnerToken,
		map[string]any{"name": "agent key", "role": "agent"}))["secret"].(string)
	b := seedVictim(t, c)
	gen := sweepGenerator{t: t, b: b}

	type probe struct {
		route string
		req   sweepRequest
	}
	var probes []probe
	covered := 0
	exempt := map[string]bool{}
	for path, item := range loadOpenAPI(t).Paths.Map() {
		for method, op := range item.Operations() {
			route := method + " " + path
			if _, ok := sweepWithoutTenantIDs[route]; ok {
				exempt[route] = true
				continue
			}
			covered++
			for _, r := range gen.requests(method, path, item, op) {
				probes = append(probes, probe{route, r})
			}
		}
	}
	require.Greater(t, covered, 80, "the sweep walked the spec")
	for route := range sweepWithoutTenantIDs {
		require.True(t, exempt[route], "%s is exempt but not in openapi.yaml: drop it from sweepWithoutTenantIDs", route)
	}
	sort.Slice(probes, func(i, j int) bool {
		return probes[i].route+probes[i].req.target() < probes[j].route+probes[j].req.target()
	})

	// Destructive probes last, so a wrongful delete cannot hide behind a
	// later probe's 404.
	before := b.snapshot(c)
	statuses := map[int]int{}
	for _, credential := range []struct{ name, secret string }{{"admin key", attacker.APIKeySecret}, {"agent key", agentKey}} {
		for _, p := range probes {
			r := p.req
			name := credential.name + ": " + r.method + " " + r.target()
			var res response
			if p.route == "POST /v1/media" {
				res = c.upload(credential.secret, "sweep.png", "image/png", pngBytes(t))
			} else {
				res = c.call(r.method, r.target(), credential.secret, r.body)
			}
			statuses[res.Status]++
			b.requireNoCanary(t, name, res.Body, r.carried...)
			if len(r.carried) == 0 {
				require.Less(t, res.Status, 500, "%s: %s", name, res.Body)
				continue // nothing of B in the request: A's own data, checked for B's only
			}
			if res.Status < 300 && len(r.query) > 0 && r.method == http.MethodGet {
				// A list (or CSV export) filtered by B's id finds nothing.
				if strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
					require.Len(t, strings.Split(strings.TrimSpace(string(res.Body)), "\n"), 1, "%s exports something for B's id", name)
					continue
				}
				require.Empty(t, listData(t, res), "%s lists something for B's id", name)
				continue
			}
			require.Contains(t, sweepRefusals, res.Status, "%s answered %d: %s", name, res.Status, res.Body)
			if res.Status == http.StatusBadRequest && !r.pathCarries {
				// No B id in the path: the 400 must be about one the body carried,
				// or the generated body never reached the check it is for.
				refused := problemOf(t, res)
				require.NotEmpty(t, refused.Errors, name)
				field := refused.Errors[0].Field
				field = field[strings.LastIndexAny(field, ".]")+1:]
				require.NotEmpty(t, gen.fieldKind(field, nil, name), "%s: refused for %q, not for B's id: %s", name, field, res.Body)
			}
			// Exactly the answer an id that never existed gets.
			tw := r.twin(t)
			ref := c.call(tw.method, tw.target(), credential.secret, tw.body)
			got, want := problemOf(t, res), problemOf(t, ref)
			require.Equal(t, want.Status, got.Status, "%s: B's id is told apart from an unknown one", name)
			require.Equal(t, want.Code, got.Code, name)
			require.Equal(t, masked(want.Detail, tw.carried), masked(got.Detail, r.carried), name)
		}
	}
	require.Equal(t, before, b.snapshot(c), "A's requests changed B's data")
	t.Logf("REST sweep: %d operations, %d requests per credential, statuses %v", covered, len(probes), statuses)
}

// masked hides the ids a request sent, so two answers echoing different
// ids compare alike.
func masked(text string, ids []string) string {
	for _, id := range ids {
		text = strings.ReplaceAll(text, id, "<"+domain.IDPrefix(id)+">")
	}
	return text
}
