package domain

import (
	"net/mail"
	"strings"
	"time"
)

// Availability tells routing whether an agent takes new conversations.
type Availability string

const (
	AvailabilityOnline  Availability = "online"
	AvailabilityAway    Availability = "away"
	AvailabilityOffline Availability = "offline"
)

// Valid reports whether a is a known availability.
func (a Availability) Valid() bool {
	return a == AvailabilityOnline || a == AvailabilityAway || a == AvailabilityOffline
}

// User is an agent (or supervisor, admin, owner) of one workspace.
type User struct {
	ID           string
	WorkspaceID  string
	Email        string
	Name         string
	Role         Role
	Availability Availability
	// Capacity is the most open conversations the user should hold at once.
	Capacity     int
	Active       bool
	PasswordHash string
	// TokenVersion is carried in access tokens; bumping it (password change,
	// deactivation, role change) invalidates every token issued before.
	TokenVersion int
	QueueIDs     []string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DefaultCapacity is the open-conversation capacity of a new agent.
const DefaultCapacity = 10

// NewUser is the input for creating a user.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     Role
	Capacity *int
	QueueIDs []string
}

// UserUpdate changes a user; nil fields are left as they are.
type UserUpdate struct {
	Name         *string
	Role         *Role
	Availability *Availability
	Capacity     *int
	Active       *bool
	QueueIDs     *[]string
}

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validateEmail(email string) error {
	if len(email) > 254 {
		return FieldError("email", "email is too long")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email {
		return FieldError("email", "email must be a plain address such as ana@example.com")
	}
	return nil
}

// ValidatePassword applies the password policy.
func ValidatePassword(pw string) error {
	if len(pw) < 10 {
		return FieldError("password", "password must have at least 10 characters")
	}
	if len(pw) > 200 {
		return FieldError("password", "password must have at most 200 characters")
	}
	return nil
}

func validateName(field, name string, max int) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > max {
		return name, FieldError(field, "%s must have 1 to %d characters", field, max)
	}
	return name, nil
}

func validateCapacity(c int) error {
	if c < 0 || c > 1000 {
		return FieldError("capacity", "capacity must be between 0 and 1000")
	}
	return nil
}

// UserFilter narrows a user listing.
type UserFilter struct {
	QueueID string
	Role    Role
	Active  *bool
	Page    PageRequest
}
