package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/cleantext"
)

// problemContentType is RFC 9457's media type for error bodies.
const problemContentType = "application/problem+json"

// Transport-level codes: failures the HTTP layer detects before any domain
// call. They extend domain.Code only here, so graph never sees them.
const (
	codePayloadTooLarge  domain.Code = "payload_too_large"
	codeMethodNotAllowed domain.Code = "method_not_allowed"
)

// problem is an RFC 9457 body. request_id lets support find the log line.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Code      domain.Code    `json:"code"`
	RequestID string         `json:"request_id"`
	Errors    []problemField `json:"errors,omitempty"`
	// ExistingID is, on a 409 caused by an existing record (a contact
	// with the same wa_id), that record's id in the caller's workspace.
	ExistingID string `json:"existing_id,omitempty"`
	// MergedInto is, on a 404 for a contact merged into another, the
	// survivor's id.
	MergedInto string `json:"merged_into,omitempty"`
}

// problemField names one offending input.
type problemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// statusByCode is the one table from the error vocabulary to HTTP. invalid
// is 400 everywhere (decoding failures and domain validation alike).
var statusByCode = map[domain.Code]int{
	domain.CodeInvalid:            http.StatusBadRequest,
	domain.CodeNotFound:           http.StatusNotFound,
	domain.CodeConflict:           http.StatusConflict,
	domain.CodeUnauthenticated:    http.StatusUnauthorized,
	domain.CodeForbidden:          http.StatusForbidden,
	domain.CodePreconditionFailed: http.StatusPreconditionFailed,
	domain.CodeUnprocessable:      http.StatusUnprocessableEntity,
	domain.CodeRateLimited:        http.StatusTooManyRequests,
	domain.CodeUnavailable:        http.StatusServiceUnavailable,
	domain.CodeInternal:           http.StatusInternalServerError,
	codePayloadTooLarge:           http.StatusRequestEntityTooLarge,
	codeMethodNotAllowed:          http.StatusMethodNotAllowed,
}

// StatusFor returns the HTTP status of an error code.
func StatusFor(code domain.Code) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// problemType is the stable URI identifying a kind of problem.
func problemType(code domain.Code) string { return "urn:centralita:problem:" + string(code) }

// newProblem turns any error into a problem body. Internal errors keep
// their text out of the body; the caller logs them.
func newProblem(err error, requestID string) problem {
	code := domain.ErrorCode(err)
	status := StatusFor(code)
	p := problem{Type: problemType(code), Title: http.StatusText(status), Status: status,
		Detail: domain.ErrorMessage(err), Code: code, RequestID: requestID}
	if e, ok := domain.AsError(err); ok && e.Field != "" && code != domain.CodeInternal {
		p.Errors = []problemField{{Field: e.Field, Message: e.Message}}
	}
	if e, ok := domain.AsError(err); ok && code == domain.CodeConflict {
		p.ExistingID = e.ExistingID
	}
	if e, ok := domain.AsError(err); ok && code == domain.CodeNotFound {
		p.MergedInto = e.MergedInto
	}
	// Messages may quote the caller's input (an unknown field's name, say):
	// a short excerpt names it, a whole body is never echoed back.
	p.Detail = cleantext.Excerpt(p.Detail, cleantext.MaxExcerpt)
	for i := range p.Errors {
		p.Errors[i].Field = cleantext.Excerpt(p.Errors[i].Field, cleantext.MaxExcerpt)
		p.Errors[i].Message = cleantext.Excerpt(p.Errors[i].Message, cleantext.MaxExcerpt)
	}
	return p
}

// fail renders err as problem+json and stops the handler chain. It is the
// only place an internal error is logged, once, with the request id.
func fail(c *gin.Context, err error) {
	ctx := c.Request.Context()
	if errors.Is(ctx.Err(), context.Canceled) {
		// The client gave up (and will retry, if it is Meta): nothing went
		// wrong here, so it is neither logged as an error nor counted as
		// a 500. Nobody reads the answer; 499 is nginx's name for it.
		c.AbortWithStatus(StatusClientClosedRequest)
		return
	}
	p := newProblem(err, domain.RequestID(ctx))
	switch p.Code {
	case domain.CodeInternal:
		loggerFrom(c).ErrorContext(ctx, "request failed", slog.String("request_id", p.RequestID),
			slog.String("error", err.Error()))
		p.Detail = "internal error"
	case domain.CodeUnavailable:
		// A wrapped cause (a database outage, say) is for operators only.
		if _, plain := err.(*domain.Error); plain {
			break
		}
		loggerFrom(c).WarnContext(ctx, "request refused: unavailable", slog.String("request_id", p.RequestID),
			slog.String("error", err.Error()))
	}
	if p.Code == domain.CodeUnauthenticated {
		c.Header("WWW-Authenticate", `Bearer realm="centralita"`)
	}
	if e, ok := domain.AsError(err); ok && e.RetryAfterSeconds > 0 {
		c.Header("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	writeProblem(c, p)
}

func writeProblem(c *gin.Context, p problem) {
	c.Abort()
	if c.Writer.Written() {
		return // a partial answer already went out; nothing sensible to add
	}
	c.Render(p.Status, jsonRender{contentType: problemContentType, value: p})
}

// StatusClientClosedRequest is recorded (in metrics and the access log)
// for a request whose client went away before it was answered.
const StatusClientClosedRequest = 499

// errPayloadTooLarge is returned by decoding when the body exceeds the limit.
var errPayloadTooLarge = &domain.Error{Code: codePayloadTooLarge, Message: "request body is too large"}

// isTooLarge reports whether a read failed because of http.MaxBytesReader.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
