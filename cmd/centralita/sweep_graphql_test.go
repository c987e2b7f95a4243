package main

// The generated cross-tenant sweep over GraphQL: every Query field and
// every Mutation that takes an id (as an argument or inside its input),
// called with workspace A's credentials and workspace B's ids. The fields
// come from the executable schema itself, so a new field is swept as soon
// as it exists, and an id argument the generator cannot name fails the test.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/generated"
)

// gqlIDKinds names the object an ID argument or input field refers to.
var gqlIDKinds = map[string]string{
	"conversationId": domain.PrefixConversation, "previousConversationId": domain.PrefixConversation,
	"contactId": domain.PrefixContact, "queueId": domain.PrefixQueue, "defaultQueueId": domain.PrefixQueue,
	"fallbackQueueId": domain.PrefixQueue, "queueIds": domain.PrefixQueue, "tagId": domain.PrefixTag,
	"tagIds": domain.PrefixTag, "channelId": domain.PrefixChannel, "movedFromChannelId": domain.PrefixChannel,
	"assigneeId": domain.PrefixUser, "userId": domain.PrefixUser, "agentId": domain.PrefixUser,
	"notifyUserIds": domain.PrefixUser, "slaPolicyId": domain.PrefixSLAPolicy, "businessHoursId": domain.PrefixBusinessHours,
	"uploadId": domain.PrefixMediaFile, "messageId": domain.PrefixMessage, "replyToMessageId": domain.PrefixMessage,
	"closeReasonId": domain.PrefixCloseReason, "ruleId": domain.PrefixRoutingRule, "taskId": domain.PrefixTask,
	"apiKeyId": domain.PrefixAPIKey, "noteId": domain.PrefixNote, "survivorId": domain.PrefixContact,
	"webhookEndpointId": domain.PrefixWebhookEndpoint, "eventId": domain.PrefixEvent,
	"webhookEndpoint.id": domain.PrefixWebhookEndpoint,
	// The audit log's actor filter: B's user must filter A's log down to nothing.
	"actorId": domain.PrefixUser,
	// id: arguments of lookups, by the field they look up.
	"conversation.id": domain.PrefixConversation, "contact.id": domain.PrefixContact, "user.id": domain.PrefixUser,
}

// gqlHints are values the domain checks beyond their GraphQL type, so a
// generated input reaches the check of the ids it carries.
var gqlHints = map[string]any{
	"name": "sweep", "email": "sweep@example.com", "password": "sweep-password-long", "phoneNumberId": "100200300",
	"wabaId": "100", "displayPhoneNumber": "+51 1 0000", "waId": "5491100000000", "text": "sweep", "body": "sweep",
	"title": "sweep", "firstResponseSeconds": 60, "action": "MOVE_QUEUE",
}

// gqlGenerator builds operations over the schema with B's ids.
type gqlGenerator struct {
	t      *testing.T
	schema *ast.Schema
	b      victim
}

func (g gqlGenerator) idKind(field, name, where string) string {
	g.t.Helper()
	if kind, ok := gqlIDKinds[name]; ok {
		return kind
	}
	kind, ok := gqlIDKinds[field+"."+name]
	require.True(g.t, ok, "%s: teach the sweep what ID %q refers to (gqlIDKinds)", where, name)
	return kind
}

// value generates a value of a GraphQL input type, B's ids in every ID.
func (g gqlGenerator) value(field, name string, typ *ast.Type, where string, carried *[]string) any {
	g.t.Helper()
	if typ.Elem != nil {
		v := g.value(field, name, typ.Elem, where, carried)
		return []any{v}
	}
	if typ.NamedType == "ID" {
		id := g.b.ids[g.idKind(field, name, where)]
		require.NotEmpty(g.t, id, where)
		*carried = append(*carried, id)
		return id
	}
	if v, ok := gqlHints[name]; ok {
		return v
	}
	def := g.schema.Types[typ.NamedType]
	require.NotNil(g.t, def, "%s: type %s", where, typ.NamedType)
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		out := map[string]any{}
		for _, f := range def.Fields {
			before := len(*carried)
			v := g.value(field, f.Name, f.Type, where+"."+f.Name, carried)
			_, hinted := gqlHints[f.Name]
			if f.Type.NonNull || hinted || len(*carried) > before {
				out[f.Name] = v
			}
		}
		return out
	}
	switch typ.NamedType {
	case "Int", "Float":
		return 1
	case "Boolean":
		return false
	case "DateTime":
		return time.Now().UTC().Format(time.RFC3339)
	case "JSON":
		return map[string]any{}
	}
	return "sweep"
}

