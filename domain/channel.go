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
	// Redirect mode: the auto-reply text ({official_number} and {link} are
	// filled in), how often one contact gets it, and the sunset after which
	// the number stops answering.
	RedirectText  string
	RedirectEvery time.Duration
	RedirectUntil *time.Time
	// DefaultQueueID is where this number's new conversations land; empty
	// means the workspace's default queue.
	DefaultQueueID string
	CreatedAt      time.Time
	UpdatedAt      time.Time
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
	RedirectText       *string
	RedirectEveryHours *int
	RedirectUntil      *time.Time
	// DefaultQueueID: an empty string goes back to the workspace's default.
	DefaultQueueID *string
}

// DefaultRedirectText is the legacy number's auto-reply until a workspace
// writes its own.
const DefaultRedirectText = "¡Hola! Este número ya no se atiende. Escríbenos a nuestra línea oficial {official_number}: {link}"

// DefaultRedirectEvery is how often one contact gets the auto-reply.
const DefaultRedirectEvery = 24 * time.Hour

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
	if c.RedirectText == "" {
		c.RedirectText = DefaultRedirectText
	}
	if len([]rune(c.RedirectText)) > 1000 {
		return FieldError("redirect_text", "redirect_text must have at most 1000 characters")
	}
	if c.RedirectEvery == 0 {
		c.RedirectEvery = DefaultRedirectEvery
	}
	if c.RedirectEvery < time.Hour || c.RedirectEvery > 90*24*time.Hour {
		return FieldError("redirect_every_hours", "redirect_every_hours must be between 1 and 2160")
	}
	return nil
}
