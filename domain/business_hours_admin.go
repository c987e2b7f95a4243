package domain

import "context"

// BusinessHoursInput creates or updates a plan; nil fields keep their value
// on update (weekly and holidays are replaced whole when given).
type BusinessHoursInput struct {
	Name     *string
	Timezone *string
	Weekly   *[]Shift
	Holidays *[]Holiday
}

// AllBusinessHours lists the workspace's plans by name (every role reads
// them: an agent may want to know when their queue opens).
func (s *Service) AllBusinessHours(ctx context.Context) ([]*BusinessHours, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindAllBusinessHours(ctx)
}

// BusinessHours returns one plan. Errors: not_found.
func (s *Service) BusinessHours(ctx context.Context, id string) (*BusinessHours, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixBusinessHours, id) {
		return nil, NotFound("business hours")
	}
	return s.store.FindBusinessHours(ctx, id)
}

// CreateBusinessHours adds a plan (admins). Errors: forbidden, invalid
// (naming the field), conflict (name taken).
func (s *Service) CreateBusinessHours(ctx context.Context, in BusinessHoursInput) (*BusinessHours, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, FieldError("name", "name is required")
	}
	if in.Timezone == nil {
		return nil, FieldError("timezone", "timezone is required")
	}
	now := s.now()
	b := &BusinessHours{ID: NewID(PrefixBusinessHours), WorkspaceID: p.WorkspaceID, Weekly: []Shift{},
		Holidays: []Holiday{}, CreatedAt: now, UpdatedAt: now}
	applyBusinessHoursInput(b, in)
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateBusinessHours(ctx, b) },
		EventBusinessHoursCreated, b.ID, map[string]any{"business_hours_id": b.ID})
}

// UpdateBusinessHours changes a plan (admins); the queues that follow it
// count in the new hours from their next clock. Errors: forbidden,
// not_found, invalid, conflict.
func (s *Service) UpdateBusinessHours(ctx context.Context, id string, in BusinessHoursInput) (*BusinessHours, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	b, err := s.BusinessHours(ctx, id)
	if err != nil {
		return nil, err
	}
	applyBusinessHoursInput(b, in)
	if err := b.validate(); err != nil {
		return nil, err
	}
	b.UpdatedAt = s.now()
	return b, s.recorded(ctx, func(ctx context.Context) error { return s.store.UpdateBusinessHours(ctx, b) },
		EventBusinessHoursUpdated, b.ID, map[string]any{"business_hours_id": b.ID, "fields": givenFields(in)})
}

// DeleteBusinessHours removes a plan no queue follows (admins).
// Errors: forbidden, not_found, conflict (a queue uses it).
func (s *Service) DeleteBusinessHours(ctx context.Context, id string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if _, err := s.BusinessHours(ctx, id); err != nil {
		return err
	}
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.DeleteBusinessHours(ctx, id) },
		EventBusinessHoursDeleted, id, map[string]any{"business_hours_id": id})
}

func applyBusinessHoursInput(b *BusinessHours, in BusinessHoursInput) {
	if in.Name != nil {
		b.Name = *in.Name
	}
	if in.Timezone != nil {
		b.Timezone = *in.Timezone
	}
	if in.Weekly != nil {
		b.Weekly = append([]Shift{}, *in.Weekly...)
	}
	if in.Holidays != nil {
		b.Holidays = append([]Holiday{}, *in.Holidays...)
	}
}

// requireBusinessHours checks that a plan id given for field exists in the
// workspace ("" clears it and passes).
func (s *Service) requireBusinessHours(ctx context.Context, field, id string) error {
	if id == "" {
		return nil
	}
	if _, err := s.BusinessHours(ctx, id); ErrorCode(err) == CodeNotFound {
		return FieldError(field, "no business hours %s in this workspace", id)
	} else if err != nil {
		return err
	}
	return nil
}

// applyQueueRules sets the business hours and SLA policy a queue follows,
// after checking both are of this workspace.
func (s *Service) applyQueueRules(ctx context.Context, q *Queue, in QueueInput) error {
	if in.BusinessHoursID != nil {
		if err := s.requireBusinessHours(ctx, "business_hours_id", *in.BusinessHoursID); err != nil {
			return err
		}
		q.BusinessHoursID = *in.BusinessHoursID
	}
	if in.SLAPolicyID != nil {
		if err := s.requireSLAPolicy(ctx, "sla_policy_id", *in.SLAPolicyID); err != nil {
			return err
		}
		q.SLAPolicyID = *in.SLAPolicyID
	}
	return nil
}
