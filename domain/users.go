package domain

import (
	"context"

	"github.com/centralita/centralita/domain/access"
)

// Me returns the calling user. Errors: unauthenticated, not_found (API keys).
func (s *Service) Me(ctx context.Context) (*User, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if p.UserID == "" {
		return nil, NotFound("user")
	}
	return s.store.FindUser(ctx, p.UserID)
}

// Users lists the workspace's users; every role may read the team.
func (s *Service) Users(ctx context.Context, f UserFilter) (Page[*User], error) {
	if _, err := principal(ctx); err != nil {
		return Page[*User]{}, err
	}
	if f.QueueID != "" && !ValidID(PrefixQueue, f.QueueID) {
		return Page[*User]{}, FieldError("queue_id", "queue_id is not a valid id")
	}
	if f.Role != "" && !f.Role.Valid() {
		return Page[*User]{}, FieldError("role", "role must be owner, admin, supervisor or agent")
	}
	limit, cur, err := f.Page.Normalize()
	if err != nil {
		return Page[*User]{}, err
	}
	return s.store.FindUsers(ctx, f, PageQuery{Limit: limit, After: cur})
}

// User returns one user. Errors: not_found.
func (s *Service) User(ctx context.Context, id string) (*User, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixUser, id) {
		return nil, NotFound("user")
	}
	return s.store.FindUser(ctx, id)
}

// UsersByIDs loads users for batching (dataloaders); missing ids are skipped.
func (s *Service) UsersByIDs(ctx context.Context, ids []string) ([]*User, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindUsersByIDs(ctx, ids)
}

// CreateUser adds a user to the workspace. Admins create users; only owners
// create owners. Errors: forbidden, invalid, conflict (email taken).
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	email := NormalizeEmail(in.Email)
	if err := validateEmail(email); err != nil {
		return nil, err
	}
	name, err := validateName("name", in.Name, 120)
	if err != nil {
		return nil, err
	}
	if in.Role == "" {
		in.Role = RoleAgent
	}
	if !in.Role.Valid() {
		return nil, FieldError("role", "role must be owner, admin, supervisor or agent")
	}
	if in.Role == RoleOwner {
		if err := p.may(access.ManageOwners); err != nil {
			return nil, err
		}
	}
	capacity := DefaultCapacity
	if in.Capacity != nil {
		capacity = *in.Capacity
	}
	if err := validateCapacity(capacity); err != nil {
		return nil, err
	}
	if err := ValidatePassword(in.Password); err != nil {
		return nil, err
	}
	queueIDs := uniqueStrings(in.QueueIDs)
	if err := s.checkQueuesExist(ctx, queueIDs); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{ID: NewID(PrefixUser), WorkspaceID: p.WorkspaceID, Email: email, Name: name, Role: in.Role,
		Availability: AvailabilityOffline, Capacity: capacity, Active: true, PasswordHash: hash,
		QueueIDs: queueIDs, CreatedAt: now, UpdatedAt: now}
	err = s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateUser(ctx, u) },
		EventUserCreated, u.ID, map[string]any{"user_id": u.ID, "role": string(u.Role)})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Service) checkQueuesExist(ctx context.Context, ids []string) error {
	if err := checkIDs("queue_ids", PrefixQueue, ids); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := s.store.FindQueuesByIDs(ctx, ids)
	if err != nil {
		return err
	}
	if len(found) != len(ids) {
		return FieldError("queue_ids", "unknown queue in queue_ids")
	}
	return nil
}

// UpdateUser changes a user. Users may change their own name and
// availability; everything else needs an admin, and owners can only be
// changed by owners. Errors: forbidden, not_found, invalid.
func (s *Service) UpdateUser(ctx context.Context, id string, in UserUpdate) (*User, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.User(ctx, id)
	if err != nil {
		return nil, err
	}
	self := p.UserID == u.ID
	adminOnly := in.Role != nil || in.Capacity != nil || in.Active != nil || in.QueueIDs != nil
	if (!self || adminOnly) && !p.IsAdmin() && !supervisorSetsCapacity(p, u, in) {
		return nil, Errorf(CodeForbidden, "only admins can change this user")
	}
	before := *u
	if (u.Role == RoleOwner || (in.Role != nil && *in.Role == RoleOwner)) && !self {
		if err := p.may(access.ManageOwners); err != nil {
			return nil, err
		}
	}
	if in.Name != nil {
		if u.Name, err = validateName("name", *in.Name, 120); err != nil {
			return nil, err
		}
	}
	if in.Availability != nil {
		if !in.Availability.Valid() {
			return nil, FieldError("availability", "availability must be online, away or offline")
		}
		u.Availability = *in.Availability
	}
	if in.Capacity != nil {
		if err := validateCapacity(*in.Capacity); err != nil {
			return nil, err
		}
		u.Capacity = *in.Capacity
	}
	if in.Role != nil && *in.Role != u.Role {
		if !in.Role.Valid() {
			return nil, FieldError("role", "role must be owner, admin, supervisor or agent")
		}
		if self {
			return nil, Errorf(CodeForbidden, "you cannot change your own role")
		}
		u.Role = *in.Role
		u.TokenVersion++
	}
	if in.Active != nil && *in.Active != u.Active {
		if self {
			return nil, Errorf(CodeForbidden, "you cannot deactivate yourself")
		}
		u.Active = *in.Active
		u.TokenVersion++
	}
	if in.QueueIDs != nil {
		ids := uniqueStrings(*in.QueueIDs)
		if err := s.checkQueuesExist(ctx, ids); err != nil {
			return nil, err
		}
		u.QueueIDs = ids
	}
	u.UpdatedAt = s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		// Before any row: the change may hand out or return conversations.
		if err := s.lockAssignment(ctx); err != nil {
			return err
		}
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if !u.Active {
			if err := s.store.RevokeUserSessions(ctx, u.ID, s.now()); err != nil {
				return err
			}
		}
		if err := s.recordStaffChange(ctx, &before, u); err != nil {
			return err
		}
		return s.followStaffChange(ctx, &before, u)
	})
	if !u.Active {
		s.sessions.forget()
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// recordStaffChange records the security events of a user update: a new
// role, a deactivation or a reactivation. Names, capacity, availability
// and queues are the user's working state, not security, and record none.
func (s *Service) recordStaffChange(ctx context.Context, before, after *User) error {
	if before.Role != after.Role {
		err := s.record(ctx, EventUserRoleChanged, after.ID, map[string]any{"user_id": after.ID,
			"from": string(before.Role), "to": string(after.Role)})
		if err != nil {
			return err
		}
	}
	switch {
	case before.Active && !after.Active:
		return s.record(ctx, EventUserDeactivated, after.ID, map[string]any{"user_id": after.ID})
	case !before.Active && after.Active:
		return s.record(ctx, EventUserReactivated, after.ID, map[string]any{"user_id": after.ID})
	}
	return nil
}
