package main

// A small graphql-transport-ws client over coder/websocket for the live
// subscription tests.

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"
)

// liveWait bounds every wait for a message; it is generous because the
// machine is shared, and no assertion depends on it being short.
const liveWait = 20 * time.Second

// wsMessage is one graphql-transport-ws message.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type liveClient struct {
	t    *testing.T
	conn *websocket.Conn
	in   chan wsMessage
	// closed holds why reading stopped (a close frame, usually).
	closed chan error
	ctx    context.Context
}

type dialOptions struct {
	origin string
	// readBuffer shrinks the socket's receive buffer, so a client that
	// stops reading stalls the server's writes soon.
	readBuffer int
	// noReader: messages are read only when the test calls startReading.
	noReader bool
}

// dialLive opens a socket to /graphql; it fails the test when the
// handshake fails (see dialLiveErr).
func (a *testApp) dialLive(opts dialOptions) *liveClient {
	a.t.Helper()
	c, err := a.dialLiveErr(opts)
	require.NoError(a.t, err)
	return c
}

func (a *testApp) dialLiveErr(opts dialOptions) (*liveClient, error) {
	ctx, cancel := context.WithCancel(context.Background())
	a.t.Cleanup(cancel)
	header := http.Header{}
	if opts.origin != "" {
		header.Set("Origin", opts.origin)
	}
	dialer := &net.Dialer{}
	if opts.readBuffer > 0 {
		dialer.Control = smallReceiveBuffer(opts.readBuffer)
	}
	transport := &http.Transport{DialContext: dialer.DialContext}
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(a.URL, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header, HTTPClient: &http.Client{Transport: transport}})
	if res != nil && res.Body != nil {
		res.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	a.t.Cleanup(func() { conn.CloseNow() })
	c := &liveClient{t: a.t, conn: conn, in: make(chan wsMessage, 10000), closed: make(chan error, 1), ctx: ctx}
	if !opts.noReader {
		c.startReading()
	}
	return c, nil
}

// startReading reads every message into c.in, answering pings.
func (c *liveClient) startReading() {
	go func() {
		for {
			_, data, err := c.conn.Read(c.ctx)
			if err != nil {
				c.closed <- err
				close(c.in)
				return
			}
			var m wsMessage
			if json.Unmarshal(data, &m) != nil {
				continue
			}
			if m.Type == "ping" {
				_ = c.send(wsMessage{Type: "pong"})
				continue
			}
			if m.Type == "pong" || m.Type == "ka" {
				continue
			}
			c.in <- m
		}
	}()
}

func (c *liveClient) send(m wsMessage) error {
	b, _ := json.Marshal(m)
	return c.conn.Write(c.ctx, websocket.MessageText, b)
}

// init sends connection_init with payload and returns the answer (the
// ack), or the close error when the server refuses.
func (c *liveClient) init(payload map[string]any) (wsMessage, error) {
	b, _ := json.Marshal(payload)
	require.NoError(c.t, c.send(wsMessage{Type: "connection_init", Payload: b}))
	select {
	case m, ok := <-c.in:
		if !ok {
			return wsMessage{}, <-c.closed
		}
		return m, nil
	case <-time.After(liveWait):
		c.t.Fatal("no answer to connection_init")
	}
	return wsMessage{}, nil
}

// mustInit authenticates with a bearer credential.
func (c *liveClient) mustInit(credential string) {
	c.t.Helper()
	m, err := c.init(map[string]any{"Authorization": "Bearer " + credential})
	require.NoError(c.t, err)
	require.Equal(c.t, "connection_ack", m.Type)
}

// subscribe starts an operation with the given id.
func (c *liveClient) subscribe(id, query string, variables map[string]any) {
	c.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	require.NoError(c.t, c.send(wsMessage{ID: id, Type: "subscribe", Payload: b}))
}

// next waits for the next message about an operation (next, error or
// complete).
func (c *liveClient) next() wsMessage {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			c.t.Fatalf("socket closed: %v", <-c.closed)
		}
		return m
	case <-time.After(liveWait):
		c.t.Fatal("no message arrived")
	}
	return wsMessage{}
}

// nextData waits for the next message, which must be data of operation id,
// and decodes its payload's data.
func (c *liveClient) nextData(id string) map[string]any {
	c.t.Helper()
	m := c.next()
	require.Equal(c.t, "next", m.Type, "payload: %s", m.Payload)
	require.Equal(c.t, id, m.ID)
	var body struct {
		Data   map[string]any   `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	require.NoError(c.t, json.Unmarshal(m.Payload, &body))
	require.Empty(c.t, body.Errors, "payload: %s", m.Payload)
	return body.Data
}

// errorCodes reads the extensions codes of an error message, or of a
// next message answering a subscription that could not start.
func errorCodes(t *testing.T, m wsMessage) []string {
	t.Helper()
	var errs []struct {
		Extensions map[string]any `json:"extensions"`
	}
	if m.Type == "next" { // a subscription refused when it starts
		var body struct {
			Errors json.RawMessage `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(m.Payload, &body), "payload: %s", m.Payload)
		m.Payload = body.Errors
	}
	require.NoError(t, json.Unmarshal(m.Payload, &errs), "payload: %s", m.Payload)
	var codes []string
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		codes = append(codes, code)
	}
	return codes
}

// closeCode is the WebSocket close code err carries (-1 when none).
func closeCode(err error) websocket.StatusCode {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}
