package domain

import (
	"context"
	"strings"
)

// BootstrapInput creates a workspace with its first owner.
type BootstrapInput struct {
	WorkspaceName string
	Timezone      string
	OwnerName     string
	Email         string
	Password      string
}

// Bootstrapped is what Bootstrap created.
type Bootstrapped struct {
	Workspace *Workspace
	Owner     *User
	APIKey    CreatedAPIKey
}

// Bootstrap creates a workspace with its default queue ("General"), its
// owner and an admin API key in one transaction. It needs no principal: it is run by the operator.
// Errors: invalid, conflict.
func (s *Service) Bootstrap(ctx context.Context, in BootstrapInput) (*Bootstrapped, error) {
	now := s.now()
	ws := &Workspace{ID: NewID(PrefixWorkspace), Name: in.WorkspaceName, Timezone: in.Timezone,
		CreatedAt: now, UpdatedAt: now, Lifecycle: DefaultLifecycle()}
	if err := ws.Validate(); err != nil {
		return nil, err
	}
	name := in.OwnerName
	if name == "" {
		name, _, _ = strings.Cut(in.Email, "@")
	}
	out := &Bootstrapped{Workspace: ws}
	sys := SystemContext(ctx, ws.ID)
	err := s.store.InTx(sys, func(ctx context.Context) error {
		if err := s.store.CreateWorkspace(ctx, ws); err != nil {
			return err
		}
		general, err := s.CreateQueue(ctx, QueueInput{Name: &defaultQueueName,
			Description: &defaultQueueDescription})
		if err != nil {
			return err
		}
		ws.DefaultQueueID = general.ID
		if err := s.store.UpdateWorkspace(ctx, ws); err != nil {
			return err
		}
		if err := s.seedCloseReasons(ctx); err != nil {
			return err
		}
		u, err := s.CreateUser(ctx, NewUser{Email: in.Email, Name: name, Password: in.Password, Role: RoleOwner})
		if err != nil {
			return err
		}
		out.Owner = u
		key, err := s.CreateAPIKey(ctx, NewAPIKey{Name: "bootstrap", Role: RoleAdmin})
		if err != nil {
			return err
		}
		out.APIKey = *key
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Workspace returns the caller's workspace.
func (s *Service) Workspace(ctx context.Context) (*Workspace, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindWorkspace(ctx)
}

// WorkspaceUpdate changes workspace settings; nil fields are kept.
type WorkspaceUpdate struct {
	Name           *string
	Timezone       *string
	Locale         *string
	DefaultQueueID *string
	Lifecycle      LifecycleUpdate
	// OfflineGraceMinutes: 1 to a week.
	OfflineGraceMinutes *int
	// DefaultCountry: ISO 3166 alpha-2, for phone numbers typed without +.
	DefaultCountry *string
	// EventRetentionDays: MinEventRetentionDays to MaxEventRetentionDays.
	EventRetentionDays *int
}

// UpdateWorkspace changes the caller's workspace settings (admins). It
// reads, checks and writes in one transaction, so a concurrent change (or
// the default queue's deletion) cannot slip in between.
func (s *Service) UpdateWorkspace(ctx context.Context, in WorkspaceUpdate) (*Workspace, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var w *Workspace
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if w, err = s.store.FindWorkspace(ctx); err != nil {
			return err
		}
		setIf(&w.Name, in.Name)
		setIf(&w.Timezone, in.Timezone)
		setIf(&w.Locale, in.Locale)
		if in.DefaultCountry != nil {
			if *in.DefaultCountry == "" {
				return FieldError("default_country", "default_country must be an ISO 3166 alpha-2 country code such as PE or MX")
			}
			w.DefaultCountry = *in.DefaultCountry
		}
		if in.EventRetentionDays != nil {
			if *in.EventRetentionDays == 0 { // Validate would read 0 as "the default"
				return FieldError("event_retention_days", "event_retention_days must be between %d and %d",
					MinEventRetentionDays, MaxEventRetentionDays)
			}
			w.EventRetentionDays = *in.EventRetentionDays
		}
		if in.OfflineGraceMinutes != nil {
			if *in.OfflineGraceMinutes < 1 {
				return FieldError("offline_grace_minutes", "offline_grace_minutes must be between 1 and %d", maxOfflineGraceMinutes)
			}
			w.OfflineGraceMinutes = *in.OfflineGraceMinutes
		}
		if err := w.Validate(); err != nil {
			return err
		}
		if err := in.Lifecycle.apply(&w.Lifecycle); err != nil {
			return err
		}
		if in.DefaultQueueID != nil {
			// Never empty: a conversation with no queue is one only admins see.
			if *in.DefaultQueueID == "" {
				return FieldError("default_queue_id", "a workspace always has a default queue; name another one instead")
			}
			if err := s.requireQueue(ctx, "default_queue_id", *in.DefaultQueueID); err != nil {
				return err
			}
			w.DefaultQueueID = *in.DefaultQueueID
		}
		w.UpdatedAt = s.now()
		if err := s.store.UpdateWorkspace(ctx, w); err != nil {
			return err
		}
		return s.record(ctx, EventWorkspaceUpdated, w.ID, map[string]any{"workspace_id": w.ID, "fields": givenFields(in)})
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
