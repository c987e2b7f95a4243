package domain

import (
	"errors"
	"fmt"
)

// Code is the one error vocabulary shared by every adapter. api maps it to an
// HTTP status and problem+json; graph maps it to extensions.code.
type Code string

const (
	CodeInvalid            Code = "invalid"
	CodeNotFound           Code = "not_found"
	CodeConflict           Code = "conflict"
	CodeUnauthenticated    Code = "unauthenticated"
	CodeForbidden          Code = "forbidden"
	CodePreconditionFailed Code = "precondition_failed"
	// CodeUnprocessable: the request is well formed but the workspace's
	// setup cannot carry it out (e.g. a conversation with no number to
	// send from).
	CodeUnprocessable Code = "unprocessable"
	CodeRateLimited   Code = "rate_limited"
	CodeUnavailable   Code = "unavailable"
	CodeInternal      Code = "internal"
)

// Error is a failure the caller may see. Message is safe to show; Field names
// the offending input (snake_case, as in REST bodies) when there is one.
type Error struct {
	Code    Code
	Message string
	Field   string
	// RetryAfterSeconds is set when a retry delay is known (rate_limited,
	// media still downloading, database outage); REST sends Retry-After.
	RetryAfterSeconds int
	// ExistingID is, on a conflict with a record the caller may see (a
	// contact already holding the wa_id), that record's id, so the caller
	// can use it instead of searching for it.
	ExistingID string
	// MergedInto is, on a not_found for a merged contact, the survivor's
	// id, so a caller holding the old id can follow it.
	MergedInto string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an Error with a formatted, caller-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError builds an invalid-input Error that names the offending field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the uniform answer for an id that does not exist or belongs to
// another workspace: callers must not be able to tell the two apart.
func NotFound(kind string) *Error {
	return &Error{Code: CodeNotFound, Message: kind + " not found"}
}

// ErrStaleVersion is what ConversationStore.UpdateConversation returns when
// another writer changed the conversation first.
var ErrStaleVersion = &Error{Code: CodeConflict, Message: "conversation was changed by someone else; reload and retry"}

// ErrorCode returns the code of an application error, or CodeInternal for
// anything else (driver errors, panics turned into errors, bugs).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the safe message of an application error; internal
// errors are hidden behind a generic text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// AsError returns the application error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
