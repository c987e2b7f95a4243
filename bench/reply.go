package bench

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// ReplyOptions drive the reply scenario.
type ReplyOptions struct {
	API           string // rest, graphql or both
	Conversations int
	// GraphLatency is set on the server the tool starts (ServerOptions).
	GraphLatency time.Duration
}

const sendTextMutation = `mutation($id: ID!, $text: String!) {
  sendTextMessage(input: {conversationId: $id, text: $text}) { message { id status } userErrors { code message } } }`

// reply measures agents' text replies, REST and/or GraphQL, round-robin
// over conversations customers opened just before (inside the 24-hour
// window). The answer is the acknowledgement (stored, queued); sending
// to the fake Graph API, paced per number, happens behind it.
func (o Options) reply(ctx context.Context, t *Target) ([]Result, error) {
	convs, err := openConversations(ctx, t, o.Reply.Conversations)
	if err != nil {
		return nil, err
	}
	apis := []string{o.Reply.API}
	if o.Reply.API == "both" {
		apis = []string{"rest", "graphql"}
	}
	client := newClient(1024)
	api := &apiClient{base: t.URL, key: DemoAPIKey, client: client}
	var results []Result
	for _, kind := range apis {
		graphql := kind == "graphql"
		if kind != "rest" && !graphql {
			return nil, fmt.Errorf("bench: --api must be rest, graphql or both")
		}
		load := Load{Rate: o.Rate, Count: max(1, int(o.Rate*o.Duration.Seconds())), Timeout: o.Timeout,
			Do: func(ctx context.Context, i int) Outcome {
				conv, text := convs[i%len(convs)], fmt.Sprintf("Gracias por escribirnos, respuesta %d", i)
				if graphql {
					status, body, err := api.do(ctx, http.MethodPost, "/graphql",
						map[string]any{"query": sendTextMutation, "variables": map[string]any{"id": conv, "text": text}})
					out := outcome(status, body, err, true)
					if out.Err == "" && !bytes.Contains(body, []byte(`"userErrors":[]`)) {
						out = Outcome{Err: "user_error"}
					}
					return out
				}
				status, body, err := api.do(ctx, http.MethodPost, "/v1/conversations/"+conv+"/messages", map[string]any{"text": text})
				return outcome(status, body, err, false)
			}}
		watch := watchProcess(t.PID)
		samples, wall := load.Run(ctx)
		r := Result{Scenario: "reply", Variant: kind, Database: t.Database(), Rate: o.Rate}
		summarize(&r, samples, wall, nil)
		r.Server = watch.done()
		results = append(results, r)
	}
	return results, nil
}

// openConversations has n customers write to the official number (in
// deliveries of 50) and returns the ids of up to n open conversations.
func openConversations(ctx context.Context, t *Target, n int) ([]string, error) {
	client := newClient(4)
	rng := rand.New(rand.NewPCG(3, 4))
	seq := 0
	for start := 0; start < n; start += 50 {
		body, _ := renderDeliveryFrom(fmt.Sprintf("reply%d", rng.Int()), &seq, DemoNumbers[0], start, min(50, n-start))
		status, err := postSigned(ctx, client, t.URL+"/webhooks/whatsapp", body)
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("bench: opening conversations: webhook answered %d (%v)", status, err)
		}
	}
	api := &apiClient{base: t.URL, key: DemoAPIKey, client: client}
	var ids []string
	cursor := ""
	for len(ids) < n {
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			NextCursor *string `json:"next_cursor"`
		}
		path := "/v1/conversations?status=new,open&limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		if err := api.getJSON(ctx, path, &page); err != nil {
			return nil, err
		}
		for _, c := range page.Data {
			ids = append(ids, c.ID)
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			break
		}
		cursor = *page.NextCursor
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("bench: no open conversation to reply to")
	}
	return ids[:min(len(ids), n)], nil
}
