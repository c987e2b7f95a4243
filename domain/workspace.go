package domain

import (
	"strings"
	"time"

	"github.com/centralita/centralita/domain/phone"
)

// Partner is an agency that runs several client workspaces. Its API comes
// later; the relation is modelled now so workspaces can already belong to one.
type Partner struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// Workspace is the tenant: one client company.
type Workspace struct {
	ID        string
	PartnerID string // empty when the workspace is not run by a partner
	Name      string
	Timezone  string // IANA name
	Locale    string
	// DefaultQueueID is where a conversation lands when neither its
	// channel nor a rule names a queue. Every workspace has one ("General"
	// from bootstrap on), so no conversation is left where only admins
	// see it.
	DefaultQueueID string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Lifecycle settings (see lifecycle.go).
	Lifecycle LifecycleSettings
	// OfflineGraceMinutes is how long an agent may stay offline before
	// their open conversations return to their queues.
	OfflineGraceMinutes int
	// DefaultCountry (ISO 3166 alpha-2) is where phone numbers typed
	// without a country code are read ("987 654 321" is +51… in "PE").
	DefaultCountry string
	// EventRetentionDays is how long the workspace's events (its feed and
	// audit log) are kept; housekeeping deletes older ones.
	EventRetentionDays int
}

const (
	DefaultTimezone = "America/Lima"
	DefaultLocale   = "es"
)

// Validate checks the workspace fields and fills defaults.
func (w *Workspace) Validate() error {
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" || len(w.Name) > 120 {
		return FieldError("name", "name must have 1 to 120 characters")
	}
	if w.Timezone == "" {
		w.Timezone = DefaultTimezone
	}
	if _, err := loadLocation(w.Timezone); err != nil {
		return FieldError("timezone", "unknown IANA timezone %q", w.Timezone)
	}
	if w.Locale == "" {
		w.Locale = DefaultLocale
	}
	if w.OfflineGraceMinutes == 0 {
		w.OfflineGraceMinutes = DefaultOfflineGraceMinutes
	}
	if w.OfflineGraceMinutes < 1 || w.OfflineGraceMinutes > maxOfflineGraceMinutes {
		return FieldError("offline_grace_minutes", "offline_grace_minutes must be between 1 and %d", maxOfflineGraceMinutes)
	}
	if w.DefaultCountry == "" {
		w.DefaultCountry = phone.DefaultCountry
	}
	if !phone.ValidCountry(w.DefaultCountry) {
		return FieldError("default_country", "default_country must be an ISO 3166 alpha-2 country code such as PE or MX")
	}
	if w.EventRetentionDays == 0 {
		w.EventRetentionDays = DefaultEventRetentionDays
	}
	if w.EventRetentionDays < MinEventRetentionDays || w.EventRetentionDays > MaxEventRetentionDays {
		return FieldError("event_retention_days", "event_retention_days must be between %d and %d",
			MinEventRetentionDays, MaxEventRetentionDays)
	}
	if len(w.Locale) > 10 {
		return FieldError("locale", "locale must be a short language tag such as es or pt-BR")
	}
	return nil
}

// Event retention bounds: a month at least, so an integrator down for a
// while can still catch up and an audit can look back; ten years at most.
const (
	DefaultEventRetentionDays = 400
	MinEventRetentionDays     = 30
	MaxEventRetentionDays     = 3650
)

// maxOfflineGraceMinutes is a week: longer, and conversations are stranded.
const maxOfflineGraceMinutes = 7 * 24 * 60

func loadLocation(name string) (*time.Location, error) { return time.LoadLocation(name) }
