package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// pairPacedApp talks to a fake Graph API that enforces Meta's pair limit
// (one message per interval after a burst of two; Meta's is 6 s and 45)
// and paces its own sends the same way. It has conversations with Ana
// (16505551234) and Beto (5491122334455) on one number.
func pairPacedApp(t *testing.T, interval time.Duration) (a *testApp, tn tenant, fake *whatsapp.FakeGraph, ana, beto *domain.Conversation) {
	// Meta's bucket counts from when each request arrives, ours from when
	// it is reserved; requests sent back to back can arrive out of step by
	// a few milliseconds, so the fake refills 5 % faster than the server
	// paces (without it one run in six was refused on a busy machine).
	fake = newFakeGraph(whatsapp.FakeGraphOptions{PairInterval: interval * 95 / 100, PairBurst: 2})
	a = newTestApp(t, withGraph(t, fake), func(c *Config) {
		c.WhatsAppPairInterval, c.WhatsAppPairBurst = interval, 2
	})
	tn = a.bootstrap("Pacing Co")
	ana = a.openConversation(tn, "Ana", true)
	ctx := a.system(tn)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("5491122334455"), Name: valuePtr("Beto")})
	require.NoError(t, err)
	beto, err = a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ana.ChannelID})
	require.NoError(t, err)
	_, err = a.Service.RecordInboundText(ctx, beto.ID, "buenas", time.Now())
	require.NoError(t, err)
	return a, tn, fake, ana, beto
}

// A run of replies to one customer is spaced to fit Meta's pair limit, so
// Meta never answers 131056, and another customer's reply is not held
// behind them.
func TestSendsToOneCustomerAreSpacedByThePairLimit(t *testing.T) {
	a, tn, fake, ana, beto := pairPacedApp(t, time.Second)
	var toAna []string
	for _, text := range []string{"hola", "¿en qué te ayudo?", "te paso el link", "¿algo más?"} {
		m, err := a.Service.SendText(a.system(tn), ana.ID, text)
		require.NoError(t, err)
		toAna = append(toAna, m.ID)
	}
	toBeto, err := a.Service.SendText(a.system(tn), beto.ID, "hola Beto")
	require.NoError(t, err)
	start := time.Now()
	a.startJobs()
	for _, id := range append(toAna, toBeto.ID) {
		a.waitForStatus(tn, id, domain.DeliverySent)
	}

	var anaTimes []time.Time
	var betoAt time.Time
	for _, r := range fake.Requests() {
		require.Equal(t, http.StatusOK, r.Status, "Meta refused a send: %s", r.Body)
	}
	for _, s := range fake.SentMessages() {
		switch s.WaID {
		case "16505551234":
			anaTimes = append(anaTimes, s.SentAt)
		case "5491122334455":
			betoAt = s.SentAt
		}
	}
	require.Len(t, anaTimes, 4)
	require.GreaterOrEqual(t, anaTimes[3].Sub(anaTimes[0]), 1900*time.Millisecond,
		"two messages past the burst of two take two intervals")
	require.Less(t, betoAt.Sub(start), 1500*time.Millisecond, "Beto's reply is not held behind Ana's")
}

// When Meta answers 131056 anyway (another sender used the number), the
// message is retried after a full interval and delivered; other customers
// are unaffected.
func TestPairRateErrorIsRetriedAfterTheInterval(t *testing.T) {
	// An interval longer than River's first retry backoff (about 1 s), so
	// only the emptied budget explains the wait.
	a, tn, fake, ana, beto := pairPacedApp(t, 2*time.Second)
	fake.FailNext(whatsapp.FailRule{Recipient: "16505551234", Code: whatsapp.CodePairRateLimit, Times: 1})
	a.startJobs()
	m, err := a.Service.SendText(a.system(tn), ana.ID, "¿sigues ahí?")
	require.NoError(t, err)
	toBeto, err := a.Service.SendText(a.system(tn), beto.ID, "hola Beto")
	require.NoError(t, err)
	a.waitForStatus(tn, toBeto.ID, domain.DeliverySent)
	sent := a.waitForStatus(tn, m.ID, domain.DeliverySent)
	require.Empty(t, sent.ErrorCode)

	var refusedAt, acceptedAt time.Time
	for _, r := range fake.Requests() {
		if r.Method != http.MethodPost || !containsRecipient(r.Body, "16505551234") {
			continue
		}
		if r.Status == http.StatusOK {
			acceptedAt = r.ReceivedAt
		} else {
			refusedAt = r.ReceivedAt
		}
	}
	require.False(t, refusedAt.IsZero(), "Meta's 131056 was never hit")
	require.GreaterOrEqual(t, acceptedAt.Sub(refusedAt), 1900*time.Millisecond,
		"the retry waited for the pair's budget to refill")
}

// containsRecipient reports whether a Graph request body sends to waID.
func containsRecipient(body []byte, waID string) bool {
	var msg struct {
		To string `json:"to"`
	}
	return json.Unmarshal(body, &msg) == nil && strings.TrimPrefix(msg.To, "+") == waID
}
