package domain

import (
	"context"
	"time"
)

// BoardStatuses are the board's columns, in order: Nuevos, En atención,
// Pendientes de respuesta del cliente, Cerrados.
var BoardStatuses = []ConversationStatus{StatusNew, StatusOpen, StatusPendingCustomer, StatusClosed}

const (
	// DefaultBoardLimit is how many cards each column shows.
	DefaultBoardLimit = 20
	// DefaultBoardClosedPeriod is how far back the closed column reaches.
	DefaultBoardClosedPeriod = 7 * 24 * time.Hour
)

// BoardFilter narrows the board. Empty fields do not filter.
type BoardFilter struct {
	QueueID    string
	AssigneeID string
	// ClosedSince limits the closed column to conversations closed at or
	// after it (default: the last seven days).
	ClosedSince *time.Time
	// Limit is the number of cards per column (default 20, 1-100).
	Limit *int
}

// BoardQuery is a validated BoardFilter.
type BoardQuery struct {
	QueueID     string
	AssigneeID  string
	ClosedSince time.Time
	Limit       int
}

// BoardColumn is one status: how many visible conversations have it, and
// the first page of them, most recent activity first (Conversations'
// next cursor continues in GET /v1/conversations?status=…).
type BoardColumn struct {
	Status        ConversationStatus
	Count         int
	Conversations Page[*Conversation]
}

// BoardStore answers the board in a fixed number of statements: one count
// grouped by status, one page per column and one for their tags.
type BoardStore interface {
	FindBoard(ctx context.Context, q BoardQuery, vis Visibility) ([]BoardColumn, error)
}

// Board returns the four status columns of what the caller may see.
// Errors: invalid.
func (s *Service) Board(ctx context.Context, f BoardFilter) ([]BoardColumn, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if f.QueueID != "" && !ValidID(PrefixQueue, f.QueueID) {
		return nil, FieldError("queue_id", "queue_id is not a valid id")
	}
	if f.AssigneeID != "" && !ValidID(PrefixUser, f.AssigneeID) {
		return nil, FieldError("assignee_id", "assignee_id is not a valid id")
	}
	q := BoardQuery{QueueID: f.QueueID, AssigneeID: f.AssigneeID, Limit: DefaultBoardLimit,
		ClosedSince: s.now().Add(-DefaultBoardClosedPeriod)}
	if f.Limit != nil {
		if *f.Limit < 1 || *f.Limit > MaxPageSize {
			return nil, FieldError("limit", "limit must be between 1 and %d", MaxPageSize)
		}
		q.Limit = *f.Limit
	}
	if f.ClosedSince != nil {
		q.ClosedSince = f.ClosedSince.UTC()
	}
	return s.store.FindBoard(ctx, q, ConversationVisibility(p))
}
