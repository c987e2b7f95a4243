package domain

import (
	"slices"
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
	// ExternalRefs are other systems' ids for this person (a CRM's), each
	// naming one contact of the workspace.
	ExternalRefs []ExternalRef
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// DeletedAt is set on a deleted (or merged) contact: it is gone from
	// lists and reads, its conversations are kept.
	DeletedAt *time.Time
	// MergedInto is the survivor a merged contact was merged into.
	MergedInto string
}

// ExternalRef is another system's id for a record: {hubspot, 123}.
type ExternalRef struct {
	System string
	ID     string
}

// String is the "system:id" form used in query strings and CSV files.
func (r ExternalRef) String() string { return r.System + ":" + r.ID }

// ParseExternalRef reads "system:id" (the system has no colon; the id may).
func ParseExternalRef(field, s string) (ExternalRef, error) {
	system, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return ExternalRef{}, FieldError(field, "%s must be system:id, such as hubspot:123", field)
	}
	r := ExternalRef{System: system, ID: id}
	return r, r.validate(field)
}

// validate: a system is a short lower-case name, an id any short text.
func (r *ExternalRef) validate(field string) error {
	r.System, r.ID = strings.ToLower(strings.TrimSpace(r.System)), strings.TrimSpace(r.ID)
	if r.System == "" || len(r.System) > 40 {
		return FieldError(field, "an external ref's system must have 1 to 40 characters")
	}
	for _, c := range r.System {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return FieldError(field, "an external ref's system may have letters, digits, _, - and . only")
		}
	}
	if r.ID == "" || len(r.ID) > 200 {
		return FieldError(field, "an external ref's id must have 1 to 200 characters")
	}
	return nil
}

func validateExternalRefs(field string, refs []ExternalRef) ([]ExternalRef, error) {
	if len(refs) > 20 {
		return nil, FieldError(field, "at most 20 external refs")
	}
	out := make([]ExternalRef, 0, len(refs))
	for _, r := range refs {
		if err := r.validate(field); err != nil {
			return nil, err
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// ContactInput creates or updates a contact; nil fields keep their value.
type ContactInput struct {
	WaID             *string
	PhoneE164        *string
	Name             *string
	Email            *string
	CustomAttributes *map[string]any
	// Phone is a number as a person types it, read in the workspace's
	// default_country; PhoneE164 is normalised the same way.
	Phone *string
	// ExternalRefs, when set, are added to the contact's (never removed:
	// a CRM adding its id must not erase another CRM's).
	ExternalRefs *[]ExternalRef
}

// ContactFilter narrows a contact listing.
type ContactFilter struct {
	// Text matches name, email, wa_id or phone (case-insensitive substring).
	Text  string
	TagID string
	// Name, Email and Phone narrow further: name as a substring, email
	// exactly, phone in any format (normalised like a contact's).
	Name  string
	Email string
	Phone string
	// ExternalRef finds the contact a system knows by an id.
	ExternalRef *ExternalRef
	// Attributes match custom attributes exactly (a text, or the number
	// or boolean it spells).
	Attributes map[string]string
	// TextPhone is Text read as a phone number, when it is one (set by
	// the service): q=987654321 also finds +51987654321.
	TextPhone string
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
	if c.WaID == "" && c.UserID == "" && c.PhoneE164 == "" && strings.TrimSpace(c.Email) == "" && len(c.ExternalRefs) == 0 {
		return FieldError("wa_id", "a contact needs a wa_id, a phone, an email or an external ref")
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
