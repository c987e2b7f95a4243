package api

import (
	"context"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	raw, err := os.ReadFile("../openapi.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

var ginParam = regexp.MustCompile(`:([a-z_]+)`)

// TestSpecMatchesRoutes keeps openapi.yaml and the router in lockstep: every
// served route is documented and every documented operation is served.
// /graphql is GraphQL's own contract and stays out of the REST spec.
func TestSpecMatchesRoutes(t *testing.T) {
	doc := loadSpec(t)
	spec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			spec[strings.ToUpper(method)+" "+path] = true
		}
	}
	r, _ := newTestRouter(t, nil)
	served := map[string]bool{}
	for _, route := range r.Routes() {
		if route.Path == "/graphql" {
			continue
		}
		served[route.Method+" "+ginParam.ReplaceAllString(route.Path, "{$1}")] = true
	}
	var undocumented, unserved []string
	for k := range served {
		if !spec[k] {
			undocumented = append(undocumented, k)
		}
	}
	for k := range spec {
		if !served[k] {
			unserved = append(unserved, k)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unserved)
	require.Empty(t, undocumented, "routes missing from openapi.yaml")
	require.Empty(t, unserved, "openapi.yaml operations without a route")
}

// TestSpecRequestBodiesAreClosed checks the strictness the server enforces
// is also what the contract promises.
func TestSpecRequestBodiesAreClosed(t *testing.T) {
	doc := loadSpec(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			require.NotEmpty(t, op.OperationID, "%s %s", method, path)
			// Meta's webhook envelope is Meta's to extend: only our own
			// inputs are closed.
			if op.RequestBody == nil || slices.Contains(op.Tags, "WhatsApp") {
				continue
			}
			media := op.RequestBody.Value.Content.Get("application/json")
			if media == nil { // uploads
				media = op.RequestBody.Value.Content.Get("multipart/form-data")
			}
			require.NotNil(t, media, "%s %s: a JSON or multipart body", method, path)
			schema := media.Schema.Value
			require.NotNil(t, schema.AdditionalProperties.Has, "%s %s", method, path)
			require.False(t, *schema.AdditionalProperties.Has, "%s %s must set additionalProperties: false", method, path)
		}
	}
}
