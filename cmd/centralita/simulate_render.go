package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/centralita/centralita/whatsapp"
)

// simulatedCustomer is one person writing: the wa_id they start from and
// the name WhatsApp shows for them. The first six are the contacts
// `serve --demo` seeds, so their messages join the demo's conversations.
type simulatedCustomer struct{ waID, name string }

var simulatedCustomers = []simulatedCustomer{
	{"51987654321", "Carla Rojas"}, {"5215512345678", "Jorge Méndez"}, {"5491123456789", "Valentina Díaz"},
	{"5511987654321", "Pedro Alves"}, {"573001234567", "Lucía Torres"}, {"56987654321", "Diego Fernández"},
	{"593991234567", "Daniela Mora"}, {"50688881234", "Andrés Vargas"},
}

// simulatedAd is the Click-to-WhatsApp ad referrals come from, shaped like
// Meta's (fixtures/whatsapp/inbound_text_ctwa_referral.json).
var simulatedAd = map[string]any{"source_url": "https://fb.me/centralita-demo", "source_id": "120226305854810726",
	"source_type": "ad", "headline": "Escríbenos por WhatsApp", "body": "Fibra 300 Mbps a S/ 89.90 al mes",
	"media_type": "image", "image_url": "https://scontent.xx.fbcdn.net/v/t45.1600-4/centralita-demo.jpg",
	"welcome_message": map[string]any{"text": "¡Hola! Cuéntanos en qué te ayudamos."}}

// simulatedAdText is what the ad's button writes for the customer.
const simulatedAdText = "Hola, vi su anuncio de fibra 300 y quiero más información"

// simulation renders a run's deliveries in order, from one goroutine. It
// keeps each customer's current wa_id (a number change moves it for the
// rest of the run) and their latest message on each number, which replies
// quote and reactions target, and counts what it rendered.
type simulation struct {
	o      simulateOptions
	runID  int64 // keeps wamids unique across runs
	posted int   // messages rendered so far
	waIDs  []string
	moves  []int
	latest map[simulatedThread]simulatedQuote
	// answered holds the deliveries the server accepted (200), whose
	// messages it has stored: only those are quoted, so a reply or a
	// reaction always finds its message, however many are in flight.
	answered struct {
		sync.Mutex
		deliveries map[int]bool
	}

	deliveries, duplicates, replies, forwarded, referrals int
	types                                                 map[string]int
}

// simulatedThread is a customer (by index) writing to a number.
type simulatedThread struct {
	number   string
	customer int
}

// simulatedQuote is a message replies and reactions can refer to.
type simulatedQuote struct {
	id, from string
	delivery int
}

// simulatedDelivery is one webhook body, ready to post.
type simulatedDelivery struct {
	index     int
	body      []byte
	duplicate bool // post it twice
	// movesNumber: it holds a number change, which must reach the server
	// after the customer's earlier messages and before their later ones.
	movesNumber bool
}

func newSimulation(o simulateOptions) *simulation {
	s := &simulation{o: o, runID: time.Now().UnixNano(), moves: make([]int, o.contacts),
		latest: map[simulatedThread]simulatedQuote{}, types: map[string]int{}}
	s.answered.deliveries = map[int]bool{}
	for _, c := range simulatedCustomers[:o.contacts] {
		s.waIDs = append(s.waIDs, c.waID)
	}
	if o.from != "" {
		s.waIDs = []string{o.from}
	}
	return s
}

// spread places item n in [0, 1) along the golden-ratio sequence: the
// items with spread below a share s are about that share of any run, even
// a short one, and a run with the same flags makes the same choices.
func spread(n int, offset float64) float64 {
	_, f := math.Modf(float64(n)*0.6180339887498949 + offset)
	return f
}

