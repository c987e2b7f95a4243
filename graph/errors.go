package graph

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/cleantext"
	"github.com/centralita/centralita/graph/model"
)

// extensionCodes maps the domain vocabulary to GraphQL's, UPPER_SNAKE like
// GraphQL enums: the one table for extensions.code and userErrors.code
// alike, so a client switches on one set of codes.
var extensionCodes = map[domain.Code]string{
	domain.CodeInvalid:            "BAD_USER_INPUT",
	domain.CodeNotFound:           "NOT_FOUND",
	domain.CodeConflict:           "CONFLICT",
	domain.CodeUnauthenticated:    "UNAUTHENTICATED",
	domain.CodeForbidden:          "FORBIDDEN",
	domain.CodePreconditionFailed: "PRECONDITION_FAILED",
	domain.CodeUnprocessable:      "UNPROCESSABLE",
	domain.CodeRateLimited:        "RATE_LIMITED",
	domain.CodeUnavailable:        "UNAVAILABLE",
	domain.CodeInternal:           "INTERNAL_SERVER_ERROR",
}

const internalMessage = "internal error"

// result splits the outcome of a mutation's domain call: invalid input and
// refused transitions (invalid, conflict, precondition_failed) become
// userErrors, i.e. data; any other failure is returned as a top-level error.
func result[T any](v *T, err error) (*T, []*model.UserError, error) {
	if err == nil {
		return v, []*model.UserError{}, nil
	}
	e, ok := domain.AsError(err)
	if !ok {
		return nil, nil, err
	}
	switch e.Code {
	case domain.CodeInvalid, domain.CodeConflict, domain.CodePreconditionFailed, domain.CodeUnprocessable:
		ue := &model.UserError{Message: e.Message, Code: extensionCodes[e.Code], ExistingID: optional(e.ExistingID)}
		if e.Field != "" {
			ue.Field = append([]string{"input"}, fieldPath(e.Field)...)
		}
		return nil, []*model.UserError{ue}, nil
	}
	return nil, nil, err
}

// camelCase turns a domain (REST) field name into its GraphQL spelling.
func camelCase(field string) string {
	parts := strings.Split(field, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// fieldPath splits a nested domain field ("weekly[1].open",
// "escalation.queue_id") into its GraphQL path ["weekly", "1", "open"].
func fieldPath(field string) []string {
	var path []string
	for _, part := range strings.Split(strings.ReplaceAll(field, "[", "."), ".") {
		path = append(path, camelCase(strings.TrimSuffix(part, "]")))
	}
	return path
}

// argumentNames maps domain field names of listing errors to the GraphQL
// argument they came from.
var argumentNames = map[string]string{"limit": "first", "cursor": "after", "q": "text"}

// errorPresenter is the one place errors are rendered: domain errors get
// their extensions.code and safe message; anything unexpected is logged
// once with the request id and shown only as "internal error".
func errorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := graphql.DefaultErrorPresenter(ctx, err)
		requestID := domain.RequestID(ctx)
		if e, ok := domain.AsError(err); ok {
			out.Message = e.Message
			out.Extensions = map[string]any{"code": extensionCodes[e.Code]}
			if e.Code == domain.CodeInternal && ctx.Err() != nil {
				ended := contextEnded(ctx.Err()) // not a fault: the request's context ended
				out.Message, out.Extensions = ended.Message, ended.Extensions
			} else if e.Code == domain.CodeInternal {
				logger.ErrorContext(ctx, "graphql internal error", "error", err, "request_id", requestID, "path", out.Path.String())
				out.Message = internalMessage
			}
			if e.Code == domain.CodeInvalid && e.Field != "" {
				name, ok := argumentNames[e.Field]
				if !ok {
					name = camelCase(e.Field)
				}
				out.Extensions["field"] = name
			}
			if e.MergedInto != "" {
				out.Extensions["mergedInto"] = e.MergedInto
			}
			if e.RetryAfterSeconds > 0 {
				out.Extensions["retryAfterSeconds"] = e.RetryAfterSeconds
			}
		} else if out.Err != nil && out.Err.Error() == "introspection disabled" {
			// gqlgen's own (plain) error for __schema/__type in production.
			out.Extensions = map[string]any{"code": "INTROSPECTION_DISABLED"}
		} else if out.Err != nil && ctx.Err() != nil {
			// The store failed because the request's context ended: that is
			// the answer, not an internal error.
			ended := contextEnded(ctx.Err())
			out.Message, out.Extensions = ended.Message, ended.Extensions
		} else if out.Err != nil {
			// gqlgen's own errors (parse, validation, complexity) carry no
			// inner error; a wrapped plain error comes from a resolver or
			// the database and is never shown.
			logger.ErrorContext(ctx, "graphql internal error", "error", err, "request_id", requestID, "path", out.Path.String())
			out.Message = internalMessage
			out.Extensions = map[string]any{"code": "INTERNAL_SERVER_ERROR"}
		}
		out.Message = safeMessage(out.Message)
		if requestID != "" {
			if out.Extensions == nil {
				out.Extensions = map[string]any{}
			}
			out.Extensions["requestId"] = requestID
		}
		return out
	}
}

// safeMessage keeps gqlgen's validation messages from leaking more than
// the problem: its "Did you mean" suggestions (which name the schema even
// with suggestions disabled, for input fields and enum values) are cut,
// and quoted input is at most a short excerpt.
func safeMessage(msg string) string {
	if i := strings.Index(msg, " Did you mean"); i >= 0 {
		msg = msg[:i]
	}
	return cleantext.Excerpt(msg, cleantext.MaxExcerpt)
}

// recoverFunc turns a resolver panic into an internal error, logging the
// panic and its stack with the request id.
func recoverFunc(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "graphql panic", "panic", fmt.Sprint(p), "request_id", domain.RequestID(ctx),
			"stack", string(debug.Stack()))
		return &gqlerror.Error{Message: internalMessage, Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}}
	}
}

// notFoundNode hides which kind of object a node id did not resolve to.
func notFoundNode(err error) error {
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.NotFound("node")
	}
	return err
}
