package domain

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/centralita/centralita/domain/netguard"
)

// Webhook ids; the webhook event types are in event_types.go.
const (
	PrefixWebhookEndpoint = "whe"
	PrefixWebhookDelivery = "whd"
	// AllEventTypes subscribes an endpoint to every type.
	AllEventTypes = "*"
)

// KnownEventTypes lists the event types endpoints may subscribe to,
// sorted: every type of the feed but webhook.test.
func KnownEventTypes() []string {
	out := make([]string, 0, len(EventTypes))
	for _, t := range EventTypes {
		if t != EventWebhookTest {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// WebhookOptions configure outbound webhooks.
type WebhookOptions struct {
	// URLs is what an endpoint's URL must satisfy (https in production,
	// no private address unless allowed).
	URLs netguard.URLPolicy
	// RetryUnit scales the delivery schedule and the failure budget as
	// CENTRALITA_JOB_RETRY_UNIT scales sends (1 s: the real schedule).
	RetryUnit time.Duration
}

// WebhookEndpoint is an integrator's receiver of signed events.
type WebhookEndpoint struct {
	ID          string
	WorkspaceID string
	URL         string
	Description string
	EventTypes  []string
	Enabled     bool
	// DisabledReason says why the server disabled it ("" when a person
	// did, or when enabled).
	DisabledReason string
	// SealedSecret signs deliveries; SealedPreviousSecret signs them too
	// until PreviousSecretExpiresAt (a rotation's overlap).
	SealedSecret            string
	SealedPreviousSecret    string
	PreviousSecretExpiresAt *time.Time
	// Position is how far the dispatcher has read the event feed for it.
	Position EventPosition
	// FailingSince is the first failed attempt since the last success.
	FailingSince *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Wants reports whether the endpoint subscribes to events of type t.
func (e *WebhookEndpoint) Wants(t string) bool {
	if t == EventWebhookTest {
		return false
	}
	return slices.Contains(e.EventTypes, AllEventTypes) || slices.Contains(e.EventTypes, t)
}

// WebhookDeliveryState is where a delivery attempt left its delivery.
type WebhookDeliveryState string

const (
	WebhookSucceeded WebhookDeliveryState = "succeeded"
	WebhookRetrying  WebhookDeliveryState = "retrying"
	WebhookFailed    WebhookDeliveryState = "failed"
	// WebhookCancelled: the endpoint was disabled or deleted meanwhile.
	WebhookCancelled WebhookDeliveryState = "cancelled"
)

// WebhookDelivery is one attempt to deliver one event to one endpoint.
type WebhookDelivery struct {
	ID          string
	WorkspaceID string
	EndpointID  string
	EventID     string
	EventType   string
	// Key tells deliveries of the same event apart: "" for the
	// dispatcher's, a fresh one per replay or test.
	Key             string
	Attempt         int
	StatusCode      int
	Latency         time.Duration
	ResponseExcerpt string
	Error           string
	State           WebhookDeliveryState
	NextRetryAt     *time.Time
	CreatedAt       time.Time
}

// WebhookJob is a durable delivery job: the event to the endpoint.
type WebhookJob struct {
	WorkspaceID string
	EndpointID  string
	EventID     string
	Key         string
}

// WebhookStore persists endpoints and attempts and enqueues deliveries.
type WebhookStore interface {
	CreateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error
	FindWebhookEndpoint(ctx context.Context, id string) (*WebhookEndpoint, error)
	FindWebhookEndpoints(ctx context.Context) ([]*WebhookEndpoint, error)
	// UpdateWebhookEndpoint writes what an admin changes: everything but
	// the feed position and the failure streak.
	UpdateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error
	// SetWebhookFailingSince starts the failure streak at at unless one is
	// running; nil ends it.
	SetWebhookFailingSince(ctx context.Context, id string, at *time.Time) error
	// DisableWebhookEndpoint disables an enabled endpoint with a reason and
	// reports whether it did (false when it was disabled already).
	DisableWebhookEndpoint(ctx context.Context, id, reason string, at time.Time) (bool, error)
	DeleteWebhookEndpoint(ctx context.Context, id string) error
	// LockWebhookEndpoint, inside a transaction, waits until no other
	// transaction dispatches the endpoint, keeps others out until this one
	// ends, and reads it. It does not make the transaction a writer, so a
	// feed read that follows is not hidden behind the transaction itself.
	LockWebhookEndpoint(ctx context.Context, id string) (*WebhookEndpoint, error)
	SetWebhookPosition(ctx context.Context, id string, p EventPosition) error
	// WebhookWorkspaces is unscoped: the workspaces with an enabled
	// endpoint, for the dispatcher.
	WebhookWorkspaces(ctx context.Context) ([]string, error)
	// EnqueueWebhookDelivery inserts the delivery job in the open
	// transaction; a job with the same endpoint, event and key is inserted
	// once.
	EnqueueWebhookDelivery(ctx context.Context, j WebhookJob) error
	CountWebhookAttempts(ctx context.Context, endpointID, eventID, key string) (int, error)
	AddWebhookAttempt(ctx context.Context, d *WebhookDelivery) error
	// FindWebhookDeliveries lists an endpoint's attempts, newest first.
	FindWebhookDeliveries(ctx context.Context, endpointID string, pq PageQuery) (Page[*WebhookDelivery], error)
	FindEventForWebhook(ctx context.Context, id string) (*Event, error)
	// EventsForReplay lists up to limit events created in [since, until)
	// in feed order.
	EventsForReplay(ctx context.Context, since, until time.Time, limit int) ([]*Event, error)
	// PruneWebhookDeliveries is unscoped (housekeeping): it deletes the
	// attempts logged before cutoff in every workspace.
	PruneWebhookDeliveries(ctx context.Context, cutoff time.Time) (int64, error)
}