// delivery renders the i-th delivery: the next size messages, to one
// number, Meta-escaped (\/ and \uXXXX) as Meta signs it.
func (s *simulation) delivery(i, size int) simulatedDelivery {
	number := s.o.numbers[i%len(s.o.numbers)]
	d := simulatedDelivery{index: i, duplicate: spread(i, 0.5) < s.o.duplicates}
	var messages, contacts []any
	var named []string
	for range size {
		msg, c, moved := s.message(i, number)
		messages = append(messages, msg)
		d.movesNumber = d.movesNumber || moved
		if from := msg["from"].(string); !moved && !slices.Contains(named, from) {
			named = append(named, from)
			contacts = append(contacts, map[string]any{"profile": map[string]any{"name": simulatedCustomers[c].name}, "wa_id": from})
		}
	}
	value := map[string]any{"messaging_product": "whatsapp", "messages": messages,
		"metadata": map[string]string{"display_phone_number": number, "phone_number_id": number}}
	if len(contacts) > 0 {
		value["contacts"] = contacts
	}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "200000000000001", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	s.deliveries++
	if d.duplicate {
		s.duplicates++
	}
	d.body = whatsapp.MetaEscape(body)
	return d
}

// message renders the run's next message to number and says which
// customer sent it and whether it moved them to a new number.
func (s *simulation) message(delivery int, number string) (msg map[string]any, customer int, moved bool) {
	n := s.posted
	s.posted++
	customer = n % s.o.contacts
	thread := simulatedThread{number, customer}
	m := simulatedMessage{n: n, kind: s.o.types[n%len(s.o.types)], from: s.waIDs[customer],
		id: fmt.Sprintf("wamid.sim.%d.%d", s.runID, n), timestamp: strconv.FormatInt(time.Now().Unix(), 10),
		business: number, name: simulatedCustomers[customer].name, target: "wamid.sim.earlier", text: s.o.text}
	s.types[m.kind]++
	quote, quotable := s.latest[thread]
	quotable = quotable && (quote.delivery == delivery || s.wasAnswered(quote.delivery))
	switch m.kind {
	case "reaction":
		if quotable {
			m.target = quote.id
		}
	case "system":
		m.newWaID = s.move(customer)
		moved = true
	}
	msg = m.render()
	if !slices.Contains(simulatedContentTypes, m.kind) {
		return msg, customer, moved
	}
	// At most one of: a reply, forwarded, from an ad (spread picks which).
	replies, forwards := s.o.replies, s.o.replies+s.o.forwards
	switch u := spread(n, 0); {
	case u < replies:
		if quotable {
			msg["context"] = map[string]any{"from": quote.from, "id": quote.id}
			s.replies++
		}
	case u < forwards:
		// Forwarded many times is the same to the inbox; both are sent.
		flag := []string{"forwarded", "frequently_forwarded"}[s.forwarded%2]
		msg["context"] = map[string]any{flag: true}
		s.forwarded++
	case u < forwards+s.o.referrals:
		msg["referral"] = withClickID(simulatedAd, fmt.Sprintf("Afc-sim-%d-%d", s.runID, n))
		if m.kind == "text" {
			msg["text"] = map[string]any{"body": simulatedAdText}
		}
		s.referrals++
	}
	s.latest[thread] = simulatedQuote{id: m.id, from: m.from, delivery: delivery}
	return msg, customer, moved
}

// answer records that the server accepted a delivery.
func (s *simulation) answer(delivery int) {
	s.answered.Lock()
	defer s.answered.Unlock()
	s.answered.deliveries[delivery] = true
}

func (s *simulation) wasAnswered(delivery int) bool {
	s.answered.Lock()
	defer s.answered.Unlock()
	return s.answered.deliveries[delivery]
}

// move gives a customer their next number: the same country and operator
// prefix with other last four digits. Numbers are the same in every run,
// so a later run's change lands on the number an earlier one moved to.
func (s *simulation) move(customer int) string {
	s.moves[customer]++
	start := simulatedCustomers[customer].waID
	last4, _ := strconv.Atoi(start[len(start)-4:])
	s.waIDs[customer] = fmt.Sprintf("%s%04d", start[:len(start)-4], (last4+1111*s.moves[customer])%10000)
	return s.waIDs[customer]
}

func withClickID(ad map[string]any, clickID string) map[string]any {
	out := map[string]any{"ctwa_clid": clickID}
	maps.Copy(out, ad)
	return out
}

// count copies what was rendered into the report.
func (s *simulation) count(r *simulateReport) {
	r.Messages, r.Deliveries, r.Duplicates = s.posted, s.deliveries, s.duplicates
	r.Replies, r.Forwarded, r.Referrals = s.replies, s.forwarded, s.referrals
	maps.Copy(r.Types, s.types)
}
