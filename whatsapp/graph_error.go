package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// GraphError is a synchronous error answered by the Graph API (§8.1).
// Key decisions off Code (+ Details); Message titles are being deprecated.
type GraphError struct {
	HTTPStatus  int
	Code        int
	Subcode     int
	Type        string
	Message     string
	Details     string // error_data.details
	UserTitle   string // error_user_title (localized)
	UserMessage string // error_user_msg (localized)
	FBTraceID   string // quote it in support tickets
	IsTransient bool
}

func (e *GraphError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "whatsapp: graph error %d", e.Code)
	if e.Subcode != 0 {
		fmt.Fprintf(&b, "/%d", e.Subcode)
	}
	fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Details != "" {
		b.WriteString(": " + e.Details)
	}
	return b.String()
}

// Codes worth naming in callers.
const (
	CodeThroughput       = 130429 // per-number messages/second exceeded
	CodePairRateLimit    = 131056 // same business → same user too fast
	CodeReEngagement     = 131047 // 24 h window closed: needs a template
	CodeUndeliverable    = 131026
	CodeTemplateMissing  = 132001
	CodeTokenExpired     = 190
	CodeInvalidParameter = 100
)

// retryableCodes: same request, later, with backoff (§8.3 "R").
var retryableCodes = map[int]bool{
	130429: true, 131056: true, 4: true, 80007: true,
	1: true, 2: true, 131000: true, 131016: true, 133004: true, 131057: true,
}

// permanentReasons: codes that must not be retried as-is (§8.3 "F"/"T"),
// with the reason an agent sees next to the failed message.
var permanentReasons = map[int]string{
	0:      "authentication failed: check the access token and app permissions",
	3:      "the app lacks the capability for this call",
	10:     "permission denied for this phone number or WABA",
	100:    "invalid parameter in the request",
	190:    "access token expired or invalid: refresh the token",
	368:    "blocked by WhatsApp policy",
	130497: "messaging to this country is restricted for the business",
	131005: "access denied: permission missing",
	131008: "a required parameter is missing",
	131009: "a parameter value is not valid",
	131026: "message undeliverable: the recipient is not on WhatsApp, has an old app, or blocked the business",
	131030: "recipient is not in the allowed list of this test number",
	131031: "business account is locked",
	131042: "billing problem with the business account",
	131047: "more than 24 hours since the customer last wrote: send an approved template",
	131048: "spam rate limit: message quality too low; retry much later",
	131049: "Meta did not deliver this marketing message (per-user cap); do not resend for 24 hours",
	131050: "the user stopped marketing messages from this business",
	131051: "unsupported message type",
	131052: "the user's media could not be downloaded",
	131053: "media upload failed (unsupported type, size or unreachable URL)",
	131062: "this message cannot be sent to a business-scoped user id",
	132000: "template parameter count does not match",
	132001: "template does not exist in this language",
	132005: "template text too long after filling parameters",
	132007: "template content violates policy",
	132012: "template parameter format does not match",
	132015: "template is paused",
	132016: "template is disabled",
	133010: "phone number not registered on the Cloud API",
}

// KnownCode reports whether code is one this package classifies by name
// (a closed set, so callers may use it as a metric label).
func KnownCode(code int) bool {
	_, permanent := permanentReasons[code]
	return permanent || retryableCodes[code]
}

// Retryable reports whether sending the same request again later may
// succeed: throttling, Meta-side outages, transient flags and HTTP 5xx.
// Known permanent codes win over the HTTP status (code 3 comes with 500).
func (e *GraphError) Retryable() bool {
	if e.Code == 0 && e.HTTPStatus >= 500 {
		return true // no Meta error body (proxy, outage): Meta's code 0 comes with 401
	}
	if _, permanent := permanentReasons[e.Code]; permanent {
		return false
	}
	if (e.Code >= 200 && e.Code <= 299) || (e.Code >= 132000 && e.Code <= 132099) {
		return false
	}
	if retryableCodes[e.Code] || e.IsTransient {
		return true
	}
	return e.HTTPStatus >= 500 || e.HTTPStatus == http.StatusTooManyRequests
}

// Permanent returns why the request will never succeed as sent, in words
// for humans; "" when the error is retryable.
func (e *GraphError) Permanent() string {
	if e.Retryable() {
		return ""
	}
	if reason, ok := permanentReasons[e.Code]; ok {
		return reason
	}
	switch {
	case e.Code >= 200 && e.Code <= 299:
		return "permission denied for this phone number or WABA"
	case e.Code >= 132000 && e.Code <= 132099:
		return "template problem"
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.HTTPStatus)
	}
	return fmt.Sprintf("Graph API error %d: %s", e.Code, msg)
}

// NeedsTemplate reports whether the fix is to send a template instead (131047).
func (e *GraphError) NeedsTemplate() bool { return e.Code == CodeReEngagement }

// parseGraphError builds a GraphError from a non-2xx response body. Bodies
// that are not Meta's {"error":{...}} shape (proxies, HTML) still give an
// error carrying the HTTP status, so 5xx stays retryable.
func parseGraphError(status int, body []byte) *GraphError {
	var w struct {
		Error struct {
			Message     flexString `json:"message"`
			Type        flexString `json:"type"`
			Code        flexInt    `json:"code"`
			Subcode     flexInt    `json:"error_subcode"`
			IsTransient flexBool   `json:"is_transient"`
			UserTitle   flexString `json:"error_user_title"`
			UserMsg     flexString `json:"error_user_msg"`
			FBTraceID   flexString `json:"fbtrace_id"`
			ErrorData   struct {
				Details flexString `json:"details"`
			} `json:"error_data"`
		} `json:"error"`
	}
	e := &GraphError{HTTPStatus: status}
	if json.Unmarshal(body, &w) != nil || (w.Error.Code == 0 && w.Error.Message == "") {
		e.Message = strings.TrimSpace(truncate(string(body), 200))
		return e
	}
	e.Code, e.Subcode = int(w.Error.Code), int(w.Error.Subcode)
	e.Type, e.Message = string(w.Error.Type), string(w.Error.Message)
	e.Details = string(w.Error.ErrorData.Details)
	e.UserTitle, e.UserMessage = string(w.Error.UserTitle), string(w.Error.UserMsg)
	e.FBTraceID = string(w.Error.FBTraceID)
	e.IsTransient = bool(w.Error.IsTransient)
	return e
}

// TransportError wraps a failure to get any HTTP answer (DNS, reset,
// timeout). The request may or may not have reached Meta.
type TransportError struct {
	Op  string
	Err error
}

func (e *TransportError) Error() string { return "whatsapp: " + e.Op + ": " + e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }

// Retryable is true unless the caller cancelled the context on purpose.
func (e *TransportError) Retryable() bool { return !errors.Is(e.Err, context.Canceled) }

// IsRetryable classifies any error returned by Client: Graph errors by code,
// transport errors and timeouts as retryable, validation errors and anything
// unknown as permanent.
func IsRetryable(err error) bool {
	var ge *GraphError
	if errors.As(err, &ge) {
		return ge.Retryable()
	}
	var te *TransportError
	if errors.As(err, &te) {
		return te.Retryable()
	}
	return false
}
