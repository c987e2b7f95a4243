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
	if err := s.normalizeContactFilter(ctx, &f); err != nil {
		return Page[*Contact]{}, err
	}
	pq, err := f.Page.Query()
	if err != nil {
		return Page[*Contact]{}, err
	}
	return s.store.FindContacts(ctx, f, pq)
}

// Contact returns one live contact. Errors: not_found (for a merged
// contact it names the survivor in MergedInto).
func (s *Service) Contact(ctx context.Context, id string) (*Contact, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixContact, id) {
		return nil, NotFound("contact")
	}
	c, err := s.store.FindContact(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.MergedInto != "" {
		return nil, &Error{Code: CodeNotFound, MergedInto: c.MergedInto,
			Message: "contact " + id + " was merged into contact " + c.MergedInto}
	}
	if c.DeletedAt != nil {
		return nil, NotFound("contact")
	}
	return c, nil
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
	if in, err = s.normalizeContactInput(ctx, in); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Contact{ID: NewID(PrefixContact), WorkspaceID: p.WorkspaceID, CustomAttributes: map[string]any{},
		CreatedAt: now, UpdatedAt: now}
	applyContactInput(c, in)
	created, err := s.createContact(ctx, c, in.ExternalRefs)
	if err != nil {
		return nil, s.contactTaken(ctx, c, err)
	}
	return created, nil
}

// createContact validates and stores a new contact, its external refs and
// its event.
func (s *Service) createContact(ctx context.Context, c *Contact, refs *[]ExternalRef) (*Contact, error) {
	if refs != nil && len(c.ExternalRefs) == 0 {
		c.ExternalRefs = *refs // stored with the contact below
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateContact(ctx, c); err != nil {
			return err
		}
		if err := s.addExternalRefs(ctx, c, refs); err != nil {
			return err
		}
		return s.record(ctx, EventContactCreated, c.ID, map[string]any{"contact_id": c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// addExternalRefs adds refs to c (stored and in memory).
func (s *Service) addExternalRefs(ctx context.Context, c *Contact, refs *[]ExternalRef) error {
	if refs == nil || len(*refs) == 0 {
		return nil
	}
	if err := s.store.AddContactExternalRefs(ctx, c.ID, *refs, s.now()); err != nil {
		return err
	}
	for _, r := range *refs {
		if c.ExternalRefs == nil {
			c.ExternalRefs = []ExternalRef{}
		}
		if !slices.Contains(c.ExternalRefs, r) {
			c.ExternalRefs = append(c.ExternalRefs, r)
		}
	}
	return nil
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
	if in, err = s.normalizeContactInput(ctx, in); err != nil {
		return nil, err
	}
	applyContactInput(c, in)
	if err := c.validate(); err != nil {
		return nil, err
	}
	c.UpdatedAt = s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		return s.updateContact(ctx, c, in.ExternalRefs)
	})
	if err != nil {
		return nil, s.contactTaken(ctx, c, err)
	}
	return c, nil
}

// updateContact stores a validated contact, its new refs and its event.
func (s *Service) updateContact(ctx context.Context, c *Contact, refs *[]ExternalRef) error {
	if err := s.store.UpdateContact(ctx, c); err != nil {
		return err
	}
	if err := s.addExternalRefs(ctx, c, refs); err != nil {
		return err
	}
	return s.record(ctx, EventContactUpdated, c.ID, map[string]any{"contact_id": c.ID})
}

// contactTaken names, on a conflict writing c, the contact that already
// holds its wa_id, BSUID, phone or email, so the caller can recover
// without searching. The lookups run after the failed transaction and,
// like every read, only in the caller's workspace: these ids are unique
// per workspace, so another workspace's contact never conflicts and is
// never named.
func (s *Service) contactTaken(ctx context.Context, c *Contact, err error) error {
	if e, ok := AsError(err); !ok || e.Code != CodeConflict || e.ExistingID != "" {
		return err
	}
	for _, key := range []struct {
		field, value string
		find         func(context.Context, string) (*Contact, error)
	}{
		{"wa_id", c.WaID, s.store.FindContactByWaID}, {"user_id", c.UserID, s.store.FindContactByUserID},
		{"phone_e164", c.PhoneE164, s.store.FindContactByPhone}, {"email", c.Email, s.store.FindContactByEmail},
	} {
		if key.value == "" {
			continue
		}
		if existing, ferr := key.find(ctx, key.value); ferr == nil && existing.ID != c.ID {
			return &Error{Code: CodeConflict, Field: key.field, ExistingID: existing.ID,
				Message: "contact " + existing.ID + " already has this " + key.field}
		}
	}
	return err // the conflict was something else
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
