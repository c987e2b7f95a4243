package main

// A value that is absent is null in both APIs, never "": these tests walk
// rendered messages field by field against openapi.yaml and the GraphQL
// schema, so a field made nullable in a contract and rendered "" anywhere
// fails here.

import (
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// nullablesSeen records, per path of a nullable field, whether it was met
// absent ([0]: null or "") and present ([1]), so a check is known to have
// met both.
type nullablesSeen map[string][2]bool

func (s nullablesSeen) met(path string, v any) {
	m := s[path]
	if v == nil || v == "" {
		m[0] = true
	} else {
		m[1] = true
	}
	s[path] = m
}

// emptyNullables lists the paths of v, rendered from schema, where the
// contract allows null but the value is "".
func emptyNullables(schema *openapi3.Schema, v any, path string, seen nullablesSeen) []string {
	var out []string
	switch val := v.(type) {
	case map[string]any:
		for name, prop := range schema.Properties {
			if prop.Value.Type.IncludesNull() {
				seen.met(path+name, val[name])
				if val[name] == "" {
					out = append(out, path+name)
				}
			}
			out = append(out, emptyNullables(prop.Value, val[name], path+name+".", seen)...)
		}
	case []any:
		for _, item := range val {
			out = append(out, emptyNullables(schema.Items.Value, item, path, seen)...)
		}
	}
	return out
}

// loadGraphQLSchema parses the GraphQL contract the server is generated from.
func loadGraphQLSchema(t *testing.T) *ast.Schema {
	t.Helper()
	paths, err := filepath.Glob("../../graph/*.graphqls")
	require.NoError(t, err)
	var sources []*ast.Source
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		require.NoError(t, err)
		sources = append(sources, &ast.Source{Name: p, Input: string(raw)})
	}
	schema, gqlErr := gqlparser.LoadSchema(sources...)
	require.Nil(t, gqlErr)
	return schema
}

// selectAll selects every field of an object type, following nested
// objects; a field leading to another Node selects only its id, so the
// selection ends.
func selectAll(schema *ast.Schema, typeName string) string {
	var fields []string
	for _, f := range schema.Types[typeName].Fields {
		if strings.HasPrefix(f.Name, "__") || len(f.Arguments) > 0 {
			continue
		}
		inner := schema.Types[f.Type.Name()]
		switch {
		case inner.Kind != ast.Object && inner.Kind != ast.Interface:
			fields = append(fields, f.Name)
		case implementsNode(inner):
			fields = append(fields, f.Name+" { id }")
		default:
			fields = append(fields, f.Name+" { "+selectAll(schema, inner.Name)+" }")
		}
	}
	return strings.Join(fields, " ")
}

func implementsNode(d *ast.Definition) bool {
	for _, i := range d.Interfaces {
		if i == "Node" {
			return true
		}
	}
	return false
}

// emptyNullableFields is emptyNullables for a GraphQL answer: nullable
// String and ID fields must be null, not "".
func emptyNullableFields(schema *ast.Schema, typeName string, v any, path string, seen nullablesSeen) []string {
	var out []string
	switch val := v.(type) {
	case map[string]any:
		def := schema.Types[typeName]
		for name, value := range val {
			f := def.Fields.ForName(name)
			named := f.Type.Name()
			if !f.Type.NonNull && (named == "String" || named == "ID") {
				seen.met(path+name, value)
				if value == "" {
					out = append(out, path+name)
				}
			}
			out = append(out, emptyNullableFields(schema, named, value, path+name+".", seen)...)
		}
	case []any:
		for _, item := range val {
			out = append(out, emptyNullableFields(schema, typeName, item, path, seen)...)
		}
	}
	return out
}

