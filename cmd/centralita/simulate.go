package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/centralita/centralita/whatsapp"
)

// simulateOptions drive `centralita simulate`: customers writing to one or
// more numbers through Meta's webhook, signed like Meta signs.
type simulateOptions struct {
	url        string
	appSecret  string
	numbers    []string
	count      int // messages, each posted once (plus duplicates)
	batch      int // messages per delivery
	rate       float64
	duplicates float64
	contacts   int
	types      []string // message types, in turn (simulate_types.go)
	// replies, forwards and referrals are shares of the messages that
	// quote, forward or come from an ad (simulate_render.go).
	replies, forwards, referrals float64
	// concurrency is how many deliveries may be in flight at once.
	concurrency int
	// text, when set, is the body of every text message; from, when set,
	// is the one customer (wa_id) who writes. Together they play a
	// conversation step by step: "hola", then "2".
	text, from string
}

const simulateSynopsis = `simulate --url URL --app-secret SECRET --numbers ID[,ID...] [flags]

Posts WhatsApp webhook deliveries to a Centralita server on this machine, signed
and escaped as Meta does, as customers writing to the given phone_number_ids,
and prints one JSON report. Against ` + "`centralita serve --demo`" + `:

  centralita simulate --url http://127.0.0.1:8080/webhooks/whatsapp \
    --app-secret demo-app-secret --numbers 100000000000001,100000000000002

Every message has its own wamid, so the server stores each once however
often it is posted. --batch groups messages into deliveries; --duplicates
posts some deliveries a second time, as Meta retries. The report counts:
  messages    messages posted (--count), by type, and how many were replies,
              forwarded or came from an ad
  deliveries  webhook bodies (messages / --batch, rounded up)
  duplicates  deliveries posted a second time
  posts       deliveries + duplicates: every POST, answered (statuses) or
              not (errors)

It exits non-zero, after the report, when any post was not answered 200.`

func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("simulate", simulateSynopsis)
	var o simulateOptions
	var numbers string
	fs.StringVar(&o.url, "url", "", "the server's webhook URL, e.g. http://127.0.0.1:8080/webhooks/whatsapp")
	fs.StringVar(&o.appSecret, "app-secret", "", "the app secret the server checks signatures with")
	fs.StringVar(&numbers, "numbers", "", "comma-separated phone_number_ids the customers write to, in turn")
	fs.IntVar(&o.count, "count", 20, "how many messages to post (each stored once; duplicates come on top)")
	fs.IntVar(&o.batch, "batch", 1, "messages per delivery (Meta batches up to 1000)")
	fs.Float64Var(&o.rate, "rate", 10, "deliveries started per second (a duplicate follows its original at once)")
	fs.Float64Var(&o.duplicates, "duplicates", 0.2, "share of deliveries posted twice, as Meta's retries do")
	fs.IntVar(&o.contacts, "contacts", 5, "how many distinct customers write (up to "+strconv.Itoa(len(simulatedCustomers))+")")
	fs.IntVar(&o.concurrency, "concurrency", 4, "deliveries in flight at once (1-256)")
	types := fs.String("types", "text", "message types sent in turn, comma-separated, or all: "+strings.Join(simulatedTypes, ", ")+
		".\nMedia types name the demo's sample files. system is user_changed_number: the customer writes\n"+
		"from the new number for the rest of the run, and keeps it on the server")
	fs.Float64Var(&o.replies, "replies", 0.1, "share of messages that reply to (quote) the customer's previous message")
	fs.Float64Var(&o.forwards, "forwards", 0.05, "share of messages marked forwarded")
	fs.Float64Var(&o.referrals, "referrals", 0.05, "share of messages that come from a Click-to-WhatsApp ad (a referral)")
	fs.StringVar(&o.text, "text", "", "the body of every text message (default: sample texts in turn)")
	fs.StringVar(&o.from, "from", "", "the one customer who writes, by wa_id (default: --contacts sample customers)")
	if helped, err := parseFlags(fs, args, stdout, stderr); helped || err != nil {
		return err
	}
	parsed, err := parseSimulatedTypes(*types)
	if err != nil {
		return err
	}
	o.types = parsed
	for _, n := range strings.Split(numbers, ",") {
		if n = strings.TrimSpace(n); n != "" {
			o.numbers = append(o.numbers, n)
		}
	}
	if o.from != "" {
		o.contacts = 1 // one customer: theirs is the only wa_id
	}
	if err := o.validate(); err != nil {
		return err
	}
	report, err := simulate(ctx, o)
	if report.Posts > 0 {
		// Even when interrupted or failed: what was posted is worth knowing.
		if err := json.NewEncoder(stdout).Encode(report); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	return report.failure()
}

// failure says why a run is a failure: some post was not answered 200 (a
// refused signature, a server error, no answer at all). The exit status
// then tells scripts and CI, without them reading the report.
func (r simulateReport) failure() error {
	failed := r.Posts - r.Statuses["200"]
	if failed == 0 {
		return nil
	}
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(r.Statuses)) {
		if status != "200" {
			parts = append(parts, fmt.Sprintf("%d answered %s", r.Statuses[status], status))
		}
	}
	if r.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d got no answer (is the server running at --url?)", r.Errors))
	}
	hint := ""
	if r.Statuses["401"] > 0 {
		hint = "; 401 means the signature was refused: --app-secret must be the server's WHATSAPP_APP_SECRET or the number's own app secret"
	}
	return fmt.Errorf("simulate: %d of %d posts were not answered 200: %s%s", failed, r.Posts, strings.Join(parts, ", "), hint)
}

