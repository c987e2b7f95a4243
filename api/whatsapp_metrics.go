package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// webhookMetrics counts what Meta's webhook deliveries became. Labels are
// closed sets: never a number, a workspace or an id.
type webhookMetrics struct {
	inFlight      prometheus.Gauge
	deliveries    *prometheus.CounterVec // outcome
	verifications *prometheus.CounterVec // outcome
	items         *prometheus.CounterVec // kind, outcome
	deadLetters   *prometheus.CounterVec // reason
}

// Delivery outcomes, one per POST /webhooks/whatsapp.
const (
	deliveryApplied      = "applied"       // something new was written
	deliveryDuplicate    = "duplicate"     // only redeliveries of what was stored
	deliveryIgnored      = "ignored"       // nothing to write: unknown number, account-level field
	deliveryDeadLettered = "dead_lettered" // a body or items kept in webhook_dead_letters
	deliveryQuarantined  = "quarantined"   // a change for another WABA than its number's
	deliveryRefused      = "refused_signature"
	deliveryTooLarge     = "too_large"
	deliveryUnreadable   = "unreadable"
	deliveryUnavailable  = "unavailable"
	deliveryFailed       = "failed"
	deliveryOverloaded   = "overloaded"    // refused with 503: too many deliveries in flight
	deliveryClientClosed = "client_closed" // the sender gave up before the answer
)

// Item outcomes, one per message, receipt or user id update of a delivery.
const (
	itemApplied      = "applied"
	itemDuplicate    = "duplicate"
	itemDeadLettered = "dead_lettered"
)

// Dead-letter reasons, one per row written (or rewritten by a redelivery).
const (
	deadLetterUnparseable    = "unparseable"     // a signed body that could not be parsed
	deadLetterMalformedItems = "malformed_items" // a delivery with items that could not be understood
	deadLetterQuarantined    = "quarantined"     // only changes for another WABA
	deadLetterRefusedItem    = "refused_item"    // an item the domain refused
)

func newWebhookMetrics(reg prometheus.Registerer) *webhookMetrics {
	m := &webhookMetrics{
		deliveries: registerOnce(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_whatsapp_webhook_deliveries_total",
			Help: "POST /webhooks/whatsapp deliveries by outcome.",
		}, []string{"outcome"})),
		inFlight: registerOnce(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "centralita_whatsapp_webhook_in_flight",
			Help: "POST /webhooks/whatsapp deliveries being worked on now (bounded by CENTRALITA_WEBHOOK_MAX_IN_FLIGHT).",
		})),
		verifications: registerOnce(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_whatsapp_webhook_verifications_total",
			Help: "GET /webhooks/whatsapp subscription handshakes by outcome (accepted, refused).",
		}, []string{"outcome"})),
		items: registerOnce(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_whatsapp_webhook_items_total",
			Help: "Messages, receipts and user id updates of accepted deliveries by kind and outcome.",
		}, []string{"kind", "outcome"})),
		deadLetters: registerOnce(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_whatsapp_dead_letters_total",
			Help: "Bodies and items kept in webhook_dead_letters, by reason.",
		}, []string{"reason"})),
	}
	// Every series exists from the start, so rates and alerts see zeros.
	for _, o := range []string{deliveryApplied, deliveryDuplicate, deliveryIgnored, deliveryDeadLettered,
		deliveryQuarantined, deliveryRefused, deliveryTooLarge, deliveryUnreadable, deliveryUnavailable, deliveryFailed,
		deliveryOverloaded, deliveryClientClosed} {
		m.deliveries.WithLabelValues(o)
	}
	m.verifications.WithLabelValues("accepted")
	m.verifications.WithLabelValues("refused")
	for _, k := range []string{"message", "status", "user_id_update"} {
		for _, o := range []string{itemApplied, itemDuplicate, itemDeadLettered} {
			m.items.WithLabelValues(k, o)
		}
	}
	for _, r := range []string{deadLetterUnparseable, deadLetterMalformedItems, deadLetterQuarantined, deadLetterRefusedItem} {
		m.deadLetters.WithLabelValues(r)
	}
	return m
}

// deliveryTally is what one delivery did, gathered while it is handled.
type deliveryTally struct {
	applied, duplicates       int
	deadLettered, quarantined bool
	overloaded                bool
}

const tallyKey = "centralita.webhook_tally"

// countDelivery wraps the webhook, the body limit included, and counts the
// delivery's outcome once it is answered.
func (m *webhookMetrics) countDelivery(c *gin.Context) {
	t := &deliveryTally{}
	c.Set(tallyKey, t)
	c.Next()
	m.deliveries.WithLabelValues(t.outcome(c.Writer.Status())).Inc()
}

// tallyOf is the delivery's tally (a throwaway one outside countDelivery).
func tallyOf(c *gin.Context) *deliveryTally {
	if v, ok := c.Get(tallyKey); ok {
		if t, ok := v.(*deliveryTally); ok {
			return t
		}
	}
	return &deliveryTally{}
}

// outcome names an answered delivery: by its status when refused, else by
// the most telling thing it did (quarantine, then dead letters, then new
// items, then redeliveries).
func (t *deliveryTally) outcome(status int) string {
	switch status {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return deliveryRefused
	case http.StatusRequestEntityTooLarge:
		return deliveryTooLarge
	case http.StatusBadRequest:
		return deliveryUnreadable
	case http.StatusServiceUnavailable:
		if t.overloaded {
			return deliveryOverloaded
		}
		return deliveryUnavailable
	case StatusClientClosedRequest:
		return deliveryClientClosed
	default:
		return deliveryFailed
	}
	switch {
	case t.quarantined:
		return deliveryQuarantined
	case t.deadLettered:
		return deliveryDeadLettered
	case t.applied > 0:
		return deliveryApplied
	case t.duplicates > 0:
		return deliveryDuplicate
	}
	return deliveryIgnored
}

// item counts one item of an accepted delivery.
func (m *webhookMetrics) item(c *gin.Context, kind, outcome string) {
	m.items.WithLabelValues(kind, outcome).Inc()
	t := tallyOf(c)
	switch outcome {
	case itemApplied:
		t.applied++
	case itemDuplicate:
		t.duplicates++
	case itemDeadLettered:
		t.deadLettered = true
	}
}

// deadLetter counts one dead letter written.
func (m *webhookMetrics) deadLetter(c *gin.Context, reason string) {
	m.deadLetters.WithLabelValues(reason).Inc()
	tallyOf(c).deadLettered = true
}
