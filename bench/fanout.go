package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// FanoutOptions drive the fanout scenario.
type FanoutOptions struct {
	Subscribers int
}

// FanoutFigures are the fanout scenario's own figures.
type FanoutFigures struct {
	Subscribers int `json:"subscribers"`
	// Expected is subscribers × messages posted; Delivered how many of
	// those reached a subscriber; Dropped subscriptions the server ended
	// for falling behind.
	Expected  int `json:"expected"`
	Delivered int `json:"delivered"`
	Dropped   int `json:"dropped"`
	// RSS of the server with its subscribers connected and idle, and the
	// growth per subscriber over the server before they connected.
	IdleRSSMB           float64 `json:"idle_rss_mb"`
	RSSPerSubscriberKiB float64 `json:"rss_per_subscriber_kib"`
}

const fanoutQuery = `{"query":"subscription { messageAdded { providerMessageId } }"}`

// fanoutSubscriber is one socket subscribed to messageAdded, recording
// when each wamid arrived.
type fanoutSubscriber struct {
	mu      sync.Mutex
	arrived map[string]time.Time
	dropped bool
}

// fanout connects --subscribers sockets subscribed to the whole inbox,
// then has customers write at --rate through the webhook; the latency of
// a message is from its post to its arrival at each subscriber.
func (o Options) fanout(ctx context.Context, t *Target) ([]Result, error) {
	n := o.Fanout.Subscribers
	before, _ := statusKB(t.PID, "VmRSS:")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	subs := make([]*fanoutSubscriber, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 50)
	for i := range subs {
		subs[i] = &fanoutSubscriber{arrived: map[string]time.Time{}}
		sem <- struct{}{}
		go func(s *fanoutSubscriber) {
			defer func() { <-sem }()
			errs <- s.run(ctx, t.URL)
		}(subs[i])
	}
	for range n {
		if err := <-errs; err != nil {
			return nil, err
		}
	}
	// Warm-up messages, one every half second, tell when every
	// subscription is registered (a subscribe message has no answer).
	client := newClient(64)
	runID := fmt.Sprintf("fanout%d", rand.Int())
	seq := 0
	if err := warmUp(ctx, client, t.URL, subs, runID, &seq); err != nil {
		return nil, err
	}
	idle, _ := statusKB(t.PID, "VmRSS:")
	count := max(1, int(o.Rate*o.Duration.Seconds()))
	posted := make([]struct {
		wamid string
		at    time.Time
	}, count)
	load := Load{Rate: o.Rate, Count: count, Timeout: o.Timeout, Do: func(ctx context.Context, i int) Outcome {
		mu.Lock()
		body, ids := renderDeliveryFrom(runID, &seq, DemoNumbers[0], 1+i%500, 1)
		mu.Unlock()
		posted[i].wamid, posted[i].at = ids[0], time.Now()
		status, err := postSigned(ctx, client, t.URL+"/webhooks/whatsapp", body)
		return outcome(status, nil, err, false)
	}}
	watch := watchProcess(t.PID)
	samples, wall := load.Run(ctx)
	usage := watch.done()
	time.Sleep(2 * time.Second) // stragglers
	r := Result{Scenario: "fanout", Variant: fmt.Sprintf("%d subscribers", n), Database: t.Database(), Rate: o.Rate}
	summarize(&r, samples, wall, nil)
	r.Server = usage
	fig := &FanoutFigures{Subscribers: n, Expected: n * count, IdleRSSMB: round(idle/1024, 1),
		RSSPerSubscriberKiB: round((idle-before)/float64(n), 1)}
	var lat []time.Duration
	for _, s := range subs {
		s.mu.Lock()
		for _, p := range posted {
			if at, ok := s.arrived[p.wamid]; ok && p.wamid != "" {
				fig.Delivered++
				lat = append(lat, at.Sub(p.at))
			}
		}
		if s.dropped {
			fig.Dropped++
		}
		s.mu.Unlock()
	}
	slices.Sort(lat)
	// Latency is the fan-out's: post to arrival, over every delivery.
	r.Latency = Latency{P50: pct(lat, 0.50), P95: pct(lat, 0.95), P99: pct(lat, 0.99), Max: pct(lat, 1)}
	r.Fanout = fig
	return []Result{r}, nil
}

var mu sync.Mutex // guards the delivery sequence across Do calls

// warmUp posts a message every half second until every subscriber has
// received one of them.
func warmUp(ctx context.Context, client *http.Client, base string, subs []*fanoutSubscriber, runID string, seq *int) error {
	var warm []string
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		body, wamids := renderDeliveryFrom(runID, seq, DemoNumbers[0], 0, 1)
		if status, err := postSigned(ctx, client, base+"/webhooks/whatsapp", body); err != nil || status != http.StatusOK {
			return fmt.Errorf("bench: fanout warm-up answered %d (%v)", status, err)
		}
		warm = append(warm, wamids...)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		missing := 0
		for _, s := range subs {
			s.mu.Lock()
			if !slices.ContainsFunc(warm, func(w string) bool { _, ok := s.arrived[w]; return ok }) {
				missing++
			}
			s.mu.Unlock()
		}
		if missing == 0 {
			return nil
		}
	}
	return fmt.Errorf("bench: not every subscriber received a warm-up message")
}

// run connects and subscribes, returns once subscribed, and keeps reading
// in the background until ctx ends.
func (s *fanoutSubscriber) run(ctx context.Context, base string) error {
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return fmt.Errorf("bench: fanout dial: %w", err)
	}
	write := func(m string) error { return conn.Write(ctx, websocket.MessageText, []byte(m)) }
	if err := write(`{"type":"connection_init","payload":{"Authorization":"Bearer ` + DemoAPIKey + `"}}`); err != nil {
		return err
	}
	if err := write(`{"id":"1","type":"subscribe","payload":` + fanoutQuery + `}`); err != nil {
		return err
	}
	go func() {
		defer conn.CloseNow()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var m struct {
				Type    string `json:"type"`
				Payload struct {
					Data struct {
						MessageAdded struct {
							ProviderMessageID string `json:"providerMessageId"`
						} `json:"messageAdded"`
					} `json:"data"`
				} `json:"payload"`
			}
			if json.Unmarshal(data, &m) != nil {
				continue
			}
			switch m.Type {
			case "ping":
				_ = write(`{"type":"pong"}`)
			case "next":
				s.mu.Lock()
				s.arrived[m.Payload.Data.MessageAdded.ProviderMessageID] = time.Now()
				s.mu.Unlock()
			case "error":
				s.mu.Lock()
				s.dropped = true
				s.mu.Unlock()
			}
		}
	}()
	return nil
}
