package domain

import (
	"strings"
	"time"
)

// ChannelMode says whether a number is the official one or a legacy number
// that redirects customers to it during a transition.
type ChannelMode string

const (
	ChannelModeOfficial ChannelMode = "official"
	ChannelModeRedirect ChannelMode = "redirect"
)

// Channel is one WhatsApp Business number connected through Meta's Cloud API.
type Channel struct {
	ID                 string
	WorkspaceID        string
	Name               string
	PhoneNumberID      string // Meta's phone_number_id: routes inbound webhooks
	WABAID             string
	DisplayPhoneNumber string
	Mode               ChannelMode
	// AccessTokenSealed and AppSecretSealed are encrypted at rest (see
	// Sealer); no API ever returns them.
	AccessTokenSealed string
	AppSecretSealed   string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// ChannelInput creates or updates a channel; nil fields keep their value.
// AccessToken and AppSecret are write-only; an empty string clears them.
type ChannelInput struct {
	Name               *string
	PhoneNumberID      *string
	WABAID             *string
	DisplayPhoneNumber *string
	Mode               *ChannelMode
	AccessToken        *string
	AppSecret          *string
}

// Sealer encrypts secrets before they are stored and decrypts them for use.
type Sealer interface {
	Seal(plain string) (string, error)
	Open(sealed string) (string, error)
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (c *Channel) validate() error {
	var err error
	if c.Name == "" {
		c.Name = c.DisplayPhoneNumber
	}
	if c.Name, err = validateName("name", c.Name, 120); err != nil {
		return err
	}
	c.PhoneNumberID = strings.TrimSpace(c.PhoneNumberID)
	if !digitsOnly(c.PhoneNumberID) || len(c.PhoneNumberID) > 32 {
		return FieldError("phone_number_id", "phone_number_id must be Meta's numeric id")
	}
	c.WABAID = strings.TrimSpace(c.WABAID)
	if !digitsOnly(c.WABAID) || len(c.WABAID) > 32 {
		return FieldError("waba_id", "waba_id must be Meta's numeric WhatsApp Business Account id")
	}
	c.DisplayPhoneNumber = strings.TrimSpace(c.DisplayPhoneNumber)
	if c.DisplayPhoneNumber == "" || len(c.DisplayPhoneNumber) > 32 {
		return FieldError("display_phone_number", "display_phone_number must have 1 to 32 characters")
	}
	if c.Mode == "" {
		c.Mode = ChannelModeOfficial
	}
	if c.Mode != ChannelModeOfficial && c.Mode != ChannelModeRedirect {
		return FieldError("mode", "mode must be official or redirect")
	}
	return nil
}
