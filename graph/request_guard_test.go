package graph

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/centralita/centralita/domain"
)

// serveRaw posts body as is, on ctx, with a principal, and returns the
// status and the raw answer.
func serveRaw(t *testing.T, ctx context.Context, cfg Config, body string) (int, string) {
	t.Helper()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(domain.WithPrincipal(req.Context(), domain.Principal{WorkspaceID: "ws_x", UserID: "usr_x", Role: domain.RoleAgent}))
	rec := httptest.NewRecorder()
	NewHandler(nil, cfg).ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func resultOf(t *testing.T, raw string) gqlResult {
	t.Helper()
	var out gqlResult
	require.NoError(t, json.Unmarshal([]byte(raw), &out), raw)
	return out
}

// A request whose server time budget ran out resolves nothing and says
// so; these tests run without a service, so a resolver that ran would fail
// as an internal error.
func TestRequestStopsWhenItsBudgetEnds(t *testing.T) {
	status, raw := serveRaw(t, context.Background(), Config{Timeout: time.Nanosecond}, query("{ me { id } workspace { id } }"))
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, []string{"TIMEOUT"}, codes(resultOf(t, raw)))
}

// Once the request's context ends mid-execution (the client went away, the
// budget ran out), no further field is resolved.
func TestNoFieldResolvesAfterTheContextEnds(t *testing.T) {
	ran := false
	next := func(context.Context) (any, error) { ran = true; return "x", nil }
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := stopWhenDone(gone, next)
	require.False(t, ran)
	require.Equal(t, "CANCELLED", err.(*gqlerror.Error).Extensions["code"])

	late, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-late.Done()
	_, err = stopWhenDone(late, next)
	require.False(t, ran)
	require.Equal(t, "TIMEOUT", err.(*gqlerror.Error).Extensions["code"])

	v, err := stopWhenDone(context.Background(), next)
	require.NoError(t, err)
	require.Equal(t, "x", v)
}

// A body that is not a GraphQL request is refused naming the problem, not
// the implementation (gqlgen said "Go struct field RawParams.query") and
// without echoing the body back.
func TestBadBodiesNameTheProblemOnly(t *testing.T) {
	huge := `{"query": ` + strings.Repeat("9", 900_000) + `}`
	for _, body := range []string{`{"query": 5}`, `{"query": "{ me { id } }", "variables": [1]}`, `"{ me { id } }"`,
		`{"query": "{ me { id } }"} trailing`, huge} {
		status, raw := serveRaw(t, context.Background(), Config{}, body)
		require.Equal(t, http.StatusBadRequest, status)
		require.Less(t, len(raw), 500, "no echo of the body")
		require.NotContains(t, raw, "RawParams")
		require.NotContains(t, raw, "Go ")
		require.Equal(t, []string{"BAD_REQUEST"}, codes(resultOf(t, raw)))
	}
}

// Suggestions name the schema; they are cut from every message, input
// fields and enum values included, and quoted input is only an excerpt.
func TestValidationMessagesSuggestNothing(t *testing.T) {
	for _, q := range []string{
		`{ conversations(filter: {statuss: [NEW]}) { nodes { id } } }`,
		`{ conversations(filter: {status: [NEWW]}) { nodes { id } } }`,
		`{ conversatons { nodes { id } } }`,
		`{ conversations(filter: {status: [` + strings.Repeat("N", 4000) + `]}) { nodes { id } } }`,
	} {
		_, raw := serveRaw(t, context.Background(), Config{}, query(q))
		res := resultOf(t, raw)
		require.NotEmpty(t, res.Errors, q)
		for _, e := range res.Errors {
			require.NotContains(t, e.Message, "Did you mean")
			require.LessOrEqual(t, len([]rune(e.Message)), 300)
		}
	}
}

// NUL or invalid UTF-8 in a GraphQL argument is BAD_USER_INPUT naming it,
// before any resolver runs, whether it comes as a variable or a literal.
func TestArgumentTextIsChecked(t *testing.T) {
	mutation := `mutation($input: AddNoteInput!) { addNote(input: $input) { userErrors { code } } }`
	body, _ := json.Marshal(map[string]any{"query": mutation,
		"variables": map[string]any{"input": map[string]any{"conversationId": "conv_x", "body": "a\x00b"}}})
	_, raw := serveRaw(t, context.Background(), Config{}, string(body))
	res := resultOf(t, raw)
	require.Equal(t, []string{"BAD_USER_INPUT"}, codes(res))
	require.Equal(t, "$input.body", res.Errors[0].Extensions["field"])

	literal := `mutation { addNote(input: {conversationId: "conv_x", body: "a\u0000b"}) { userErrors { code } } }`
	_, raw = serveRaw(t, context.Background(), Config{}, query(literal))
	res = resultOf(t, raw)
	require.Equal(t, []string{"BAD_USER_INPUT"}, codes(res))
	require.Equal(t, "input.body", res.Errors[0].Extensions["field"])

	invalid := `{"query": "{ conversations(filter: {text: \"` + "\xff\xfe" + `\"}) { nodes { id } } }"}`
	status, raw := serveRaw(t, context.Background(), Config{}, invalid)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, []string{"BAD_USER_INPUT"}, codes(resultOf(t, raw)))
}
