package domain

import (
	"strings"
	"time"
)

// Contact is one person per workspace, whichever number they wrote to.
type Contact struct {
	ID          string
	WorkspaceID string
	// WaID is the WhatsApp user id exactly as Meta sends it (digits, no +).
	WaID string
	// UserID is Meta's business-scoped user id (BSUID), set from webhooks;
	// some customers have only this and no phone number.
	UserID string
	// PhoneE164 is the normalised number (+5215512345678 -> +525512345678)
	// kept beside WaID for search and merging; empty when unknown.
	PhoneE164        string
	Name             string
	Email            string
	CustomAttributes map[string]any
	TagIDs           []string
	// LeadSource is the first ad referral the person came with.
	LeadSource *Referral
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ContactInput creates or updates a contact; nil fields keep their value.
type ContactInput struct {
	WaID             *string
	PhoneE164        *string
	Name             *string
	Email            *string
	CustomAttributes *map[string]any
}

// ContactFilter narrows a contact listing.
type ContactFilter struct {
	// Text matches name, email, wa_id or phone (case-insensitive substring).
	Text  string
	TagID string
	// MovedFromChannelID keeps contacts who wrote to that (legacy) number
	// and have since written to an official one.
	MovedFromChannelID string
	Page               PageRequest
}

func (c *Contact) validate() error {
	c.WaID = strings.TrimSpace(c.WaID)
	if c.WaID != "" && (!digitsOnly(c.WaID) || len(c.WaID) > 20) {
		return FieldError("wa_id", "wa_id must be the digits of a WhatsApp id, without +")
	}
	c.PhoneE164 = strings.TrimSpace(c.PhoneE164)
	if c.PhoneE164 != "" && (len(c.PhoneE164) < 8 || len(c.PhoneE164) > 16 || c.PhoneE164[0] != '+' || !digitsOnly(c.PhoneE164[1:])) {
		return FieldError("phone_e164", "phone_e164 must look like +5215512345678")
	}
	if c.WaID == "" && c.UserID == "" && c.PhoneE164 == "" && strings.TrimSpace(c.Email) == "" {
		return FieldError("wa_id", "a contact needs a wa_id, a phone_e164 or an email")
	}
	c.Name = strings.TrimSpace(c.Name)
	if len([]rune(c.Name)) > 200 {
		return FieldError("name", "name must have at most 200 characters")
	}
	c.Email = NormalizeEmail(c.Email)
	if c.Email != "" {
		if err := validateEmail(c.Email); err != nil {
			return err
		}
	}
	if len(c.CustomAttributes) > 100 {
		return FieldError("custom_attributes", "at most 100 custom attributes")
	}
	for k := range c.CustomAttributes {
		if k == "" || len(k) > 64 {
			return FieldError("custom_attributes", "attribute names must have 1 to 64 characters")
		}
	}
	return nil
}
