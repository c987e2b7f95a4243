package domain

import (
	"testing"
	"time"
)

func TestWebhookBackoffSpansAboutThreeDays(t *testing.T) {
	cases := []struct {
		attempt int
		want    time.Duration
	}{
		{1, 4 * time.Second}, {2, 16 * time.Second}, {3, 64 * time.Second}, {5, 1024 * time.Second},
		{8, 18 * time.Hour}, {11, 18 * time.Hour},
	}
	for _, c := range cases {
		if got := WebhookBackoff(c.attempt, time.Second, 0.5); got != c.want {
			t.Errorf("attempt %d: %v, want %v", c.attempt, got, c.want)
		}
	}
	var total time.Duration
	for n := 1; n < WebhookMaxAttempts; n++ {
		total += WebhookBackoff(n, time.Second, 0.5)
	}
	if total < 72*time.Hour || total > 80*time.Hour {
		t.Fatalf("the schedule spans %v, want about three days", total)
	}
	// Jitter stays within ±20 %, and the unit scales everything.
	if lo, hi := WebhookBackoff(3, time.Second, 0), WebhookBackoff(3, time.Second, 1); lo != 51200*time.Millisecond || hi != 76800*time.Millisecond {
		t.Fatalf("jitter bounds %v..%v", lo, hi)
	}
	if got := WebhookBackoff(2, time.Millisecond, 0.5); got != 16*time.Millisecond {
		t.Fatalf("at a 1 ms unit: %v", got)
	}
}

func TestEndpointWantsItsTypesAndNeverTheTestEvent(t *testing.T) {
	all := &WebhookEndpoint{EventTypes: []string{AllEventTypes}}
	some := &WebhookEndpoint{EventTypes: []string{EventMessageCreated}}
	cases := []struct {
		e    *WebhookEndpoint
		typ  string
		want bool
	}{
		{all, EventContactCreated, true}, {all, EventWebhookTest, false},
		{some, EventMessageCreated, true}, {some, EventContactCreated, false}, {some, EventWebhookTest, false},
	}
	for _, c := range cases {
		if got := c.e.Wants(c.typ); got != c.want {
			t.Errorf("%v wants %s = %v", c.e.EventTypes, c.typ, got)
		}
	}
}
