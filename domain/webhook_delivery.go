package domain

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"time"
)

// WebhookMaxAttempts is how many times one delivery is tried: with the
// schedule below, about three days and three hours at a 1 s unit.
const WebhookMaxAttempts = 12

// webhookFailureBudget is how long an endpoint may fail every attempt
// before the server disables it (scaled by the retry unit).
const webhookFailureBudget = 72 * time.Hour

// WebhookDeliveryRetention is how long the delivery log keeps an attempt.
const WebhookDeliveryRetention = 30 * 24 * time.Hour

// PruneWebhookDeliveries deletes, in every workspace, the delivery
// attempts older than WebhookDeliveryRetention, and says how many. It
// takes no principal: only the periodic housekeeping job calls it.
func (s *Service) PruneWebhookDeliveries(ctx context.Context) (int64, error) {
	return s.store.PruneWebhookDeliveries(ctx, s.now().Add(-WebhookDeliveryRetention))
}

// maxRetryAfter bounds a receiver's Retry-After.
const maxRetryAfter = 24 * time.Hour

// WebhookBackoff is the wait after the attempt-th failed attempt: 4^n
// units (4 s, 16 s, 64 s, 4 min, 17 min, 68 min, 4.5 h), then 18 h, each
// ±20 % so that endpoints failing together do not come back in step.
func WebhookBackoff(attempt int, unit time.Duration, jitter float64) time.Duration {
	steps := 1.0
	for range min(attempt, 8) {
		steps *= 4
	}
	steps = min(steps, 18*3600)
	return time.Duration(steps * float64(unit) * (1 + 0.4*(jitter-0.5)))
}

// scaled is d at the configured unit (d is the real schedule at 1 s).
func (s *Service) webhookScaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * float64(s.opts.Webhooks.RetryUnit) / float64(time.Second))
}

// PreparedWebhook is a delivery ready to send.
type PreparedWebhook struct {
	Endpoint *WebhookEndpoint
	Event    *Event
	URL      string
	Body     []byte
	// Secrets sign it: the current one, and the previous one during a
	// rotation's overlap.
	Secrets []string
	Attempt int
}

// webhookBody is what receivers get: Standard Webhooks' {type, timestamp,
// data}, data carrying the event's ids, actor and payload.
type webhookBody struct {
	Type      string      `json:"type"`
	Timestamp string      `json:"timestamp"`
	Data      webhookData `json:"data"`
}

type webhookData struct {
	ID          string         `json:"id"`
	WorkspaceID string         `json:"workspace_id"`
	SubjectID   *string        `json:"subject_id"`
	Actor       webhookActor   `json:"actor"`
	Payload     map[string]any `json:"payload"`
}

