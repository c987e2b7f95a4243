package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
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
	count      int
	rate       float64
	batch      int
	duplicates float64
	contacts   int
	types      []string // message types, in turn (simulate_types.go)
	// concurrency is how many deliveries may be in flight at once.
	concurrency int
}

var simulatedTexts = []string{
	"Hola, quiero información sobre los planes", "¿Tienen envío a Monterrey?", "Necesito la factura de octubre",
	"No puedo ingresar a mi cuenta", "¿Cuál es el horario de atención?", "Quiero hablar con un asesor 🙏",
	"El pedido llegó incompleto", "¿Aceptan pago con tarjeta?",
}

// simulatedContacts are wa_ids in the forms WhatsApp uses across the region.
var simulatedContacts = []string{"51987654321", "5215512345678", "5491123456789", "5511987654321",
	"573001234567", "56912345678", "593991234567", "50688881234"}

func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("simulate", "simulate --url URL --app-secret SECRET --numbers ID[,ID...] [flags]\n\n"+
		"Posts signed WhatsApp webhook deliveries to a server on this machine and prints one JSON report.")
	var o simulateOptions
	var numbers string
	fs.StringVar(&o.url, "url", "", "the server's webhook URL, e.g. http://127.0.0.1:8080/webhooks/whatsapp")
	fs.StringVar(&o.appSecret, "app-secret", "", "the app secret the server checks signatures with")
	fs.StringVar(&numbers, "numbers", "", "comma-separated phone_number_ids to write to")
	fs.IntVar(&o.count, "count", 20, "how many deliveries to post")
	fs.Float64Var(&o.rate, "rate", 10, "deliveries per second")
	fs.IntVar(&o.batch, "batch", 1, "messages per delivery (Meta batches up to 1000)")
	fs.Float64Var(&o.duplicates, "duplicates", 0.2, "share of deliveries posted twice, as Meta's retries do")
	fs.IntVar(&o.contacts, "contacts", 5, "how many distinct customers write")
	fs.IntVar(&o.concurrency, "concurrency", 4, "deliveries in flight at once")
	types := fs.String("types", "text", "comma-separated message types sent in turn: "+strings.Join(simulatedTypes, ", ")+
		" (media names the demo's sample files)")
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
	switch {
	case o.url == "" || o.appSecret == "" || len(o.numbers) == 0:
		return fmt.Errorf("simulate needs --url, --app-secret and --numbers")
	case !strings.HasPrefix(o.url, "http://127.") && !strings.HasPrefix(o.url, "http://localhost") && !strings.HasPrefix(o.url, "http://[::1]"):
		return fmt.Errorf("simulate only targets a server on this machine (http://127.x, localhost or [::1])")
	case o.count < 1 || o.batch < 1 || o.batch > 1000 || o.rate <= 0 || o.contacts < 1 || o.duplicates < 0 ||
		o.duplicates > 1 || o.concurrency < 1 || o.concurrency > 256:
		return fmt.Errorf("simulate: count, batch (1-1000), rate, contacts, concurrency (1-256) must be positive and duplicates within 0-1")
	}
	report, err := simulate(ctx, o)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(report)
}

type simulateReport struct {
	Deliveries int            `json:"deliveries"`
	Messages   int            `json:"messages"`
	Duplicates int            `json:"duplicates"`
	Statuses   map[string]int `json:"statuses"`
	// Errors counts posts that got no answer (refused, reset, timed out).
	Errors int `json:"errors"`
	// RatePerSecond is the deliveries per second actually achieved.
	RatePerSecond float64 `json:"rate_per_s"`
	P50Millis     float64 `json:"p50_ms"`
	P95Millis     float64 `json:"p95_ms"`
	P99Millis     float64 `json:"p99_ms"`
}

// simulate posts o.count deliveries (and their duplicates) from
// o.concurrency workers, started at o.rate per second overall. A duplicate
// is posted right after its original by the same worker, as Meta's retry
// of an answer it did not see.
func simulate(ctx context.Context, o simulateOptions) (simulateReport, error) {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency}}
	pace := rate.NewLimiter(rate.Limit(o.rate), 1)
	var (
		mu        sync.Mutex
		report    = simulateReport{Statuses: map[string]int{}}
		latencies []time.Duration
	)
	post := func(body []byte) {
		start := time.Now()
		status, err := simulatePost(ctx, client, o, body)
		mu.Lock()
		defer mu.Unlock()
		report.Deliveries++
		if err != nil {
			report.Errors++
			return
		}
		latencies = append(latencies, time.Since(start))
		report.Statuses[strconv.Itoa(status)]++
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body := simulatedDelivery(o, i)
				post(body)
				if rand.Float64() < o.duplicates {
					mu.Lock()
					report.Duplicates++
					mu.Unlock()
					post(body)
				}
			}
		}()
	}
	began := time.Now()
	var err error
	for i := range o.count {
		if err = pace.Wait(ctx); err != nil {
			break
		}
		next <- i
		report.Messages += o.batch
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(began)
	if elapsed > 0 {
		report.RatePerSecond = math.Round(float64(report.Deliveries)/elapsed.Seconds()*10) / 10
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

// simulatedDelivery renders one Meta delivery: batch messages to one
// number, Meta-escaped (\/ and \uXXXX) as Meta signs it.
func simulatedDelivery(o simulateOptions, i int) []byte {
	type text struct {
		Body string `json:"body"`
	}
	type message struct {
		From      string `json:"from"`
		ID        string `json:"id"`
		Timestamp string `json:"timestamp"`
		Type      string `json:"type"`
		Text      text   `json:"text"`
	}
	type profile struct {
		Name string `json:"name"`
	}
	type contact struct {
		Profile profile `json:"profile"`
		WaID    string  `json:"wa_id"`
	}
	number := o.numbers[i%len(o.numbers)]
	var msgs []any
	var contacts []contact
	for j := range o.batch {
		from := simulatedContacts[(i*o.batch+j)%min(o.contacts, len(simulatedContacts))]
		id, ts := fmt.Sprintf("wamid.sim.%d.%d.%d", time.Now().UnixNano(), i, j), strconv.FormatInt(time.Now().Unix(), 10)
		if typed := simulatedTypedMessage(o.types, i*o.batch+j, from, id, ts); typed != nil {
			msgs = append(msgs, typed)
		} else {
			msgs = append(msgs, message{From: from, ID: id, Timestamp: ts, Type: "text",
				Text: text{Body: simulatedTexts[rand.IntN(len(simulatedTexts))]}})
		}
		contacts = append(contacts, contact{Profile: profile{Name: "Cliente " + from[len(from)-4:]}, WaID: from})
	}
	delivery := map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "200000000000001", "changes": []any{map[string]any{"field": "messages", "value": map[string]any{
			"messaging_product": "whatsapp",
			"metadata":          map[string]string{"display_phone_number": number, "phone_number_id": number},
			"contacts":          contacts, "messages": msgs}}}}}}
	compact, _ := json.Marshal(delivery)
	return whatsapp.MetaEscape(compact)
}
