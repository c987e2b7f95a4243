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

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// These tests exercise the protections that run before any resolver, so
// they need no service: depth, complexity, transport, introspection,
// suggestions and authentication.

type gqlResult struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func serve(t *testing.T, cfg Config, method, body string, withPrincipal bool) (int, gqlResult) {
	t.Helper()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	h := NewHandler(nil, cfg)
	req := httptest.NewRequest(method, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if withPrincipal {
		ctx := domain.WithPrincipal(req.Context(), domain.Principal{WorkspaceID: "ws_x", UserID: "usr_x", Role: domain.RoleAgent})
		req = req.WithContext(domain.WithRequestID(ctx, "req-1"))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out gqlResult
	if rec.Body.Len() > 0 {
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
	}
	return rec.Code, out
}

func query(q string) string {
	b, _ := json.Marshal(map[string]any{"query": q})
	return string(b)
}

func codes(r gqlResult) []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

func TestDepthLimitRejectsDeepOperations(t *testing.T) {
	deep := "{ conversations(first: 1) { nodes { contact { conversations(first: 1) { nodes { contact { conversations(first: 1) { nodes { contact { conversations(first: 1) { nodes { contact { id } } } } } } } } } } } } }"
	_, res := serve(t, Config{DepthLimit: 12}, http.MethodPost, query(deep), true)
	require.Equal(t, []string{"DEPTH_LIMIT_EXCEEDED"}, codes(res))
	require.Contains(t, res.Errors[0].Message, "depth 13")

	viaFragments := `query { conversations { ...A } } fragment A on ConversationConnection { nodes { contact { ...B } } }
		fragment B on Contact { conversations { nodes { contact { conversations { nodes { contact { conversations { nodes { contact { id } } } } } } } } } }`
	_, res = serve(t, Config{DepthLimit: 12}, http.MethodPost, query(viaFragments), true)
	require.Equal(t, []string{"DEPTH_LIMIT_EXCEEDED"}, codes(res))
}

func TestComplexityLimitCountsPageSizes(t *testing.T) {
	q := "{ conversations(first: 100) { nodes { messages(first: 100) { nodes { id text } } } } }"
	_, res := serve(t, Config{}, http.MethodPost, query(q), true)
	require.Equal(t, []string{"COMPLEXITY_LIMIT_EXCEEDED"}, codes(res))
}

func TestOnlyPostWithoutBatching(t *testing.T) {
	status, _ := serve(t, Config{}, http.MethodGet, "", true)
	require.NotEqual(t, http.StatusOK, status)

	batch := "[" + query("{ me { id } }") + "," + query("{ me { id } }") + "]"
	status, res := serve(t, Config{}, http.MethodPost, batch, true)
	require.NotEqual(t, http.StatusOK, status)
	require.JSONEq(t, "null", string(res.Data))
}

func TestIntrospectionAndSuggestionsOff(t *testing.T) {
	_, res := serve(t, Config{}, http.MethodPost, query("{ __schema { types { name } } }"), true)
	require.NotEmpty(t, res.Errors)
	require.Contains(t, res.Errors[0].Message, "introspection disabled")

	_, res = serve(t, Config{}, http.MethodPost, query("{ conversatons { nodes { id } } }"), true)
	require.NotEmpty(t, res.Errors)
	for _, e := range res.Errors {
		require.NotContains(t, e.Message, "Did you mean")
	}

	_, res = serve(t, Config{Introspection: true}, http.MethodPost, query(`{ __type(name: "Conversation") { name } }`), true)
	require.Empty(t, res.Errors)
	require.JSONEq(t, `{"__type":{"name":"Conversation"}}`, string(res.Data))
}

func TestNoPrincipalIsUnauthenticated(t *testing.T) {
	_, res := serve(t, Config{}, http.MethodPost, query(`{ node(id: "conv_x") { id } }`), false)
	require.Equal(t, []string{"UNAUTHENTICATED"}, codes(res))
	_, res = serve(t, Config{}, http.MethodPost, query(`mutation { claimConversation(input: {conversationId: "conv_x"}) { userErrors { code } } }`), false)
	require.Equal(t, []string{"UNAUTHENTICATED"}, codes(res))
}

func TestNodeWithForgedPrefixIsNotFound(t *testing.T) {
	_, res := serve(t, Config{}, http.MethodPost, query(`{ node(id: "zzz_0123456789abcdefghjkmnpqrs") { id } }`), true)
	require.Equal(t, []string{"NOT_FOUND"}, codes(res))
	require.Equal(t, "node not found", res.Errors[0].Message)
	require.Equal(t, "req-1", res.Errors[0].Extensions["requestId"])
	require.JSONEq(t, `{"node":null}`, string(res.Data))
}

func TestMutationErrorsSplit(t *testing.T) {
	c, ues, err := result[domain.Conversation](nil, &domain.Error{Code: domain.CodeInvalid, Field: "close_reason", Message: "m"})
	require.NoError(t, err)
	require.Nil(t, c)
	require.Equal(t, []string{"input", "closeReason"}, ues[0].Field)
	require.Equal(t, "BAD_USER_INPUT", ues[0].Code, "the vocabulary of extensions.code")

	_, ues, err = result[domain.Conversation](nil, domain.Errorf(domain.CodeConflict, "no"))
	require.NoError(t, err)
	require.Nil(t, ues[0].Field)
	require.Equal(t, "CONFLICT", ues[0].Code)
	_, ues, _ = result[domain.Conversation](nil, domain.Errorf(domain.CodePreconditionFailed, "closed window"))
	require.Equal(t, "PRECONDITION_FAILED", ues[0].Code)

	_, _, err = result[domain.Conversation](nil, domain.NotFound("conversation"))
	require.Equal(t, domain.CodeNotFound, domain.ErrorCode(err))

	c, ues, err = result(&domain.Conversation{ID: "conv_1"}, nil)
	require.NoError(t, err)
	require.NotNil(t, c)
	require.NotNil(t, ues)
	require.Empty(t, ues)
}

func TestErrorPresenterHidesInternals(t *testing.T) {
	var logged strings.Builder
	present := errorPresenter(slog.New(slog.NewTextHandler(&logged, nil)))
	ctx := domain.WithRequestID(context.Background(), "req-9")
	out := present(ctx, io.ErrUnexpectedEOF)
	require.Equal(t, "internal error", out.Message)
	require.Equal(t, "INTERNAL_SERVER_ERROR", out.Extensions["code"])
	require.Equal(t, "req-9", out.Extensions["requestId"])
	require.Contains(t, logged.String(), "req-9")

	out = present(ctx, domain.FieldError("limit", "limit must be between 1 and 100"))
	require.Equal(t, "BAD_USER_INPUT", out.Extensions["code"])
	require.Equal(t, "first", out.Extensions["field"])
}

func TestCursorsRenderEveryEdge(t *testing.T) {
	items := []*domain.Message{{ID: "msg_a"}, {ID: "msg_b"}, {ID: "msg_c"}}
	page := domain.MakePage(items, 2, (*domain.Message).PageKey)
	cs, info := cursors(page)
	require.Len(t, cs, 2)
	require.Equal(t, domain.EncodeCursor(items[0].PageKey()), cs[0])
	require.Equal(t, page.NextCursor, *info.EndCursor)
	require.True(t, info.HasNextPage)

	_, info = cursors(domain.Page[*domain.Message]{Items: []*domain.Message{}})
	require.Nil(t, info.EndCursor)
	require.False(t, info.HasNextPage)
}
