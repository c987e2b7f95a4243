package domain

import "time"

// Queue is a team that conversations are routed to (Ventas, Soporte, ...).
type Queue struct {
	ID          string
	WorkspaceID string
	Name        string
	Description string
	MemberIDs   []string
	// BusinessHoursID is the plan the queue's team works by; empty means
	// always open.
	BusinessHoursID string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// AssignmentMode says whether agents claim conversations (manual) or
	// the queue hands them out (round_robin, least_busy).
	AssignmentMode AssignmentMode
	// SLAPolicyID is the policy its conversations are measured by; empty
	// means none.
	SLAPolicyID string
}

// QueueInput creates or updates a queue; nil fields keep their value on update.
type QueueInput struct {
	Name           *string
	Description    *string
	AssignmentMode *AssignmentMode
	// BusinessHoursID and SLAPolicyID name the plan and the policy of
	// this workspace the queue follows; "" clears them.
	BusinessHoursID *string
	SLAPolicyID     *string
}

// Tag labels conversations and contacts.
type Tag struct {
	ID          string
	WorkspaceID string
	Name        string
	Color       string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TagInput creates or updates a tag; nil fields keep their value on update.
type TagInput struct {
	Name  *string
	Color *string
}

func validateColor(c string) error {
	if c == "" {
		return nil
	}
	if len(c) != 7 || c[0] != '#' {
		return FieldError("color", "color must look like #1a2b3c")
	}
	for _, r := range c[1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return FieldError("color", "color must look like #1a2b3c")
		}
	}
	return nil
}
