package domain

import (
	"context"
	"strings"

	"github.com/centralita/centralita/domain/access"
	"github.com/centralita/centralita/domain/phone"
)

// upsertConflictRetries bounds the retries of an upsert that lost a race.
const upsertConflictRetries = 4

// ContactMatch names the one key an upsert finds its contact by.
type ContactMatch struct {
	WaID        string
	Phone       string // any format, read in the workspace's default_country
	Email       string
	ExternalRef *ExternalRef
}

// defaultCountry is the caller's workspace's country for typed numbers.
func (s *Service) defaultCountry(ctx context.Context) (string, error) {
	w, err := s.store.FindWorkspace(ctx)
	if err != nil {
		return "", err
	}
	if w.DefaultCountry == "" {
		return phone.DefaultCountry, nil
	}
	return w.DefaultCountry, nil
}

// normalizePhone reads a typed number in country; an impossible one is
// invalid input naming field.
func normalizePhone(field, typed, country string) (string, error) {
	e164, err := phone.Normalize(typed, country)
	if err != nil {
		return "", FieldError(field, "%s is not a possible phone number (numbers without + are read as %s numbers, the workspace's default_country)", field, country)
	}
	return e164, nil
}

// normalizeContactInput turns phone and phone_e164 (either may be typed
// in any format) into one E.164 number and checks the external refs. It
// returns a copy: the caller's values are left alone.
func (s *Service) normalizeContactInput(ctx context.Context, in ContactInput) (ContactInput, error) {
	if in.ExternalRefs != nil {
		refs, err := validateExternalRefs("external_refs", *in.ExternalRefs)
		if err != nil {
			return in, err
		}
		in.ExternalRefs = &refs
	}
	if (in.Phone == nil || *in.Phone == "") && (in.PhoneE164 == nil || *in.PhoneE164 == "") {
		if in.Phone != nil {
			in.PhoneE164 = in.Phone // "" clears the number
		}
		return in, nil
	}
	country, err := s.defaultCountry(ctx)
	if err != nil {
		return in, err
	}
	var e164 string
	for _, f := range []struct {
		field string
		value *string
	}{{"phone", in.Phone}, {"phone_e164", in.PhoneE164}} {
		if f.value == nil || *f.value == "" {
			continue
		}
		n, err := normalizePhone(f.field, *f.value, country)
		if err != nil {
			return in, err
		}
		if e164 != "" && n != e164 {
			return in, FieldError("phone", "phone and phone_e164 name different numbers; send one")
		}
		e164 = n
	}
	in.PhoneE164, in.Phone = &e164, nil
	return in, nil
}

// normalize checks that exactly one key is given and puts it in the form
// contacts store.
func (m *ContactMatch) normalize(country string) error {
	given := 0
	for _, set := range []bool{m.WaID != "", m.Phone != "", m.Email != "", m.ExternalRef != nil} {
		if set {
			given++
		}
	}
	if given != 1 {
		return FieldError("match", "match must name exactly one of wa_id, phone, email and external_ref")
	}
	var err error
	switch {
	case m.WaID != "":
		m.WaID = strings.TrimSpace(m.WaID)
		if !digitsOnly(m.WaID) || len(m.WaID) > 20 {
			return FieldError("match.wa_id", "match.wa_id must be the digits of a WhatsApp id, without +")
		}
	case m.Phone != "":
		m.Phone, err = normalizePhone("match.phone", m.Phone, country)
	case m.Email != "":
		m.Email = NormalizeEmail(m.Email)
		if validateEmail(m.Email) != nil {
			return FieldError("match.email", "match.email is not an email address")
		}
	default:
		err = m.ExternalRef.validate("match.external_ref")
	}
	return err
}

// find returns the live contact holding the match key.
func (m ContactMatch) find(ctx context.Context, st Store) (*Contact, error) {
	switch {
	case m.WaID != "":
		return st.FindContactByWaID(ctx, m.WaID)
	case m.Phone != "":
		return st.FindContactByPhone(ctx, m.Phone)
	case m.Email != "":
		return st.FindContactByEmail(ctx, m.Email)
	}
	return st.FindContactByExternalRef(ctx, *m.ExternalRef)
}

