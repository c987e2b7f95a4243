package domain

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strings"
	"time"
)

// NewWebhookEndpoint is the input for registering an endpoint.
type NewWebhookEndpoint struct {
	URL         string
	EventTypes  []string
	Description string
}

// WebhookEndpointPatch changes the fields that are set.
type WebhookEndpointPatch struct {
	URL         *string
	EventTypes  *[]string
	Description *string
	Enabled     *bool
}

// CreatedWebhookEndpoint is a new endpoint with its signing secret, which
// is shown this once.
type CreatedWebhookEndpoint struct {
	Endpoint WebhookEndpoint
	Secret   string
}

// DefaultSecretOverlap is how long a rotated-out secret keeps signing.
const DefaultSecretOverlap = 24 * time.Hour

// MaxSecretOverlap bounds a rotation's overlap.
const MaxSecretOverlap = 7 * 24 * time.Hour

const maxWebhookEndpoints = 20

// newWebhookSecret is "whsec_" + base64 of 32 random bytes (Standard
// Webhooks' format: receivers' libraries decode what follows the prefix).
func newWebhookSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

func (s *Service) checkWebhookURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", FieldError("url", "url is required")
	}
	if err := s.opts.Webhooks.URLs.CheckURL(raw); err != nil {
		return "", FieldError("url", "%s", err.Error())
	}
	return raw, nil
}

func checkWebhookEventTypes(types []string) ([]string, error) {
	if len(types) == 0 {
		return nil, FieldError("event_types", `event_types must name at least one type, or "*" for all`)
	}
	out := uniqueStrings(types)
	for _, t := range out {
		if t != AllEventTypes && (t == EventWebhookTest || !KnownEventType(t)) {
			return nil, FieldError("event_types", "%q is not an event type (GET /v1/webhook-event-types lists them)", t)
		}
	}
	sort := slices.Clone(out)
	slices.Sort(sort)
	return sort, nil
}

func checkDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if len([]rune(d)) > 500 {
		return "", FieldError("description", "description must have at most 500 characters")
	}
	return d, nil
}

func (s *Service) sealWebhookSecret(secret string) (string, error) {
	if s.opts.Sealer == nil {
		return "", Errorf(CodeUnavailable, "webhook secrets cannot be stored: the server has no secret key")
	}
	return s.opts.Sealer.Seal(secret)
}

// CreateWebhookEndpoint registers an endpoint (admins). It receives the
// events committed after it is created. Errors: forbidden, invalid.
func (s *Service) CreateWebhookEndpoint(ctx context.Context, in NewWebhookEndpoint) (*CreatedWebhookEndpoint, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	url, err := s.checkWebhookURL(in.URL)
	if err != nil {
		return nil, err
	}
	types, err := checkWebhookEventTypes(in.EventTypes)
	if err != nil {
		return nil, err
	}
	desc, err := checkDescription(in.Description)
	if err != nil {
		return nil, err
	}
	secret := newWebhookSecret()
	sealed, err := s.sealWebhookSecret(secret)
	if err != nil {
		return nil, err
	}
	now := s.now()
	e := WebhookEndpoint{ID: NewID(PrefixWebhookEndpoint), WorkspaceID: p.WorkspaceID, URL: url, Description: desc,
		EventTypes: types, Enabled: true, SealedSecret: sealed, CreatedAt: now, UpdatedAt: now}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		existing, err := s.store.FindWebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		if len(existing) >= maxWebhookEndpoints {
			return Errorf(CodeConflict, "a workspace has at most %d webhook endpoints", maxWebhookEndpoints)
		}
		// The event goes first: the endpoint starts after everything
		// committed so far, its own creation included.
		if err := s.record(ctx, EventWebhookEndpointCreated, e.ID, map[string]any{"endpoint_id": e.ID}); err != nil {
			return err
		}
		return s.store.CreateWebhookEndpoint(ctx, &e)
	})
	if err != nil {
		return nil, err
	}
	return &CreatedWebhookEndpoint{Endpoint: e, Secret: secret}, nil
}

// WebhookEndpoints lists the workspace's endpoints (admins).
func (s *Service) WebhookEndpoints(ctx context.Context) ([]*WebhookEndpoint, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.FindWebhookEndpoints(ctx)
}

