package domain

import (
	"context"
	"strings"
)

// Since 2026 Meta may identify a customer by a business-scoped user id
// (BSUID, "US.13491208655302741918"; "user.93737…" in early payloads)
// instead of, or beside, the phone-based wa_id. Early payloads put the
// BSUID in wa_id and from, or leave them empty; later ones omit them.
// Either way one person stays one contact: found by BSUID, else by wa_id,
// else by phone, and each id learnt is kept on the contact.

// identifySender checks the sender's ids and moves a BSUID that arrived
// in wa_id to UserID.
func (in *InboundMessage) identifySender() error {
	in.WaID, in.UserID = strings.TrimSpace(in.WaID), strings.TrimSpace(in.UserID)
	if in.WaID != "" && !digitsOnly(in.WaID) && validUserID(in.WaID) {
		if in.UserID == "" {
			in.UserID = in.WaID
		}
		in.WaID = ""
	}
	if in.WaID != "" && (!digitsOnly(in.WaID) || len(in.WaID) > 20) {
		return FieldError("from", "the sender's wa_id must be digits")
	}
	if in.UserID != "" && !validUserID(in.UserID) {
		return FieldError("from_user_id", "the sender's user id is not a WhatsApp business-scoped user id")
	}
	if in.WaID == "" && in.UserID == "" {
		return FieldError("from", "an inbound message needs the sender's wa_id or user id")
	}
	return nil
}

// validUserID accepts Meta's BSUID shapes: a country prefix or "user",
// dots, and up to 128 letters and digits after them.
func validUserID(id string) bool {
	if len(id) < 3 || len(id) > 160 || !strings.Contains(id, ".") {
		return false
	}
	for _, r := range id {
		if !(r == '.' || r == '_' || r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

// contactForSender finds the person behind a message: by BSUID, else by
// wa_id, else by its E.164 number (the same Mexican customer writes as
// 521… and is on file as +52…; a contact created by a CRM has a phone but
// no wa_id yet), else a new contact. Ids the contact lacks are filled in,
// unless another contact already holds them (left for a person to merge).
// created says the contact is new.
func (s *Service) contactForSender(ctx context.Context, waID, userID, profileName string) (c *Contact, created bool, err error) {
	name := strings.TrimSpace(profileName)
	if len([]rune(name)) > 200 {
		name = string([]rune(name)[:200])
	}
	var e164 string
	if s.opts.PhoneE164 != nil && waID != "" {
		e164 = s.opts.PhoneE164(waID)
	}
	c, err = s.findSender(ctx, waID, userID, e164)
	if ErrorCode(err) == CodeNotFound {
		if survivor := s.mergedSender(ctx, waID, userID); survivor != nil {
			return survivor, false, nil
		}
		now := s.now()
		c, err = s.createContact(ctx, &Contact{ID: NewID(PrefixContact), WaID: waID,
			UserID: userID, PhoneE164: e164, Name: name, CustomAttributes: map[string]any{}, CreatedAt: now, UpdatedAt: now}, nil)
		return c, err == nil, err
	}
	if err != nil {
		return nil, false, err
	}
	changed := false
	if c.WaID == "" && waID != "" && s.unclaimed(ctx, s.store.FindContactByWaID, waID) {
		c.WaID, changed = waID, true
	}
	if c.UserID == "" && userID != "" && s.unclaimed(ctx, s.store.FindContactByUserID, userID) {
		c.UserID, changed = userID, true
	}
	if c.PhoneE164 == "" && e164 != "" && s.unclaimed(ctx, s.store.FindContactByPhone, e164) {
		c.PhoneE164, changed = e164, true
	}
	if c.Name == "" && name != "" {
		c.Name, changed = name, true
	}
	if changed {
		c.UpdatedAt = s.now()
		return c, false, s.store.UpdateContact(ctx, c)
	}
	return c, false, nil
}

// findSender looks a customer up by BSUID, then wa_id, then E.164 number,
// skipping the ids it is not given.
// The store does it in one lookup.
func (s *Service) findSender(ctx context.Context, waID, userID, e164 string) (*Contact, error) {
	if waID == "" && userID == "" && e164 == "" {
		return nil, NotFound("contact")
	}
	return s.store.FindSender(ctx, waID, userID, e164)
}

// mergedSender is the live contact that a merged contact with these
// WhatsApp ids was merged into, or nil: a message from a duplicate
// someone merged lands on the survivor.
func (s *Service) mergedSender(ctx context.Context, waID, userID string) *Contact {
	id, err := s.store.FindMergedSurvivor(ctx, waID, userID)
	if err != nil {
		return nil
	}
	c, err := s.store.FindContact(ctx, id)
	if err != nil || c.DeletedAt != nil {
		return nil
	}
	return c
}

// unclaimed reports whether no contact holds id yet. A lookup error counts
// as claimed: the id is simply not copied this time.
func (s *Service) unclaimed(ctx context.Context, find func(context.Context, string) (*Contact, error), id string) bool {
	_, err := find(ctx, id)
	return ErrorCode(err) == CodeNotFound
}
