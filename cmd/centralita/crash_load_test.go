package main

// The traffic of the crash test, aimed at whichever server is up: customers
// writing through Meta's webhook, agents sending through REST with an
// Idempotency-Key, and Meta's receipts for what it accepted. Like Meta and
// like a careful client, everything not acknowledged is sent again later.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/centralita/centralita/whatsapp"
)

type crashLoad struct {
	pnid     string
	apiKey   string
	waIDs    []string // customers, each with an open conversation
	convIDs  []string
	fake     *whatsapp.FakeGraph
	withheld func(messageID string) bool // receipts Meta never sends
	client   *http.Client

	mu             sync.Mutex
	generate       bool
	deliveries     [][]byte // inbound deliveries, by index
	deliveryWAMIDs []string // every inbound wamid generated
	deliveryQueue  []int    // deliveries to post (new or not acknowledged)
	sends          []crashSend
	sendQueue      []int
	sentIDs        map[string]string // acknowledged idempotency key → message id
	receipted      map[string]bool   // wamids whose receipts were acknowledged
	acked, posted  int
	// New traffic is spread over a few seconds, so that it spans kills.
	nextDelivery, nextSend time.Time
}

type crashSend struct {
	key, convID, text string
}

func newCrashLoad(pnid, apiKey string, waIDs, convIDs []string, fake *whatsapp.FakeGraph, withheld func(string) bool) *crashLoad {
	return &crashLoad{pnid: pnid, apiKey: apiKey, waIDs: waIDs, convIDs: convIDs, fake: fake, withheld: withheld,
		client: &http.Client{Timeout: 5 * time.Second}, generate: true,
		sentIDs: map[string]string{}, receipted: map[string]bool{}}
}

// run drives the server at url until ctx ends.
func (l *crashLoad) run(ctx context.Context, url string) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(2)
		go func() { defer wg.Done(); l.loop(ctx, func() bool { return l.deliverOne(url, i) }) }()
		go func() { defer wg.Done(); l.loop(ctx, func() bool { return l.sendOne(url, i) }) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); l.loop(ctx, func() bool { return l.receiptsOnce(ctx, url) }) }()
	return &wg
}

func (l *crashLoad) loop(ctx context.Context, step func() bool) {
	for ctx.Err() == nil {
		if !step() {
			select { // nothing to do, or the server is down
			case <-ctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}

// deliverOne posts the next inbound delivery: a batch of one to three
// customer texts, sometimes posted twice as Meta does.
func (l *crashLoad) deliverOne(url string, worker int) bool {
	l.mu.Lock()
	if len(l.deliveryQueue) == 0 && l.generate && len(l.deliveries) < 400 && time.Now().After(l.nextDelivery) {
		l.nextDelivery = time.Now().Add(10 * time.Millisecond)
		n := len(l.deliveries)
		var msgs []string
		for j := range 1 + n%3 {
			wamid := fmt.Sprintf("wamid.crash.%d.%d", n, j)
			from := l.waIDs[(n+j)%len(l.waIDs)]
			l.deliveryWAMIDs = append(l.deliveryWAMIDs, wamid)
			msgs = append(msgs, `{"from":"`+from+`","id":"`+wamid+`","timestamp":"`+
				strconv.FormatInt(time.Now().Unix(), 10)+`","type":"text","text":{"body":"mensaje `+wamid+`"}}`)
		}
		l.deliveries = append(l.deliveries, []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"`+
			l.pnid+`"},"messages":[`+strings.Join(msgs, ",")+`]}}]}]}`))
		l.deliveryQueue = append(l.deliveryQueue, n)
	}
	if len(l.deliveryQueue) == 0 {
		l.mu.Unlock()
		return false
	}
	i := l.deliveryQueue[0]
	l.deliveryQueue = l.deliveryQueue[1:]
	body := l.deliveries[i]
	l.mu.Unlock()

	ok := l.postWebhook(url, body)
	if ok && (i+worker)%7 == 0 {
		ok = l.postWebhook(url, body) // Meta's duplicate
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.posted++
	if !ok {
		l.deliveryQueue = append(l.deliveryQueue, i)
		return false
	}
	l.acked++
	return true
}

// sendOne asks for the next outbound message, or again for one whose
// answer was lost (same key: the server must not store it twice).
func (l *crashLoad) sendOne(url string, worker int) bool {
	l.mu.Lock()
	if len(l.sendQueue) == 0 && l.generate && len(l.sends) < 150 && time.Now().After(l.nextSend) {
		l.nextSend = time.Now().Add(25 * time.Millisecond)
		n := len(l.sends)
		l.sends = append(l.sends, crashSend{key: fmt.Sprintf("crash-send-%d", n),
			convID: l.convIDs[(n+worker)%len(l.convIDs)], text: fmt.Sprintf("respuesta %d", n)})
		l.sendQueue = append(l.sendQueue, n)
	}
	if len(l.sendQueue) == 0 {
		l.mu.Unlock()
		return false
	}
	i := l.sendQueue[0]
	l.sendQueue = l.sendQueue[1:]
	s := l.sends[i]
	l.mu.Unlock()

	id, ok := l.postSend(url, s)
	l.mu.Lock()
	defer l.mu.Unlock()
	if !ok {
		l.sendQueue = append(l.sendQueue, i)
		return false
	}
	l.sentIDs[s.key] = id
	return true
}

// receiptsOnce posts Meta's receipts (sent, delivered; shuffled, sometimes
// twice) for every message it accepted and we have not acknowledged yet.
func (l *crashLoad) receiptsOnce(ctx context.Context, url string) bool {
	progressed := false
	for i, m := range l.fake.SentMessages() {
		l.mu.Lock()
		done := l.receipted[m.WAMID]
		l.mu.Unlock()
		if done || l.withheld(m.BizOpaqueCallbackData) {
			continue
		}
		specs := whatsapp.LifecycleSpecs(m, "delivered", 0, time.Now())
		if i%2 == 0 {
			specs[0], specs[1] = specs[1], specs[0]
		}
		if i%3 == 0 {
			specs = append(specs, specs[0])
		}
		status, err := l.fake.EmitStatuses(ctx, url+"/webhooks/whatsapp", specs)
		if err != nil || status != http.StatusOK {
			return progressed
		}
		l.mu.Lock()
		l.receipted[m.WAMID] = true
		l.mu.Unlock()
		progressed = true
	}
	return progressed
}

func (l *crashLoad) postWebhook(url string, body []byte) bool {
	req, _ := http.NewRequest(http.MethodPost, url+"/webhooks/whatsapp", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(body, testAppSecret))
	res, err := l.client.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func (l *crashLoad) postSend(url string, s crashSend) (string, bool) {
	body := []byte(`{"text":"` + s.text + `"}`)
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/conversations/"+s.convID+"/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+l.apiKey)
	req.Header.Set("Idempotency-Key", s.key)
	res, err := l.client.Do(req)
	if err != nil {
		return "", false
	}
	defer res.Body.Close()
	var m struct {
		ID string `json:"id"`
	}
	if res.StatusCode != http.StatusCreated || json.NewDecoder(res.Body).Decode(&m) != nil || m.ID == "" {
		return "", false
	}
	return m.ID, true
}

// settled reports whether every delivery and send was acknowledged, and
// every receipt Meta owes was posted.
func (l *crashLoad) settled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.deliveryQueue) > 0 || len(l.sendQueue) > 0 || len(l.sentIDs) != len(l.sends) {
		return false
	}
	for _, m := range l.fake.SentMessages() {
		if !l.receipted[m.WAMID] && !l.withheld(m.BizOpaqueCallbackData) {
			return false
		}
	}
	return true
}
