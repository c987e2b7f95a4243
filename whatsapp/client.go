package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults used when Client fields are empty.
const (
	DefaultBaseURL = "https://graph.facebook.com"
	DefaultVersion = "v24.0"
)

// maxResponseBody caps Graph JSON answers we read; real ones are < 2 KB.
const maxResponseBody = 1 << 20

var defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}

// Client calls the Graph API. It holds no credentials: every call takes the
// phone number id and the access token of the channel it acts for, so one
// Client serves every tenant. The zero value talks to graph.facebook.com.
type Client struct {
	BaseURL string       // e.g. a FakeGraph httptest URL; default DefaultBaseURL
	Version string       // e.g. "v24.0"; default DefaultVersion
	HTTP    *http.Client // default: 30 s timeout
}

// SendResult is Meta's acceptance of a message: accepted, not delivered.
type SendResult struct {
	MessageID     string // wamid; statuses will refer to it
	WaID          string // the user's wa_id; may differ from the number dialled (§10)
	UserID        string // BSUID when addressed by one
	Input         string
	MessageStatus string // "accepted" etc. for paced templates
}

// SendMessage validates msg and posts it to /{pnid}/messages.
func (c *Client) SendMessage(ctx context.Context, phoneNumberID, accessToken string, msg OutboundMessage) (SendResult, error) {
	if err := msg.Validate(); err != nil {
		return SendResult{}, err
	}
	var resp struct {
		Contacts []struct {
			Input  string `json:"input"`
			WaID   string `json:"wa_id"`
			UserID string `json:"user_id"`
		} `json:"contacts"`
		Messages []struct {
			ID            string `json:"id"`
			MessageStatus string `json:"message_status"`
		} `json:"messages"`
	}
	if err := c.postJSON(ctx, accessToken, c.url(phoneNumberID, "messages"), msg.wire(), &resp); err != nil {
		return SendResult{}, err
	}
	if len(resp.Messages) == 0 || resp.Messages[0].ID == "" {
		// 200 without a wamid: Meta may or may not send it. Not retryable on
		// purpose, a retry could duplicate the message.
		return SendResult{}, errors.New("whatsapp: send answered 200 without a message id")
	}
	r := SendResult{MessageID: resp.Messages[0].ID, MessageStatus: resp.Messages[0].MessageStatus}
	if len(resp.Contacts) > 0 {
		r.WaID, r.UserID, r.Input = resp.Contacts[0].WaID, resp.Contacts[0].UserID, resp.Contacts[0].Input
	}
	return r, nil
}

// MarkRead marks an inbound message (and earlier ones in the thread) as read.
func (c *Client) MarkRead(ctx context.Context, phoneNumberID, accessToken, wamid string) error {
	return c.markRead(ctx, phoneNumberID, accessToken, wamid, false)
}

// SendTypingIndicator marks wamid read and shows "typing…" for up to 25 s;
// only call it when a reply is coming.
func (c *Client) SendTypingIndicator(ctx context.Context, phoneNumberID, accessToken, wamid string) error {
	return c.markRead(ctx, phoneNumberID, accessToken, wamid, true)
}

func (c *Client) markRead(ctx context.Context, phoneNumberID, accessToken, wamid string, typing bool) error {
	if wamid == "" {
		return invalid("message_id", "is required")
	}
	body := wireSendRequest{MessagingProduct: "whatsapp", Status: "read", MessageID: wamid}
	if typing {
		body.TypingIndicator = &wireTypingIndicator{Type: "text"}
	}
	var resp struct {
		Success bool `json:"success"`
	}
	if err := c.postJSON(ctx, accessToken, c.url(phoneNumberID, "messages"), body, &resp); err != nil {
		return err
	}
	if !resp.Success {
		return errors.New("whatsapp: mark-as-read answered without success")
	}
	return nil
}

func (c *Client) url(parts ...string) string {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	version := c.Version
	if version == "" {
		version = DefaultVersion
	}
	escaped := make([]string, 0, len(parts)+1)
	escaped = append(escaped, url.PathEscape(version))
	for _, p := range parts {
		escaped = append(escaped, url.PathEscape(p))
	}
	return strings.TrimRight(base, "/") + "/" + strings.Join(escaped, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTPClient
}

func (c *Client) postJSON(ctx context.Context, token, endpoint string, body, out any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("whatsapp: encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("whatsapp: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, token, out)
}

// do sends req with the Bearer token and decodes a 2xx JSON answer into out.
func (c *Client) do(req *http.Request, token string, out any) error {
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return &TransportError{Op: req.Method + " " + redactURL(req.URL), Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return &TransportError{Op: "read response", Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return parseGraphError(resp.StatusCode, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("whatsapp: decode %s response: %w", req.URL.Path, err)
	}
	return nil
}

// redactURL drops the query: media URLs carry signed tokens.
func redactURL(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	return c.String()
}
