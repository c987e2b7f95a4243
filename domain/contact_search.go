package domain

import (
	"context"
	"unicode/utf8"

	"github.com/centralita/centralita/domain/phone"
)

const maxAttributeFilters = 5

// normalizeContactFilter checks the CRM search fields and puts phone and
// email in stored form, so "987 654 321" finds +51987654321. Search text
// (q) that reads as a phone number also finds the contact by number.
func (s *Service) normalizeContactFilter(ctx context.Context, f *ContactFilter) error {
	if utf8.RuneCountInString(f.Name) > 200 {
		return FieldError("name", "name must have at most 200 characters")
	}
	if f.Email != "" {
		f.Email = NormalizeEmail(f.Email)
		if len(f.Email) > 254 {
			return FieldError("email", "email must have at most 254 characters")
		}
	}
	if f.ExternalRef != nil {
		if err := f.ExternalRef.validate("external_ref"); err != nil {
			return err
		}
	}
	if len(f.Attributes) > maxAttributeFilters {
		return FieldError("attr", "at most %d attribute filters", maxAttributeFilters)
	}
	for k, v := range f.Attributes {
		if k == "" || len(k) > 64 || len(v) > 200 {
			return FieldError("attr."+k, "attribute filters take a name of 1 to 64 characters and a value of at most 200")
		}
	}
	if f.Phone == "" && f.Text == "" {
		return nil
	}
	country, err := s.defaultCountry(ctx)
	if err != nil {
		return err
	}
	if f.Phone != "" {
		e164, err := phone.Normalize(f.Phone, country)
		if err != nil {
			return FieldError("phone", "phone is not a possible phone number (numbers without + are read as %s numbers)", country)
		}
		f.Phone = e164
	}
	if e164, err := phone.Normalize(f.Text, country); err == nil {
		f.TextPhone = e164
	}
	return nil
}