func (o simulateOptions) validate() error {
	share := func(v float64) bool { return v >= 0 && v <= 1 }
	switch {
	case o.url == "" || o.appSecret == "" || len(o.numbers) == 0:
		return fmt.Errorf("simulate needs --url, --app-secret and --numbers (see centralita help simulate)")
	case !strings.HasPrefix(o.url, "http://127.") && !strings.HasPrefix(o.url, "http://localhost") && !strings.HasPrefix(o.url, "http://[::1]"):
		return fmt.Errorf("simulate only targets a server on this machine (http://127.x, localhost or [::1])")
	case o.count < 1 || o.batch < 1 || o.batch > 1000 || !(o.rate > 0) || o.concurrency < 1 || o.concurrency > 256:
		return fmt.Errorf("simulate: --count and --rate must be positive, --batch within 1-1000 and --concurrency within 1-256")
	case o.from != "" && (len(o.from) < 6 || len(o.from) > 20 || strings.Trim(o.from, "0123456789") != ""):
		return fmt.Errorf("simulate: --from must be a wa_id: 6 to 20 digits, country code first, no +")
	case len(o.text) > 4096:
		return fmt.Errorf("simulate: --text must have at most 4096 characters")
	case o.contacts < 1 || o.contacts > len(simulatedCustomers):
		return fmt.Errorf("simulate: --contacts must be within 1-%d", len(simulatedCustomers))
	case !share(o.duplicates) || !share(o.replies) || !share(o.forwards) || !share(o.referrals) ||
		o.replies+o.forwards+o.referrals > 1:
		return fmt.Errorf("simulate: --duplicates, --replies, --forwards and --referrals are shares within 0-1, " +
			"and a message is at most one of a reply, forwarded or from an ad, so those three add up to 1 at most")
	}
	return nil
}

// simulateReport is what a run posted and what the server answered. Types
// add up to Messages; Deliveries + Duplicates = Posts = the statuses + Errors.
type simulateReport struct {
	Messages int            `json:"messages"`
	Types    map[string]int `json:"types"`
	// Replies, Forwarded and Referrals count messages among Messages.
	Replies    int `json:"replies"`
	Forwarded  int `json:"forwarded"`
	Referrals  int `json:"referrals"`
	Deliveries int `json:"deliveries"`
	Duplicates int `json:"duplicates"`
	Posts      int `json:"posts"`
	// Statuses counts answers to posts by HTTP status.
	Statuses map[string]int `json:"statuses"`
	// Errors counts posts that got no answer (refused, reset, timed out).
	Errors int `json:"errors"`
	// PostsPerSecond is the rate actually achieved, duplicates included.
	PostsPerSecond float64 `json:"posts_per_s"`
	P50Millis      float64 `json:"p50_ms"`
	P95Millis      float64 `json:"p95_ms"`
	P99Millis      float64 `json:"p99_ms"`
}

// simulate posts o.count messages in deliveries of o.batch from
// o.concurrency workers, started at o.rate per second overall. A duplicate
// is posted right after its original by the same worker, as Meta's retry
// of an answer it did not see. A delivery with a number change is posted
// on its own, after every delivery before it and before any after it, so
// the customer's messages from the new number find the moved contact.
// Replies and reactions only refer to messages the server has accepted.
func simulate(ctx context.Context, o simulateOptions) (simulateReport, error) {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency}}
	pace := rate.NewLimiter(rate.Limit(o.rate), 1)
	run := newSimulation(o)
	var (
		mu        sync.Mutex
		report    = simulateReport{Types: map[string]int{}, Statuses: map[string]int{}}
		latencies []time.Duration
	)
	post := func(d simulatedDelivery) {
		start := time.Now()
		status, err := simulatePost(ctx, client, o, d.body)
		if status == http.StatusOK {
			run.answer(d.index)
		}
		mu.Lock()
		defer mu.Unlock()
		report.Posts++
		if err != nil {
			report.Errors++
			return
		}
		latencies = append(latencies, time.Since(start))
		report.Statuses[strconv.Itoa(status)]++
	}
	deliver := func(d simulatedDelivery) {
		post(d)
		if d.duplicate {
			post(d)
		}
	}
	next := make(chan simulatedDelivery)
	var workers, inFlight sync.WaitGroup
	for range o.concurrency {
		workers.Go(func() {
			for d := range next {
				deliver(d)
				inFlight.Done()
			}
		})
	}
	began := time.Now()
	var err error
	for i := 0; run.posted < o.count; i++ {
		if err = pace.Wait(ctx); err != nil {
			break
		}
		d := run.delivery(i, min(o.batch, o.count-run.posted))
		if d.movesNumber {
			inFlight.Wait()
			deliver(d)
			continue
		}
		inFlight.Add(1)
		next <- d
	}
	close(next)
	workers.Wait()
	elapsed := time.Since(began)

	run.count(&report)
	if elapsed > 0 {
		report.PostsPerSecond = math.Round(float64(report.Posts)/elapsed.Seconds()*10) / 10
	}
	if len(latencies) > 0 {
		slices.Sort(latencies)
		pct := func(p float64) float64 {
			return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
		}
		report.P50Millis, report.P95Millis, report.P99Millis = pct(0.50), pct(0.95), pct(0.99)
	}
	return report, err
}

// simulatePost sends one signed delivery and returns the answer's status.
func simulatePost(ctx context.Context, client *http.Client, o simulateOptions, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(body, o.appSecret))
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}