// Messages of every kind, inbound (every fixture) and outbound (every send,
// a failed one, media by upload and by link), and their conversations and
// contacts, rendered by REST and GraphQL: no field the contract lets be
// null is ever "".
func TestNoNullableMessageFieldIsRenderedEmpty(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	c := a.rest()
	a.startJobs()
	quoted := a.customerWrites(tn, conv, "wamid.cliente-1")
	photo := c.uploadOK(tn.OwnerToken, "foto.png", "image/png", pngBytes(t))
	path := "/v1/conversations/" + conv.ID + "/messages"
	for _, tc := range everySend(quoted, photo) {
		id := idOf(t, c.expect(http.StatusCreated, http.MethodPost, path, tn.OwnerToken, tc.rest))
		a.sentOK(tn, id)
	}
	fake.FailNext(whatsapp.FailRule{PhoneNumberID: fakeNumberID, Code: 131026, Times: 1})
	failed := idOf(t, c.expect(http.StatusCreated, http.MethodPost, path, tn.OwnerToken, map[string]any{"text": "¿sigues ahí?"}))
	a.waitForStatus(tn, failed, domain.DeliveryFailed)
	// Last: some fixtures move the customer to another number.
	for _, name := range fixturesWithMessages(t) {
		body, _ := onTestNumber(t, name, strings.TrimSuffix(name, ".json"))
		require.Equal(t, http.StatusOK, a.deliver(body).Status, name)
	}
	allMessages := func() []map[string]any {
		var out []map[string]any
		convs := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/conversations?limit=100", tn.OwnerToken, nil))
		for _, cv := range convs {
			out = append(out, listData(t, c.expect(http.StatusOK, http.MethodGet,
				"/v1/conversations/"+cv["id"].(string)+"/messages?limit=100", tn.OwnerToken, nil))...)
		}
		return out
	}
	// The fixtures' media ids are unknown to the fake: their downloads fail.
	require.Eventually(t, func() bool {
		for _, m := range allMessages() {
			if media, _ := m["media"].(map[string]any); media != nil && media["state"] == "failed" {
				return true
			}
		}
		return false
	}, 15*time.Second, 50*time.Millisecond, "no inbound media failed")

	spec := loadOpenAPI(t).Components.Schemas["Message"].Value
	schema := loadGraphQLSchema(t)
	query := `query($id: ID!) { node(id: $id) { ... on Message { ` + selectAll(schema, "Message") + ` } } }`
	restSeen, gqlSeen, types := nullablesSeen{}, nullablesSeen{}, map[string]bool{}
	for _, row := range allMessages() {
		types[row["type"].(string)+"/"+row["direction"].(string)] = true
		require.Empty(t, emptyNullables(spec, row, "", restSeen), "REST %s", row["id"])
		node := a.gqlOK(tn.OwnerToken, query, map[string]any{"id": row["id"]}).get(t, "node")
		require.Empty(t, emptyNullableFields(schema, "Message", node, "", gqlSeen), "GraphQL %s", row["id"])
	}

	// The conversations and contacts they are in, likewise.
	for _, kind := range []struct{ list, schema string }{{"/v1/conversations", "Conversation"}, {"/v1/contacts", "Contact"}} {
		rows := listData(t, c.expect(http.StatusOK, http.MethodGet, kind.list+"?limit=100", tn.OwnerToken, nil))
		require.NotEmpty(t, rows)
		rowSpec := loadOpenAPI(t).Components.Schemas[kind.schema].Value
		q := `query($id: ID!) { node(id: $id) { ... on ` + kind.schema + ` { ` + selectAll(schema, kind.schema) + ` } } }`
		for _, row := range rows {
			require.Empty(t, emptyNullables(rowSpec, row, "", nullablesSeen{}), "REST %s", row["id"])
			node := a.gqlOK(tn.OwnerToken, q, map[string]any{"id": row["id"]}).get(t, "node")
			require.Empty(t, emptyNullableFields(schema, kind.schema, node, "", nullablesSeen{}), "GraphQL %s", row["id"])
		}
	}

	var kinds []string
	for k := range types {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, want := range []string{"text/inbound", "image/inbound", "audio/inbound", "video/inbound", "document/inbound",
		"sticker/inbound", "location/inbound", "contacts/inbound", "interactive/inbound", "button/inbound",
		"reaction/inbound", "order/inbound", "system/inbound", "request_welcome/inbound", "unsupported/inbound",
		"text/outbound", "image/outbound", "document/outbound", "interactive/outbound", "reaction/outbound",
		"template/outbound"} {
		require.Contains(t, kinds, want)
	}
	// The fields this guards were met both absent and present.
	for _, field := range []string{"reply_to_provider_id", "media.link", "media.error", "error_code", "reply_to_id"} {
		require.Equal(t, [2]bool{true, true}, restSeen[field], "REST %s: [absent, present]", field)
	}
	for _, field := range []string{"replyToProviderId", "media.link", "media.error", "errorCode", "text"} {
		require.Equal(t, [2]bool{true, true}, gqlSeen[field], "GraphQL %s: [absent, present]", field)
	}
}
