package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/centralita/centralita/whatsapp"
)

// IngestOptions drive the ingest scenario.
type IngestOptions struct {
	Rate         float64 // messages per second (deliveries/s = Rate / Batch)
	Duration     time.Duration
	Batch        int
	Contacts     int     // distinct customers writing
	Redeliveries float64 // share of posts that repeat an earlier delivery
	Statuses     float64 // share of posts that are status updates
	Timeout      time.Duration
	MaxInFlight  int
}

// RunIngest posts signed deliveries at o.Rate for o.Duration and then
// counts the run's messages in the database.
func RunIngest(ctx context.Context, t *Target, o IngestOptions) (Result, error) {
	sent, err := sentMessages(ctx, t)
	if err != nil {
		return Result{}, err
	}
	perSecond := o.Rate / float64(o.Batch)
	count := max(1, int(perSecond*o.Duration.Seconds()))
	plan := planIngest(o, count, sent)
	client := newClient(1024)
	webhook := t.URL + "/webhooks/whatsapp"
	attempted := make([]bool, len(plan.posts))
	load := Load{Rate: perSecond, Count: len(plan.posts), Timeout: o.Timeout, MaxInFlight: o.MaxInFlight,
		Do: func(ctx context.Context, i int) Outcome {
			attempted[i] = true
			post := plan.posts[i]
			status, err := postSigned(ctx, client, webhook, post.body)
			if err != nil {
				return Outcome{Err: classify(err)}
			}
			return Outcome{Status: status, Items: post.items}
		}}
	watch := watchProcess(t.PID)
	samples, wall := load.Run(ctx)
	r := Result{Scenario: "ingest", Variant: fmt.Sprintf("batch%d", o.Batch), Database: t.Database(), Rate: o.Rate}
	summarize(&r, samples, wall, nil)
	r.Server = watch.done()
	if t.DatabaseURL == "" && t.SQLitePath == "" {
		return r, nil // a server at --url without --database-url or --sqlite: nothing to count in
	}
	check, err := checkStored(ctx, t, plan, samples, attempted)
	if err != nil {
		return r, err
	}
	r.Check = check
	return r, nil
}

// postSigned posts body signed with the demo's app secret.
func postSigned(ctx context.Context, client *http.Client, url string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(body, DemoAppSecret))
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// sentMessages are the demo's outbound messages that have a wamid, whose
// statuses the run posts. The demo seeds a few replies, sent through its
// fake Graph API shortly after the server starts.
func sentMessages(ctx context.Context, t *Target) ([]sentMessage, error) {
	api := &apiClient{base: t.URL, key: DemoAPIKey, client: http.DefaultClient}
	var channels struct {
		Data []struct {
			ID            string `json:"id"`
			PhoneNumberID string `json:"phone_number_id"`
		} `json:"data"`
	}
	if err := api.getJSON(ctx, "/v1/channels", &channels); err != nil {
		return nil, err
	}
	numbers := map[string]string{}
	for _, c := range channels.Data {
		numbers[c.ID] = c.PhoneNumberID
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var convs struct {
			Data []struct {
				ID        string `json:"id"`
				ChannelID string `json:"channel_id"`
			} `json:"data"`
		}
		if err := api.getJSON(ctx, "/v1/conversations?limit=20", &convs); err != nil {
			return nil, err
		}
		var sent []sentMessage
		for _, c := range convs.Data {
			var msgs struct {
				Data []struct {
					Direction         string `json:"direction"`
					ProviderMessageID string `json:"provider_message_id"`
				} `json:"data"`
			}
			if err := api.getJSON(ctx, "/v1/conversations/"+c.ID+"/messages", &msgs); err != nil {
				return nil, err
			}
			for _, m := range msgs.Data {
				if m.Direction == "outbound" && m.ProviderMessageID != "" && numbers[c.ChannelID] != "" {
					sent = append(sent, sentMessage{wamid: m.ProviderMessageID, number: numbers[c.ChannelID], waID: "51987654321"})
				}
			}
		}
		if len(sent) >= 3 || time.Now().After(deadline) {
			return sent, nil
		}
		time.Sleep(300 * time.Millisecond)
	}
}
