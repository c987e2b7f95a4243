package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// guardRequest runs before gqlgen sees a request. It binds the request to
// the client's context and a server-side time budget, so the work stops
// when either ends, and it refuses a body gqlgen would mishandle: invalid
// UTF-8, which JSON decoding silently turns into U+FFFD, and a body that is
// not a GraphQL request, for which gqlgen answers with Go type names and
// echoes the whole body back.
func guardRequest(next http.Handler, budget time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), budget)
		defer cancel()
		note := &responseNote{header: w.Header()}
		r = r.WithContext(context.WithValue(ctx, responseNoteKey{}, note))
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				refuseRequest(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "the request body is too large")
				return
			}
			refuseRequest(w, http.StatusBadRequest, "BAD_REQUEST", "the request body could not be read")
			return
		}
		if !utf8.Valid(body) {
			refuseRequest(w, http.StatusBadRequest, "BAD_USER_INPUT", "the request body is not valid UTF-8")
			return
		}
		if !isGraphQLRequest(body) {
			refuseRequest(w, http.StatusBadRequest, "BAD_REQUEST", "the request body must be one JSON object "+
				`{"query": string, "operationName"?: string, "variables"?: object, "extensions"?: object}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(&budgetWriter{ResponseWriter: w, ctx: ctx, note: note}, r)
	})
}

// budgetWriter answers TIMEOUT where gqlgen, finding the context ended
// before it executed anything, would answer a bare null, and 429 where an
// extension refused the operation for a spent cost budget.
type budgetWriter struct {
	http.ResponseWriter
	ctx  context.Context
	note *responseNote
}

func (w *budgetWriter) WriteHeader(status int) {
	if w.note.limited {
		status = http.StatusTooManyRequests
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *budgetWriter) Write(b []byte) (int, error) {
	if err := w.ctx.Err(); err != nil && bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		ended := contextEnded(err)
		refuseRequest(w.ResponseWriter, http.StatusServiceUnavailable, ended.Extensions["code"].(string), ended.Message)
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// graphQLRequest is the shape of a POST body (GraphQL over HTTP).
type graphQLRequest struct {
	Query         *string         `json:"query"`
	OperationName *string         `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

func isGraphQLRequest(body []byte) bool {
	var req graphQLRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil || req.Query == nil {
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return false
	}
	for _, raw := range []json.RawMessage{req.Variables, req.Extensions} {
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] != '{' && !bytes.Equal(t, []byte("null")) {
			return false
		}
	}
	return true
}

func refuseRequest(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"data": nil, "errors": []map[string]any{
		{"message": message, "extensions": map[string]any{"code": code}}}})
}

// stopWhenDone resolves no further field once the request's context has
// ended (the client went away or the time budget ran out): what remains of
// the document is answered with one error per field and costs nothing.
func stopWhenDone(ctx context.Context, next graphql.Resolver) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextEnded(err)
	}
	return next(ctx)
}

// contextEnded names why a request stopped: TIMEOUT when the server's
// time budget ran out, CANCELLED when the client went away.
func contextEnded(err error) *gqlerror.Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return limitError("TIMEOUT", "the request ran out of its time budget")
	}
	return limitError("CANCELLED", "the request was cancelled")
}
