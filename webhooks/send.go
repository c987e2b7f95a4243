package webhooks

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ExcerptBytes bounds the part of a receiver's answer that is kept.
const ExcerptBytes = 1024

// Delivery is one signed message to one endpoint.
type Delivery struct {
	URL       string
	MsgID     string // webhook-id: the event id, the same on every attempt
	Timestamp time.Time
	Body      []byte
	Secrets   []string // every secret that signs (two during a rotation)
}

// Result is what one attempt got.
type Result struct {
	StatusCode int // 0 when no answer came
	Latency    time.Duration
	Excerpt    string
	// RetryAfter is the receiver's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Error describes a failure to get an answer (a refused address, a
	// timeout, a reset); the receiver's own answers are never echoed in it.
	Error string
}

// OK reports whether the receiver accepted the delivery (2xx).
func (r Result) OK() bool { return r.StatusCode >= 200 && r.StatusCode < 300 }

// Sender makes delivery attempts.
type Sender struct {
	Client *http.Client
	// UserAgent identifies us to receivers.
	UserAgent string
}

// Send makes one attempt.
func (s *Sender) Send(ctx context.Context, d Delivery) Result {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	ts := d.Timestamp.Unix()
	sig, err := SignatureHeader(d.Secrets, d.MsgID, ts, d.Body)
	if err != nil {
		return Result{Error: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return Result{Error: "the endpoint URL cannot be requested"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.UserAgent)
	req.Header.Set("webhook-id", d.MsgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	start := time.Now()
	res, err := s.Client.Do(req)
	if err != nil {
		return Result{Latency: time.Since(start), Error: describe(err)}
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, ExcerptBytes))
	// Drain a little more so the connection can be reused, never much.
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	return Result{StatusCode: res.StatusCode, Latency: time.Since(start), Excerpt: excerpt(raw),
		RetryAfter: retryAfter(res.Header.Get("Retry-After"), time.Now())}
}

// describe turns a transport error into a short reason that names no
// internal detail beyond what the operator configured.
func describe(err error) string {
	switch {
	case errors.Is(err, ErrBlockedAddress):
		var msg string
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.HasPrefix(e.Error(), ErrBlockedAddress.Error()) {
				msg = e.Error()
				break
			}
		}
		return strings.TrimPrefix(msg, "webhooks: ")
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	var uerr interface{ Timeout() bool }
	if errors.As(err, &uerr) && uerr.Timeout() {
		return "timed out"
	}
	return "no answer: connection failed"
}

// excerpt keeps valid UTF-8 only, so it can be stored and shown as text.
func excerpt(raw []byte) string {
	if r, size := utf8.DecodeLastRune(raw); r == utf8.RuneError && size <= 1 && len(raw) > 0 {
		raw = raw[:len(raw)-1] // most likely a character cut at the bound
	}
	return strings.ReplaceAll(strings.ToValidUTF8(string(raw), "\uFFFD"), "\x00", "")
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
