package domain

import (
	"context"
	"slices"

	"github.com/centralita/centralita/domain/access"
)

// Contacts lists the workspace's contacts, newest first. Every role may read
// contacts: they are the shared customer base.
func (s *Service) Contacts(ctx context.Context, f ContactFilter) (Page[*Contact], error) {
	if _, err := principal(ctx); err != nil {
		return Page[*Contact]{}, err
	}
	if f.TagID != "" && !ValidID(PrefixTag, f.TagID) {
		return Page[*Contact]{}, FieldError("tag_id", "tag_id is not a valid id")
	}
	if f.MovedFromChannelID != "" && !ValidID(PrefixChannel, f.MovedFromChannelID) {
		return Page[*Contact]{}, FieldError("moved_from_channel_id", "moved_from_channel_id is not a valid id")
	}
	if len(f.Text) > 200 {
		return Page[*Contact]{}, FieldError("q", "search text must have at most 200 characters")
	}
	pq, err := f.Page.Query()
	if err != nil {
		return Page[*Contact]{}, err
	}
	return s.store.FindContacts(ctx, f, pq)
}

// Contact returns one contact. Errors: not_found.
func (s *Service) Contact(ctx context.Context, id string) (*Contact, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixContact, id) {
		return nil, NotFound("contact")
	}
	return s.store.FindContact(ctx, id)
}

// ContactsByIDs loads contacts for batching; missing ids are skipped.
func (s *Service) ContactsByIDs(ctx context.Context, ids []string) ([]*Contact, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindContactsByIDs(ctx, ids)
}

// CreateContact adds a contact. Errors: invalid, conflict (wa_id taken: the
// error names the contact holding it in ExistingID).
func (s *Service) CreateContact(ctx context.Context, in ContactInput) (*Contact, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.may(access.EditContact); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Contact{ID: NewID(PrefixContact), WorkspaceID: p.WorkspaceID, CustomAttributes: map[string]any{},
		CreatedAt: now, UpdatedAt: now}
	applyContactInput(c, in)
	created, err := s.createContact(ctx, c)
	if err != nil {
		return nil, s.waIDTaken(ctx, c, err)
	}
	return created, nil
}

// createContact validates and stores a new contact with its event.
func (s *Service) createContact(ctx context.Context, c *Contact) (*Contact, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateContact(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, EventContactCreated, c.ID, map[string]any{"contact_id": c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateContact changes a contact. Errors: not_found, invalid, conflict (as
// CreateContact).
func (s *Service) UpdateContact(ctx context.Context, id string, in ContactInput) (*Contact, error) {
	c, err := s.Contact(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayEditContacts(ctx); err != nil {
		return nil, err
	}
	applyContactInput(c, in)
	if err := c.validate(); err != nil {
		return nil, err
	}
	c.UpdatedAt = s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateContact(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, EventContactUpdated, c.ID, map[string]any{"contact_id": c.ID})
	})
	if err != nil {
		return nil, s.waIDTaken(ctx, c, err)
	}
	return c, nil
}

// waIDTaken names, on a conflict writing c, the contact that already holds
// its wa_id, so the caller can recover without searching. The lookup runs
// after the failed transaction and, like every read, only in the caller's
// workspace: wa_ids are unique per workspace, so another workspace's
// contact never conflicts and is never named.
func (s *Service) waIDTaken(ctx context.Context, c *Contact, err error) error {
	if ErrorCode(err) != CodeConflict || c.WaID == "" {
		return err
	}
	existing, ferr := s.store.FindContactByWaID(ctx, c.WaID)
	if ferr != nil || existing.ID == c.ID {
		return err // the conflict was something else
	}
	return &Error{Code: CodeConflict, Field: "wa_id", ExistingID: existing.ID,
		Message: "contact " + existing.ID + " already has this wa_id"}
}

func applyContactInput(c *Contact, in ContactInput) {
	setIf(&c.WaID, in.WaID)
	setIf(&c.PhoneE164, in.PhoneE164)
	setIf(&c.Name, in.Name)
	setIf(&c.Email, in.Email)
	if in.CustomAttributes != nil {
		c.CustomAttributes = *in.CustomAttributes
		if c.CustomAttributes == nil {
			c.CustomAttributes = map[string]any{}
		}
	}
}

// TagContact adds (or, with tagged false, removes) a tag on a contact.
// Both are idempotent; a change moves the contact's updated_at, so an
// incremental sync sees it. Errors: not_found.
func (s *Service) TagContact(ctx context.Context, contactID, tagID string, tagged bool) (*Contact, error) {
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.Contact(ctx, contactID)
		if err != nil {
			return err
		}
		if err := mayEditContacts(ctx); err != nil {
			return err
		}
		if _, err := s.Tag(ctx, tagID); err != nil {
			return err
		}
		if slices.Contains(c.TagIDs, tagID) == tagged {
			return nil
		}
		if tagged {
			err = s.store.AddContactTag(ctx, contactID, tagID)
		} else {
			err = s.store.RemoveContactTag(ctx, contactID, tagID)
		}
		if err != nil {
			return err
		}
		return s.store.TouchContact(ctx, contactID, s.now())
	})
	if err != nil {
		return nil, err
	}
	return s.store.FindContact(ctx, contactID)
}

// mayEditContacts: the customer base is shared, every role edits it (the
// access table's edit_contact).
func mayEditContacts(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	return p.may(access.EditContact)
}
