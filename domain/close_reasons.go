package domain

import (
	"context"
	"regexp"
	"time"
)

// PrefixCloseReason prefixes close-reason ids.
const PrefixCloseReason = "clr"

// CloseReason is one of the reasons a workspace closes conversations with.
// Conversations store its Key. Deleting a reason is a soft delete: closed
// conversations keep naming it and the timeline keeps meaning something,
// but it no longer closes new ones (and its key may be used again).
type CloseReason struct {
	ID          string
	WorkspaceID string
	Key         string
	Name        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   *time.Time
}

// Close reasons every workspace starts with (bootstrap; migration 00024
// for workspaces that predate it).
const (
	CloseResolved                  = "resolved"
	CloseFollowUp                  = "follow_up"
	CloseTransferredToOtherChannel = "transferred_to_other_channel"
	CloseSpam                      = "spam"
	CloseNoResponse                = "no_response"
)

// DefaultCloseReasons are the keys and names a new workspace gets.
var DefaultCloseReasons = []struct{ Key, Name string }{
	{CloseResolved, "Resuelto"},
	{CloseFollowUp, "Seguimiento"},
	{CloseTransferredToOtherChannel, "Derivado a otro canal"},
	{CloseSpam, "Spam"},
	{CloseNoResponse, "Sin respuesta del cliente"},
}

// CloseReasonInput creates or changes a reason; nil fields are kept.
type CloseReasonInput struct {
	Key  *string
	Name *string
}

// CloseReasonStore persists close reasons. Find* see only reasons that are
// not deleted.
type CloseReasonStore interface {
	CreateCloseReason(ctx context.Context, r *CloseReason) error
	FindCloseReason(ctx context.Context, id string) (*CloseReason, error)
	FindCloseReasonByKey(ctx context.Context, key string) (*CloseReason, error)
	FindCloseReasons(ctx context.Context) ([]*CloseReason, error)
	// UpdateCloseReason writes key, name, updated_at and deleted_at.
	UpdateCloseReason(ctx context.Context, r *CloseReason) error
}

var closeReasonKey = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,63}$`)

func applyCloseReasonInput(r *CloseReason, in CloseReasonInput) error {
	if in.Key != nil {
		if !closeReasonKey.MatchString(*in.Key) {
			return FieldError("key", "key must be 1 to 64 lower-case letters, digits or underscores, e.g. resolved")
		}
		r.Key = *in.Key
	}
	if in.Name != nil {
		var err error
		if r.Name, err = validateName("name", *in.Name, 80); err != nil {
			return err
		}
	}
	return nil
}

// CloseReasons lists the workspace's reasons (not deleted), by key.
func (s *Service) CloseReasons(ctx context.Context) ([]*CloseReason, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindCloseReasons(ctx)
}

// CloseReason returns one reason. Errors: not_found (also once deleted).
func (s *Service) CloseReason(ctx context.Context, id string) (*CloseReason, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixCloseReason, id) {
		return nil, NotFound("close reason")
	}
	return s.store.FindCloseReason(ctx, id)
}

// CreateCloseReason adds a reason (admins). Errors: forbidden, invalid,
// conflict (key taken).
func (s *Service) CreateCloseReason(ctx context.Context, in CloseReasonInput) (*CloseReason, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if in.Key == nil {
		return nil, FieldError("key", "key is required")
	}
	if in.Name == nil {
		return nil, FieldError("name", "name is required")
	}
	now := s.now()
	r := &CloseReason{ID: NewID(PrefixCloseReason), WorkspaceID: p.WorkspaceID, CreatedAt: now, UpdatedAt: now}
	if err := applyCloseReasonInput(r, in); err != nil {
		return nil, err
	}
	return r, s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateCloseReason(ctx, r) },
		EventCloseReasonCreated, r.ID, map[string]any{"close_reason_id": r.ID, "key": r.Key})
}

// UpdateCloseReason renames a reason or changes its key (admins).
// Conversations closed with the old key keep it. Errors: forbidden,
// not_found, invalid, conflict.
func (s *Service) UpdateCloseReason(ctx context.Context, id string, in CloseReasonInput) (*CloseReason, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	r, err := s.CloseReason(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := applyCloseReasonInput(r, in); err != nil {
		return nil, err
	}
	r.UpdatedAt = s.now()
	return r, s.recorded(ctx, func(ctx context.Context) error { return s.store.UpdateCloseReason(ctx, r) },
		EventCloseReasonUpdated, r.ID, map[string]any{"close_reason_id": r.ID, "fields": givenFields(in)})
}

// DeleteCloseReason retires a reason (admins): soft, so history keeps it.
// Errors: forbidden, not_found.
func (s *Service) DeleteCloseReason(ctx context.Context, id string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	r, err := s.CloseReason(ctx, id)
	if err != nil {
		return err
	}
	now := s.now()
	r.UpdatedAt, r.DeletedAt = now, &now
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.UpdateCloseReason(ctx, r) },
		EventCloseReasonDeleted, r.ID, map[string]any{"close_reason_id": r.ID, "key": r.Key})
}

// seedCloseReasons gives a new workspace the default reasons.
func (s *Service) seedCloseReasons(ctx context.Context) error {
	for _, d := range DefaultCloseReasons {
		if _, err := s.CreateCloseReason(ctx, CloseReasonInput{Key: &d.Key, Name: &d.Name}); err != nil {
			return err
		}
	}
	return nil
}

// requireCloseReason checks that a conversation may be closed with key: it
// names one of the workspace's reasons. Errors: invalid (close_reason).
func (s *Service) requireCloseReason(ctx context.Context, key string) error {
	if err := validateCloseReason(key); err != nil {
		return err
	}
	_, err := s.store.FindCloseReasonByKey(ctx, key)
	if ErrorCode(err) == CodeNotFound {
		return FieldError("close_reason", "%q is not one of the workspace's close reasons (GET /v1/close-reasons)", key)
	}
	return err
}
