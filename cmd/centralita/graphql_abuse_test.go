package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
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

// abuseDocuments are the sweep's CPU-exhaustion documents, each with the
// code that refuses it. Every one ends with a fresh comment so the query
// cache misses, as the attacker's did.
func abuseDocuments() []struct{ name, doc, code string } {
	fresh := " # " + time.Now().String()
	aliases := make([]string, 300)
	for i := range aliases {
		aliases[i] = fmt.Sprintf("a%d: id", i)
	}
	return []struct{ name, doc, code string }{
		// 10 wide, 8 deep: 10^8 copies expanded; it ran 8 minutes of CPU.
		{"fragment bomb", fanOutFragments() + fresh, "FIELD_LIMIT_EXCEEDED"},
		// 14,000 fields, 42 KB; 12-15 s of CPU each.
		{"14,000 repeated fields", "{ workspace { " + strings.Repeat("id ", 14000) + "} }" + fresh, "TOKEN_LIMIT_EXCEEDED"},
		{"4,000 repeated fields", "{ workspace { " + strings.Repeat("id ", 4000) + "} }" + fresh, "FIELD_LIMIT_EXCEEDED"},
		{"300 aliases", "{ workspace { " + strings.Join(aliases, " ") + " } }" + fresh, "ALIAS_LIMIT_EXCEEDED"},
		// 100,000 tokens in one argument list, under the 1 MiB body limit.
		{"100,000 tokens", `{ conversations(filter: {tagIds: [` + strings.Repeat(`"x" `, 50000) + `]}) { nodes { id } } }` + fresh,
			"TOKEN_LIMIT_EXCEEDED"},
	}
}

// The sweep's abuse documents, sent by an agent, are refused before any
// resolver runs, each with a clear code, in little server time. The bound
// is loose (2 s, where they took 8 minutes and 12-15 s before) so a loaded
// CI machine cannot make this flaky; the figures are logged for the record.
func TestGraphQLSweepAbuseIsRefusedQuickly(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Abuse")
	// Server time: the application's handler alone, without the client's
	// encoding and the network.
	served := make(chan time.Duration, 1)
	timed := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		a.app.handler.ServeHTTP(rw, r)
		served <- time.Since(start)
	}))
	t.Cleanup(timed.Close)
	a.URL = timed.URL
	a.gqlOK(w.AgentToken, `{ __typename }`, nil) // caches the session, as every measured request then does
	<-served
	for _, tc := range abuseDocuments() {
		before := a.DB.QueryCount()
		res := a.graphql(w.AgentToken, tc.doc, nil)
		took := <-served
		t.Logf("%s: %d bytes refused with %s in %v of server time", tc.name, len(tc.doc), tc.code, took)
		require.Less(t, took, 2*time.Second, tc.name)
		require.Equal(t, []string{tc.code}, res.errorCodes(), tc.name)
		require.NotEmpty(t, res.Errors[0].Message, tc.name)
		require.LessOrEqual(t, a.DB.QueryCount()-before, int64(3), "%s: only authentication touched the database", tc.name)
	}
	d := a.gqlOK(w.AgentToken, `query Inbox { me { id } conversations(first: 20) { nodes { ...Row } } }
		fragment Row on Conversation { id status contact { id name } messages(first: 1) { nodes { id text } } }`, nil)
	<-served
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