// WebhookEndpoint returns one endpoint (admins). Errors: forbidden, not_found.
func (s *Service) WebhookEndpoint(ctx context.Context, id string) (*WebhookEndpoint, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixWebhookEndpoint, id) {
		return nil, NotFound("webhook endpoint")
	}
	return s.store.FindWebhookEndpoint(ctx, id)
}

// UpdateWebhookEndpoint changes an endpoint (admins). Enabling it again
// clears the server's reason and failure streak; it resumes from where
// its feed position stopped. Errors: forbidden, not_found, invalid.
func (s *Service) UpdateWebhookEndpoint(ctx context.Context, id string, patch WebhookEndpointPatch) (*WebhookEndpoint, error) {
	e, err := s.WebhookEndpoint(ctx, id)
	if err != nil {
		return nil, err
	}
	if patch.URL != nil {
		if e.URL, err = s.checkWebhookURL(*patch.URL); err != nil {
			return nil, err
		}
	}
	if patch.EventTypes != nil {
		if e.EventTypes, err = checkWebhookEventTypes(*patch.EventTypes); err != nil {
			return nil, err
		}
	}
	if patch.Description != nil {
		if e.Description, err = checkDescription(*patch.Description); err != nil {
			return nil, err
		}
	}
	toggled := patch.Enabled != nil && *patch.Enabled != e.Enabled
	if toggled {
		e.Enabled = *patch.Enabled
		e.DisabledReason, e.FailingSince = "", nil
	}
	e.UpdatedAt = s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		if toggled {
			if err := s.store.SetWebhookFailingSince(ctx, e.ID, nil); err != nil {
				return err
			}
		}
		return s.record(ctx, EventWebhookEndpointUpdated, e.ID, map[string]any{"endpoint_id": e.ID, "enabled": e.Enabled})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// DeleteWebhookEndpoint removes an endpoint and its delivery log (admins);
// its pending deliveries are dropped. Errors: forbidden, not_found.
func (s *Service) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	if _, err := s.WebhookEndpoint(ctx, id); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteWebhookEndpoint(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, EventWebhookEndpointDeleted, id, map[string]any{"endpoint_id": id})
	})
}

// RotateWebhookSecret gives the endpoint a new secret, shown this once;
// the current one keeps signing too for overlap (0: none; nil: the
// default), so a receiver can switch at its pace. A secret rotated out
// earlier and still in its overlap stops signing. Errors: forbidden,
// not_found, invalid.
func (s *Service) RotateWebhookSecret(ctx context.Context, id string, overlap *time.Duration) (*CreatedWebhookEndpoint, error) {
	e, err := s.WebhookEndpoint(ctx, id)
	if err != nil {
		return nil, err
	}
	keep := DefaultSecretOverlap
	if overlap != nil {
		keep = *overlap
	}
	if keep < 0 || keep > MaxSecretOverlap {
		return nil, FieldError("overlap_seconds", "overlap_seconds must be between 0 and %d", int(MaxSecretOverlap/time.Second))
	}
	secret := newWebhookSecret()
	sealed, err := s.sealWebhookSecret(secret)
	if err != nil {
		return nil, err
	}
	now := s.now()
	e.SealedPreviousSecret, e.PreviousSecretExpiresAt = "", nil
	if keep > 0 {
		until := now.Add(keep)
		e.SealedPreviousSecret, e.PreviousSecretExpiresAt = e.SealedSecret, &until
	}
	e.SealedSecret, e.UpdatedAt = sealed, now
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		return s.record(ctx, EventWebhookEndpointRotated, e.ID, map[string]any{"endpoint_id": e.ID,
			"overlap_seconds": int64(keep / time.Second)})
	})
	if err != nil {
		return nil, err
	}
	return &CreatedWebhookEndpoint{Endpoint: *e, Secret: secret}, nil
}

// WebhookDeliveries lists an endpoint's delivery attempts, newest first
// (admins). Errors: forbidden, not_found, invalid.
func (s *Service) WebhookDeliveries(ctx context.Context, id string, page PageRequest) (Page[*WebhookDelivery], error) {
	if _, err := s.WebhookEndpoint(ctx, id); err != nil {
		return Page[*WebhookDelivery]{}, err
	}
	limit, after, err := page.Normalize()
	if err != nil {
		return Page[*WebhookDelivery]{}, err
	}
	if after != nil && after.Sort != "" {
		return Page[*WebhookDelivery]{}, FieldError("cursor", "cursor belongs to another listing")
	}
	return s.store.FindWebhookDeliveries(ctx, id, PageQuery{Limit: limit, After: after})
}
