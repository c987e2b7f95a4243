package bench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/centralita/centralita/whatsapp"
)

// ingestPost is one webhook POST of a run, rendered before the run starts
// so the generator spends no CPU building bodies while it measures.
type ingestPost struct {
	body     []byte
	delivery int // index into plan.deliveries; -1 for a status delivery
	items    int // messages in the body (0 for statuses)
}

// ingestPlan is a run's posts in schedule order and the unique
// deliveries they carry.
type ingestPlan struct {
	runID      string
	posts      []ingestPost
	deliveries [][]string // the wamids of each unique delivery
	bodies     [][]byte   // and its body, which redeliveries repeat byte for byte
	redelivers int
	statuses   int
}

// sentMessage is an outbound message the server sent, whose statuses
// the run posts (out of order, as Meta does).
type sentMessage struct{ wamid, number, waID string }

// planIngest renders count posts: a share are byte-identical
// redeliveries of a recent delivery, a share status updates for sent
// messages, the rest new deliveries of batch messages each, to the
// numbers in turn, from contacts customers.
func planIngest(o IngestOptions, count int, sent []sentMessage) *ingestPlan {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	p := &ingestPlan{runID: strconv.FormatInt(time.Now().UnixNano(), 36)}
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: demoFakeNumbers()})
	statuses := []string{"sent", "delivered", "read"}
	seq := 0
	for i := range count {
		x := rng.Float64()
		switch {
		case x < o.Statuses && len(sent) > 0:
			m := sent[rng.IntN(len(sent))]
			// Any status, with a timestamp anywhere in the last minute:
			// read may come before delivered, sent after read.
			spec := whatsapp.StatusSpec{WAMID: m.wamid, PhoneNumberID: m.number, RecipientID: m.waID,
				Status: statuses[rng.IntN(len(statuses))], Timestamp: time.Now().Add(-time.Duration(rng.IntN(60)) * time.Second)}
			p.posts = append(p.posts, ingestPost{body: fake.BuildStatusWebhook([]whatsapp.StatusSpec{spec}), delivery: -1})
			p.statuses++
		case x < o.Statuses+o.Redeliveries && len(p.deliveries) > 0:
			// A retry of one of the last 20 deliveries, maybe still in flight.
			d := len(p.deliveries) - 1 - rng.IntN(min(20, len(p.deliveries)))
			p.posts = append(p.posts, ingestPost{body: p.bodies[d], delivery: d, items: len(p.deliveries[d])})
			p.redelivers++
		default:
			number := DemoNumbers[i%len(DemoNumbers)]
			body, wamids := renderDelivery(p.runID, &seq, number, o.Batch, o.Contacts, rng)
			p.deliveries, p.bodies = append(p.deliveries, wamids), append(p.bodies, body)
			p.posts = append(p.posts, ingestPost{body: body, delivery: len(p.deliveries) - 1, items: len(wamids)})
		}
	}
	return p
}

// wamidPrefix marks a run's messages, for counting them afterwards.
func (p *ingestPlan) wamidPrefix() string { return "wamid.bench." + p.runID + "." }

// renderDelivery is one Meta delivery of batch text messages to number,
// each from one of contacts customers, escaped as Meta escapes.
func renderDelivery(runID string, seq *int, number string, batch, contacts int, rng *rand.Rand) ([]byte, []string) {
	var messages, people []any
	var wamids []string
	seen := map[string]bool{}
	for range batch {
		waID := fmt.Sprintf("519%08d", rng.IntN(contacts))
		wamid := fmt.Sprintf("wamid.bench.%s.%d", runID, *seq)
		*seq++
		wamids = append(wamids, wamid)
		messages = append(messages, map[string]any{"from": waID, "id": wamid, "type": "text",
			"timestamp": strconv.FormatInt(time.Now().Unix(), 10),
			"text":      map[string]any{"body": "Hola, ¿me ayudan con mi pedido " + wamid[len(wamid)-4:] + "?"}})
		if !seen[waID] {
			seen[waID] = true
			people = append(people, map[string]any{"profile": map[string]any{"name": "Cliente " + waID[len(waID)-4:]}, "wa_id": waID})
		}
	}
	return deliveryBody(number, messages, people), wamids
}

// renderDeliveryFrom is a delivery of size text messages from the
// customers numbered first, first+1, ... (one message each).
func renderDeliveryFrom(runID string, seq *int, number string, first, size int) ([]byte, []string) {
	var messages, people []any
	var wamids []string
	for c := first; c < first+size; c++ {
		waID := fmt.Sprintf("518%08d", c)
		wamid := fmt.Sprintf("wamid.bench.%s.%d", runID, *seq)
		*seq++
		wamids = append(wamids, wamid)
		messages = append(messages, map[string]any{"from": waID, "id": wamid, "type": "text",
			"timestamp": strconv.FormatInt(time.Now().Unix(), 10), "text": map[string]any{"body": "Hola, necesito ayuda"}})
		people = append(people, map[string]any{"profile": map[string]any{"name": "Cliente " + waID[len(waID)-4:]}, "wa_id": waID})
	}
	return deliveryBody(number, messages, people), wamids
}

// deliveryBody wraps messages in Meta's envelope, escaped as Meta does.
func deliveryBody(number string, messages, people []any) []byte {
	value := map[string]any{"messaging_product": "whatsapp", "contacts": people, "messages": messages,
		"metadata": map[string]string{"display_phone_number": number, "phone_number_id": number}}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "200000000000001", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return whatsapp.MetaEscape(body)
}

// demoFakeNumbers describes the demo's numbers to the payload builders.
func demoFakeNumbers() map[string]whatsapp.FakeNumber {
	numbers := map[string]whatsapp.FakeNumber{}
	for _, n := range DemoNumbers {
		numbers[n] = whatsapp.FakeNumber{WABAID: "200000000000001", DisplayPhoneNumber: n}
	}
	return numbers
}
