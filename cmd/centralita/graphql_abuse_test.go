package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fanOutFragments is the sweep's document: each fragment spreads the next
// ten times, eight levels down (10^8 copies once expanded). It ran 8
// minutes of server CPU before complexity refused it.
func fanOutFragments() string {
	var b strings.Builder
	b.WriteString("query { workspace { ...F0 } }\n")
	for d := range 8 {
		fmt.Fprintf(&b, "fragment F%d on Workspace { %s}\n", d, strings.Repeat(fmt.Sprintf("...F%d ", d+1), 10))
	}
	b.WriteString("fragment F8 on Workspace { id name }\n")
	return b.String()
}

// The sweep's two CPU-exhaustion documents, sent by an agent, are refused
// before any resolver runs and quickly (the bound is loose for CI: they
// took 8 minutes and 12-15 s before); an ordinary screen still works.
func TestGraphQLAbuseIsRefusedQuickly(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Abuse")
	for _, tc := range []struct{ doc, code string }{
		{fanOutFragments(), "FIELD_LIMIT_EXCEEDED"},
		// 14,000 fields, 42 KB, and a trailing comment so the cache misses.
		{"{ workspace { " + strings.Repeat("id ", 14000) + "} } # " + time.Now().String(), "TOKEN_LIMIT_EXCEEDED"},
		{"{ workspace { " + strings.Repeat("id ", 4000) + "} } # " + time.Now().String(), "FIELD_LIMIT_EXCEEDED"},
	} {
		before := a.DB.QueryCount()
		start := time.Now()
		res := a.graphql(w.AgentToken, tc.doc, nil)
		elapsed := time.Since(start)
		t.Logf("%s: %d bytes refused in %v (round trip)", tc.code, len(tc.doc), elapsed)
		require.Less(t, elapsed, time.Second)
		require.Equal(t, []string{tc.code}, res.errorCodes())
		require.LessOrEqual(t, a.DB.QueryCount()-before, int64(3), "only authentication touched the database")
	}
	d := a.gqlOK(w.AgentToken, `query Inbox { me { id } conversations(first: 20) { nodes { ...Row } } }
		fragment Row on Conversation { id status contact { id name } messages(first: 1) { nodes { id text } } }`, nil)
	require.Equal(t, []string{w.ConversationID}, d.ids(t, "conversations.nodes"))
}

// CENTRALITA_GRAPHQL_TIMEOUT bounds each request: past it nothing more is
// resolved and the answer says why.
func TestGraphQLTimeBudget(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.GraphQLTimeout = time.Nanosecond })
	w := seedWorld(t, a, "Budget")
	res := a.graphql(w.OwnerToken, `{ me { id } }`, nil)
	require.Equal(t, []string{"TIMEOUT"}, res.errorCodes())
	require.Equal(t, http.StatusServiceUnavailable, res.HTTPStatus)
}

// In production, errors name the problem and never the implementation:
// no Go type names, no suggestions from the schema, no echo of the body.
func TestGraphQLProductionErrorsLeakNothing(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.Env = "production" })
	w := seedWorld(t, a, "Leaks")
	huge := `{"query": ` + strings.Repeat("7", 900_000) + `}`
	for _, body := range []string{`{"query": 5}`, huge} {
		res := a.do(http.MethodPost, "/graphql", w.OwnerToken, []byte(body), "Content-Type", "application/json")
		require.Equal(t, http.StatusBadRequest, res.Status)
		require.NotContains(t, string(res.Body), "RawParams")
		require.NotContains(t, string(res.Body), "Go struct")
		require.Less(t, len(res.Body), 1000, "the body is not echoed")
	}
	for _, q := range []string{
		`{ conversations(filter: {statuss: [NEW]}) { nodes { id } } }`,
		`{ conversations(filter: {status: [NEWW]}) { nodes { id } } }`,
		`query($f: ConversationFilter) { conversations(filter: $f) { nodes { id } } }`,
	} {
		res := a.graphql(w.OwnerToken, q, map[string]any{"f": map[string]any{"status": []string{"NEWW"}}})
		require.NotEmpty(t, res.Errors, q)
		for _, e := range res.Errors {
			require.NotContains(t, e.Message, "Did you mean", q)
		}
	}
}
