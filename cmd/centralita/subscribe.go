package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/coder/websocket"
)

// `centralita subscribe` is the smallest integrator's client of the live
// GraphQL subscriptions: graphql-transport-ws over a WebSocket, one JSON
// line per event on stdout. It needs nothing but this binary (or `go run
// ./cmd/centralita subscribe`).

const subscribeSynopsis = `subscribe --url URL [--token TOKEN] [--query QUERY] [--variables JSON] [--count N]

Opens a GraphQL subscription over WebSocket (graphql-transport-ws) and prints
each event's data as one JSON line. The token (an access token or an API key)
is read from --token or CENTRALITA_TOKEN and sent in connection_init. Without
--query it subscribes to every message of the inbox the token may see:

  CENTRALITA_TOKEN=ck_... centralita subscribe --url http://127.0.0.1:8080

It exits after --count events (0: never), or with an error when the server
refuses the token (close 4403) or ends the subscription with an error (for
example SUBSCRIPTION_DROPPED, when this client fell too far behind).`

const defaultSubscription = `subscription { messageAdded { id conversationId direction type text createdAt } }`

type subscribeOptions struct {
	url, token, query, variables string
	count                        int
}

func runSubscribe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("subscribe", subscribeSynopsis)
	var o subscribeOptions
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the server (http[s]://host:port) or its /graphql endpoint")
	fs.StringVar(&o.token, "token", os.Getenv("CENTRALITA_TOKEN"), "access token or API key (default $CENTRALITA_TOKEN)")
	fs.StringVar(&o.query, "query", defaultSubscription, "the subscription document")
	fs.StringVar(&o.variables, "variables", "", "its variables, a JSON object")
	fs.IntVar(&o.count, "count", 0, "exit after this many events (0: run until interrupted)")
	if helped, err := parseFlags(fs, args, stdout, stderr); helped || err != nil {
		return err
	}
	if o.token == "" {
		return errors.New("subscribe: no token: pass --token or set CENTRALITA_TOKEN")
	}
	return subscribe(ctx, o, stdout)
}

// socketURL turns the server's address into its ws(s)://…/graphql URL.
func socketURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("subscribe: --url %q is not an http(s) URL", raw)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "ws"
	case "https", "wss":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("subscribe: --url %q is not an http(s) URL", raw)
	}
	if !strings.HasSuffix(u.Path, "/graphql") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/graphql"
	}
	return u.String(), nil
}

type wireMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func subscribe(ctx context.Context, o subscribeOptions, stdout io.Writer) error {
	target, err := socketURL(o.url)
	if err != nil {
		return err
	}
	var variables map[string]any
	if o.variables != "" {
		if err := json.Unmarshal([]byte(o.variables), &variables); err != nil {
			return fmt.Errorf("subscribe: --variables is not a JSON object: %w", err)
		}
	}
	conn, _, err := websocket.Dial(ctx, target, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 20)
	send := func(m wireMessage) error {
		b, _ := json.Marshal(m)
		return conn.Write(ctx, websocket.MessageText, b)
	}
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + o.token})
	if err := send(wireMessage{Type: "connection_init", Payload: init}); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	start, _ := json.Marshal(map[string]any{"query": o.query, "variables": variables})
	seen := 0
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == 4403 {
				return errors.New("subscribe: the server refused the token")
			}
			return fmt.Errorf("subscribe: %w", err)
		}
		var m wireMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		switch m.Type {
		case "connection_ack":
			if err := send(wireMessage{ID: "1", Type: "subscribe", Payload: start}); err != nil {
				return fmt.Errorf("subscribe: %w", err)
			}
		case "ping":
			_ = send(wireMessage{Type: "pong"})
		case "next":
			fmt.Fprintln(stdout, string(m.Payload))
			if seen++; o.count > 0 && seen >= o.count {
				return conn.Close(websocket.StatusNormalClosure, "done")
			}
		case "error":
			return fmt.Errorf("subscribe: the server ended the subscription: %s", m.Payload)
		case "complete":
			return nil
		}
	}
}
