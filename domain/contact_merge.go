package domain

import (
	"context"
	"maps"

	"github.com/centralita/centralita/domain/access"
)

// MergeContacts folds the contact mergedID into survivorID in one
// transaction: its conversations, tasks, tags, external refs and messages
// move to the survivor, which also takes the ids and fields it lacks (its
// wa_id, phone, email, name, attributes). The merged contact then answers
// not_found naming the survivor, and a later WhatsApp message from its
// wa_id lands on the survivor. Errors: not_found (the survivor), invalid
// (contact_id: missing, the survivor itself, or no live contact of the
// workspace), forbidden.
func (s *Service) MergeContacts(ctx context.Context, survivorID, mergedID string) (*Contact, error) {
	var out *Contact
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		survivor, err := s.Contact(ctx, survivorID)
		if err != nil {
			return err
		}
		if err := mayContacts(ctx, access.MergeContacts); err != nil {
			return err
		}
		switch {
		case mergedID == "":
			return FieldError("contact_id", "contact_id is required: the contact to merge into this one")
		case mergedID == survivorID:
			return FieldError("contact_id", "a contact cannot be merged into itself")
		}
		merged, err := s.Contact(ctx, mergedID)
		if ErrorCode(err) == CodeNotFound {
			return FieldError("contact_id", "contact_id names no contact of this workspace (it may be deleted or merged already)")
		}
		if err != nil {
			return err
		}
		now := s.now()
		if err := s.store.MergeContacts(ctx, survivorID, mergedID, now); err != nil {
			return err
		}
		absorb(survivor, merged)
		survivor.UpdatedAt = now
		if err := s.store.UpdateContact(ctx, survivor); err != nil {
			return err
		}
		if err := s.record(ctx, EventContactMerged, survivorID, map[string]any{
			"contact_id": survivorID, "survivor_id": survivorID, "merged_id": mergedID}); err != nil {
			return err
		}
		out, err = s.store.FindContact(ctx, survivorID)
		return err
	})
	return out, err
}

// absorb gives the survivor what it lacks of the merged contact: its
// identity (wa_id, BSUID, phone, email), name, lead source and the
// custom attributes it does not have. What the survivor has wins.
func absorb(survivor, merged *Contact) {
	for _, f := range []struct{ dst, src *string }{
		{&survivor.WaID, &merged.WaID}, {&survivor.UserID, &merged.UserID}, {&survivor.PhoneE164, &merged.PhoneE164},
		{&survivor.Email, &merged.Email}, {&survivor.Name, &merged.Name},
	} {
		if *f.dst == "" {
			*f.dst = *f.src
		}
	}
	if survivor.LeadSource == nil {
		survivor.LeadSource = merged.LeadSource
	}
	attrs := maps.Clone(merged.CustomAttributes)
	if attrs == nil {
		attrs = map[string]any{}
	}
	maps.Copy(attrs, survivor.CustomAttributes)
	survivor.CustomAttributes = attrs
}