type webhookActor struct {
	Kind string  `json:"kind"`
	ID   *string `json:"id"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WebhookBody renders an event as a delivery's body.
func WebhookBody(e *Event) ([]byte, error) {
	payload := e.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	return json.Marshal(webhookBody{Type: e.Type, Timestamp: e.CreatedAt.UTC().Format(time.RFC3339Nano),
		Data: webhookData{ID: e.ID, WorkspaceID: e.WorkspaceID, SubjectID: optional(e.SubjectID),
			Actor: webhookActor{Kind: string(e.Actor.Kind), ID: optional(e.Actor.ID)}, Payload: payload}})
}

// PrepareWebhookDelivery loads what a delivery job sends. It returns nil
// when the endpoint is gone, and records a cancelled attempt when it is
// disabled, so the job ends. ctx is the job's workspace (SystemContext).
func (s *Service) PrepareWebhookDelivery(ctx context.Context, j WebhookJob) (*PreparedWebhook, error) {
	e, err := s.store.FindWebhookEndpoint(ctx, j.EndpointID)
	if err != nil {
		if de, ok := AsError(err); ok && de.Code == CodeNotFound {
			return nil, nil
		}
		return nil, err
	}
	ev, err := s.store.FindEventForWebhook(ctx, j.EventID)
	if err != nil {
		if de, ok := AsError(err); ok && de.Code == CodeNotFound {
			return nil, nil // pruned by retention
		}
		return nil, err
	}
	done, err := s.store.CountWebhookAttempts(ctx, e.ID, ev.ID, j.Key)
	if err != nil {
		return nil, err
	}
	if !e.Enabled {
		return nil, s.store.AddWebhookAttempt(ctx, &WebhookDelivery{ID: NewID(PrefixWebhookDelivery),
			EndpointID: e.ID, EventID: ev.ID, EventType: ev.Type, Key: j.Key, Attempt: done + 1,
			Error: "the endpoint is disabled", State: WebhookCancelled, CreatedAt: s.now()})
	}
	body, err := WebhookBody(ev)
	if err != nil {
		return nil, err
	}
	if s.opts.Sealer == nil {
		return nil, Errorf(CodeUnavailable, "webhook secrets cannot be opened: the server has no secret key")
	}
	secret, err := s.opts.Sealer.Open(e.SealedSecret)
	if err != nil {
		return nil, err
	}
	secrets := []string{secret}
	if e.SealedPreviousSecret != "" && e.PreviousSecretExpiresAt != nil && s.now().Before(*e.PreviousSecretExpiresAt) {
		previous, err := s.opts.Sealer.Open(e.SealedPreviousSecret)
		if err != nil {
			return nil, err
		}
		secrets = append(secrets, previous)
	}
	return &PreparedWebhook{Endpoint: e, Event: ev, URL: e.URL, Body: body, Secrets: secrets, Attempt: done + 1}, nil
}

// WebhookAttemptResult is what one attempt got from the receiver.
type WebhookAttemptResult struct {
	StatusCode int
	Latency    time.Duration
	Excerpt    string
	Error      string
	RetryAfter time.Duration
}

// RecordWebhookAttempt logs an attempt and decides what follows: nothing
// (delivered, or given up) or another attempt after the returned wait. A
// 410 disables the endpoint; so does failing every attempt for the
// failure budget. Both record webhook_endpoint.disabled.
func (s *Service) RecordWebhookAttempt(ctx context.Context, w *PreparedWebhook, key string, r WebhookAttemptResult) (time.Duration, error) {
	now := s.now()
	d := &WebhookDelivery{ID: NewID(PrefixWebhookDelivery), EndpointID: w.Endpoint.ID, EventID: w.Event.ID,
		EventType: w.Event.Type, Key: key, Attempt: w.Attempt, StatusCode: r.StatusCode, Latency: r.Latency,
		ResponseExcerpt: r.Excerpt, Error: r.Error, CreatedAt: now}
	var wait time.Duration
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		e, err := s.store.FindWebhookEndpoint(ctx, w.Endpoint.ID)
		if err != nil {
			return err
		}
		disable := ""
		switch {
		case r.StatusCode >= 200 && r.StatusCode < 300:
			d.State = WebhookSucceeded
			if e.FailingSince != nil {
				if err := s.store.SetWebhookFailingSince(ctx, e.ID, nil); err != nil {
					return err
				}
			}
		case r.StatusCode == 410:
			d.State = WebhookFailed
			disable = "the endpoint answered 410 Gone"
		default:
			since := e.FailingSince
			if since == nil {
				since = &now
				if err := s.store.SetWebhookFailingSince(ctx, e.ID, since); err != nil {
					return err
				}
			}
			budget := s.webhookScaled(webhookFailureBudget)
			switch {
			case now.Sub(*since) >= budget:
				d.State = WebhookFailed
				disable = "every delivery failed for " + budget.String()
			case w.Attempt >= WebhookMaxAttempts:
				d.State = WebhookFailed
			default:
				d.State = WebhookRetrying
				wait = WebhookBackoff(w.Attempt, s.opts.Webhooks.RetryUnit, rand.Float64())
				wait = max(wait, min(r.RetryAfter, maxRetryAfter))
				next := now.Add(wait)
				d.NextRetryAt = &next
			}
		}
		if disable != "" {
			disabled, err := s.store.DisableWebhookEndpoint(ctx, e.ID, disable, now)
			if err != nil {
				return err
			}
			if disabled {
				if err := s.record(ctx, EventWebhookEndpointDisabled, e.ID, map[string]any{"endpoint_id": e.ID,
					"reason": disable}); err != nil {
					return err
				}
			}
		}
		return s.store.AddWebhookAttempt(ctx, d)
	})
	if err != nil {
		if de, ok := AsError(err); ok && de.Code == CodeNotFound {
			return 0, nil // deleted while sending
		}
		return 0, err
	}
	return wait, nil
}