// selection selects every field of a type that needs no argument, two
// levels down: what a leak would show.
func (g gqlGenerator) selection(typeName string, depth int) string {
	def := g.schema.Types[typeName]
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return ""
	case ast.Interface, ast.Union:
		return "{ __typename ... on Node { id } }"
	}
	var parts []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || requiresArguments(f) {
			continue
		}
		inner := g.schema.Types[f.Type.Name()]
		if inner.Kind == ast.Scalar || inner.Kind == ast.Enum {
			parts = append(parts, f.Name)
		} else if depth > 1 {
			parts = append(parts, f.Name+" "+g.selection(f.Type.Name(), depth-1))
		}
	}
	if len(parts) == 0 {
		parts = []string{"__typename"}
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

func requiresArguments(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// gqlProbe is one generated operation and the B ids it carries.
type gqlProbe struct {
	name, query string
	vars        map[string]any
	carried     []string
	mutation    bool
}

// probes generates the operations of one root field. node(id:) gets one
// probe per kind of B's objects.
func (g gqlGenerator) probes(op string, f *ast.FieldDefinition) []gqlProbe {
	g.t.Helper()
	where := op + "." + f.Name
	if f.Name == "node" {
		var out []gqlProbe
		for _, id := range g.b.ids {
			out = append(out, gqlProbe{name: where + " " + domain.IDPrefix(id), query: `query($id: ID!) { r: node(id: $id) { __typename id } }`,
				vars: map[string]any{"id": id}, carried: []string{id}})
		}
		return out
	}
	if f.Name == "nodes" {
		var ids []string
		for _, id := range g.b.ids {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		return []gqlProbe{{name: where, query: `query($ids: [ID!]!) { r: nodes(ids: $ids) { __typename id } }`,
			vars: map[string]any{"ids": ids}, carried: ids}}
	}
	p := gqlProbe{name: where, vars: map[string]any{}, mutation: op == "Mutation"}
	var decls, args []string
	for _, a := range f.Arguments {
		before := len(p.carried)
		v := g.value(f.Name, a.Name, a.Type, where+"("+a.Name+")", &p.carried)
		if !a.Type.NonNull && len(p.carried) == before {
			continue
		}
		p.vars[a.Name] = v
		decls = append(decls, "$"+a.Name+": "+a.Type.String())
		args = append(args, a.Name+": $"+a.Name)
	}
	keyword := strings.ToLower(op)
	head := keyword
	if len(decls) > 0 {
		head += "(" + strings.Join(decls, ", ") + ")"
	}
	call := "r: " + f.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	p.query = head + " { " + call + " " + g.selection(f.Type.Name(), 2) + " }"
	return []gqlProbe{p}
}

// twin replaces B's ids by never-existing ones of the same kind.
func (p gqlProbe) twin() gqlProbe {
	out := p
	out.carried = nil
	swap := map[string]string{}
	for _, id := range p.carried {
		swap[id] = domain.NewID(domain.IDPrefix(id))
		out.carried = append(out.carried, swap[id])
	}
	out.vars = swapIDs(p.vars, func(s string) string {
		if to, ok := swap[s]; ok {
			return to
		}
		return s
	}).(map[string]any)
	return out
}

// outcome is what a probe's answer says, ids masked: the error codes and
// the userErrors codes and messages.
func (p gqlProbe) outcome(t *testing.T, res gqlResponse) string {
	t.Helper()
	codes := res.errorCodes()
	var payload struct {
		R json.RawMessage `json:"r"`
	}
	if len(res.Data) > 0 && string(res.Data) != "null" {
		require.NoError(t, json.Unmarshal(res.Data, &payload))
	}
	var userErrors struct {
		UserErrors []struct{ Code, Message string } `json:"userErrors"`
	}
	_ = json.Unmarshal(payload.R, &userErrors)
	return masked(fmt.Sprintf("%v %v", codes, userErrors.UserErrors), p.carried)
}

var gqlRefusals = []string{"NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"}

func TestGraphQLSweepEveryFieldWithAnotherWorkspacesIDs(t *testing.T) {
	_, c := newRESTApp(t)
	attacker := c.populate("Alpha Attacker")
	agentKey := object(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/api-keys", attacker.OwnerToken,
		map[string]any{"name": "agent key", "role": "agent"}))["secret"].(string)
	b := seedVictim(t, c)
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	gen := gqlGenerator{t: t, schema: schema, b: b}

	var probes []gqlProbe
	swept, skipped := 0, []string{}
	for _, op := range []*ast.Definition{schema.Query, schema.Mutation} {
		for _, f := range op.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			generated := gen.probes(op.Name, f)
			if op == schema.Mutation && len(generated[0].carried) == 0 {
				skipped = append(skipped, f.Name) // takes no id: nothing of B to aim at
				continue
			}
			swept++
			probes = append(probes, generated...)
		}
	}
	require.Greater(t, swept, 60, "the sweep walked the schema")

	before := b.snapshot(c)
	outcomes := map[string]int{}
	for _, credential := range []struct{ name, secret string }{{"admin key", attacker.APIKeySecret}, {"agent key", agentKey}} {
		for _, p := range probes {
			name := credential.name + ": " + p.name
			res := c.app.graphql(credential.secret, p.query, p.vars)
			require.Equal(t, http.StatusOK, res.HTTPStatus, "%s: %s", name, p.query)
			// Data never shows B, not even the ids sent; messages may echo them.
			data, userErrors := splitUserErrors(t, res.Data)
			b.requireNoCanary(t, name+" (data)", data)
			b.requireNoCanary(t, name+" (userErrors)", userErrors, p.carried...)
			for _, e := range res.Errors {
				b.requireNoCanary(t, name+" (error)", []byte(e.Message), p.carried...)
				require.NotContains(t, []string{"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"}, e.Extensions["code"],
					"%s: the generated operation is wrong: %s %s", name, e.Message, p.query)
			}
			if len(p.carried) == 0 {
				continue // a listing with no id: checked above for B's data only
			}
			got := p.outcome(t, res)
			outcomes[strings.SplitN(got, " ", 2)[0]]++
			if len(res.Errors) > 0 {
				for _, code := range res.errorCodes() {
					require.Contains(t, gqlRefusals, code, "%s: %v", name, res.Errors)
				}
			} else if p.mutation {
				require.NotContains(t, got, "[] []", "%s succeeded with B's ids: %s", name, res.Data)
			}
			tw := p.twin()
			require.Equal(t, got, tw.outcome(t, c.app.graphql(credential.secret, tw.query, tw.vars)),
				"%s: B's ids are told apart from unknown ones", name)
		}
	}
	require.Equal(t, before, b.snapshot(c), "A's operations changed B's data")
	t.Logf("GraphQL sweep: %d fields swept (%d operations per credential), outcomes %v; mutations without ids not swept: %v",
		swept, len(probes), outcomes, skipped)
}

// splitUserErrors separates a payload's userErrors, whose messages may
// echo the ids sent, from the rest of the data, which may not.
func splitUserErrors(t *testing.T, data json.RawMessage) (json.RawMessage, json.RawMessage) {
	t.Helper()
	var root map[string]any
	if len(data) == 0 || json.Unmarshal(data, &root) != nil {
		return data, nil
	}
	payload, ok := root["r"].(map[string]any)
	if !ok {
		return data, nil
	}
	userErrors, err := json.Marshal(payload["userErrors"])
	require.NoError(t, err)
	delete(payload, "userErrors")
	rest, err := json.Marshal(root)
	require.NoError(t, err)
	return rest, userErrors
}