// seed puts the match key on a contact being created by an upsert.
func (m ContactMatch) seed(c *Contact, in *ContactInput) {
	switch {
	case m.WaID != "":
		c.WaID = m.WaID
	case m.Phone != "":
		c.PhoneE164 = m.Phone
	case m.Email != "":
		c.Email = m.Email
	default:
		refs := []ExternalRef{*m.ExternalRef}
		if in.ExternalRefs != nil {
			refs = append(refs, *in.ExternalRefs...)
		}
		in.ExternalRefs = &refs
	}
}

// UpsertContact updates the live contact holding the match key with in,
// or creates it (created true). Concurrent upserts of one person create
// it once: the match keys are unique among live contacts, so the loser of
// a race gets a conflict, and a retry finds the winner's contact. Errors:
// invalid, forbidden, conflict (in gives the contact a key another
// contact holds; ExistingID names it).
func (s *Service) UpsertContact(ctx context.Context, m ContactMatch, in ContactInput) (c *Contact, created bool, err error) {
	if err := mayEditContacts(ctx); err != nil {
		return nil, false, err
	}
	country, err := s.defaultCountry(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := m.normalize(country); err != nil {
		return nil, false, err
	}
	if in, err = s.normalizeContactInput(ctx, in); err != nil {
		return nil, false, err
	}
	for attempt := 0; ; attempt++ {
		c, created, err = s.upsertOnce(ctx, m, in)
		if ErrorCode(err) == CodeConflict && attempt < upsertConflictRetries {
			continue // lost a race: the next attempt finds the winner's contact
		}
		if err != nil {
			return nil, false, s.contactTaken(ctx, c, err)
		}
		return c, created, nil
	}
}

// upsertOnce is one attempt in one transaction (or, inside an import's
// dry run, under a savepoint, so a failed attempt is undone alone and the
// next one can go on). On error c is the contact it tried to write, for
// naming a conflict.
func (s *Service) upsertOnce(ctx context.Context, m ContactMatch, in ContactInput) (c *Contact, created bool, err error) {
	err = s.store.Savepoint(ctx, func(ctx context.Context) error {
		var ferr error
		c, ferr = m.find(ctx, s.store)
		if ErrorCode(ferr) == CodeNotFound {
			now := s.now()
			c = &Contact{ID: NewID(PrefixContact), WorkspaceID: principalWorkspace(ctx),
				CustomAttributes: map[string]any{}, ExternalRefs: []ExternalRef{}, TagIDs: []string{}, CreatedAt: now, UpdatedAt: now}
			in := in
			m.seed(c, &in)
			applyContactInput(c, in)
			created = true
			_, err := s.createContact(ctx, c, in.ExternalRefs)
			return err
		}
		if ferr != nil {
			return ferr
		}
		applyContactInput(c, in)
		if err := c.validate(); err != nil {
			return err
		}
		c.UpdatedAt = s.now()
		return s.updateContact(ctx, c, in.ExternalRefs)
	})
	if c == nil {
		c = &Contact{}
	}
	return c, created, err
}

// principalWorkspace is the caller's workspace ("" without a principal,
// which every caller has checked before).
func principalWorkspace(ctx context.Context) string {
	p, _ := principal(ctx)
	return p.WorkspaceID
}

// DeleteContact deletes a contact softly: it leaves lists and reads (404),
// its conversations stay. Errors: not_found, forbidden.
func (s *Service) DeleteContact(ctx context.Context, id string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Contact(ctx, id); err != nil {
			return err
		}
		if err := mayContacts(ctx, access.DeleteContact); err != nil {
			return err
		}
		if err := s.store.DeleteContact(ctx, id, s.now()); err != nil {
			return err
		}
		return s.record(ctx, EventContactDeleted, id, map[string]any{"contact_id": id})
	})
}

// mayContacts checks a workspace-wide contact action.
func mayContacts(ctx context.Context, a access.Action) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	return p.may(a)
}
