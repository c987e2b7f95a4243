package domain

import "context"

// PrefixSLAPolicy prefixes SLA policy ids.
const PrefixSLAPolicy = "slp"

// SLAPolicies lists the workspace's policies by name.
func (s *Service) SLAPolicies(ctx context.Context) ([]*SLAPolicy, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindSLAPolicies(ctx)
}

// SLAPolicy returns one policy. Errors: not_found.
func (s *Service) SLAPolicy(ctx context.Context, id string) (*SLAPolicy, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixSLAPolicy, id) {
		return nil, NotFound("SLA policy")
	}
	return s.store.FindSLAPolicy(ctx, id)
}

// CreateSLAPolicy adds a policy (admins). Errors: forbidden, invalid
// (naming the field), conflict (name taken).
func (s *Service) CreateSLAPolicy(ctx context.Context, in SLAPolicyInput) (*SLAPolicy, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, FieldError("name", "name is required")
	}
	if in.Escalation == nil {
		return nil, FieldError("escalation", "escalation is required")
	}
	now := s.now()
	pol := &SLAPolicy{ID: NewID(PrefixSLAPolicy), WorkspaceID: p.WorkspaceID, WarningRatio: DefaultWarningRatio,
		CreatedAt: now, UpdatedAt: now}
	if err := s.applySLAPolicy(ctx, pol, in); err != nil {
		return nil, err
	}
	return pol, s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateSLAPolicy(ctx, pol) },
		EventSLAPolicyCreated, pol.ID, map[string]any{"sla_policy_id": pol.ID})
}

// UpdateSLAPolicy changes a policy (admins); conversations already running
// keep their due times until their next change. Errors: forbidden,
// not_found, invalid, conflict.
func (s *Service) UpdateSLAPolicy(ctx context.Context, id string, in SLAPolicyInput) (*SLAPolicy, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	pol, err := s.SLAPolicy(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.applySLAPolicy(ctx, pol, in); err != nil {
		return nil, err
	}
	pol.UpdatedAt = s.now()
	return pol, s.recorded(ctx, func(ctx context.Context) error { return s.store.UpdateSLAPolicy(ctx, pol) },
		EventSLAPolicyUpdated, pol.ID, map[string]any{"sla_policy_id": pol.ID, "fields": givenFields(in)})
}

// DeleteSLAPolicy removes a policy no queue uses (admins).
// Errors: forbidden, not_found, conflict.
func (s *Service) DeleteSLAPolicy(ctx context.Context, id string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if _, err := s.SLAPolicy(ctx, id); err != nil {
		return err
	}
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.DeleteSLAPolicy(ctx, id) },
		EventSLAPolicyDeleted, id, map[string]any{"sla_policy_id": id})
}

func (s *Service) applySLAPolicy(ctx context.Context, pol *SLAPolicy, in SLAPolicyInput) error {
	if err := applySLAPolicyInput(pol, in); err != nil {
		return err
	}
	if err := pol.validate(); err != nil {
		return err
	}
	return s.checkSLAPolicyRefs(ctx, pol)
}

// requireSLAPolicy checks that a policy id given for field exists in the
// workspace ("" clears it and passes).
func (s *Service) requireSLAPolicy(ctx context.Context, field, id string) error {
	if id == "" {
		return nil
	}
	if _, err := s.SLAPolicy(ctx, id); ErrorCode(err) == CodeNotFound {
		return FieldError(field, "no SLA policy %s in this workspace", id)
	} else if err != nil {
		return err
	}
	return nil
}
