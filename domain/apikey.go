package domain

import "time"

// APIKey authenticates an integrator. The secret is shown once at creation;
// only its hash is stored.
type APIKey struct {
	ID          string
	WorkspaceID string
	Name        string
	Role        Role
	// Prefix is the first characters of the secret, shown in listings so a
	// key can be recognised without revealing it.
	Prefix     string
	SecretHash string
	CreatedBy  string
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
	CreatedAt  time.Time
}

// Usable reports whether the key authenticates at instant now.
func (k *APIKey) Usable(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// NewAPIKey is the input for creating a key.
type NewAPIKey struct {
	Name      string
	Role      Role
	ExpiresAt *time.Time
}

// CreatedAPIKey is a new key together with its one-time secret.
type CreatedAPIKey struct {
	Key    APIKey
	Secret string
}

// Session is one link of a rotating refresh-token family. Using a spent
// session's token again revokes the whole family (token theft).
type Session struct {
	ID          string
	WorkspaceID string
	UserID      string
	FamilyID    string
	TokenHash   string
	ExpiresAt   time.Time
	UsedAt      *time.Time
	RevokedAt   *time.Time
	CreatedAt   time.Time
}

// Event is a domain event recorded in the transaction that caused it; the
// webhook dispatcher, subscriptions and the pull feed read it from there.
type Event struct {
	ID          string
	WorkspaceID string
	Type        string // dotted, e.g. conversation.assigned
	// Actor is who caused it (user, api_key, bot, rule, system, partner).
	Actor     Actor
	SubjectID string
	Payload   map[string]any
	CreatedAt time.Time
	// Position is the event's place in its workspace's commit-ordered
	// feed; set when the event is read back from the store.
	Position EventPosition
}
