package domain

import (
	"fmt"
	"time"

	"github.com/centralita/centralita/domain/access"
)

// ConversationStatus is where a conversation is in its lifecycle.
type ConversationStatus string

const (
	StatusNew             ConversationStatus = "new"
	StatusOpen            ConversationStatus = "open"
	StatusPendingCustomer ConversationStatus = "pending_customer"
	StatusClosed          ConversationStatus = "closed"
)

// Valid reports whether s is a known status.
func (s ConversationStatus) Valid() bool {
	switch s {
	case StatusNew, StatusOpen, StatusPendingCustomer, StatusClosed:
		return true
	}
	return false
}

// allowedTransitions lists the lifecycle edges. A conversation never goes
// back to new: it is new only until someone (or something) first handles it.
var allowedTransitions = map[ConversationStatus][]ConversationStatus{
	StatusNew:             {StatusOpen, StatusPendingCustomer, StatusClosed},
	StatusOpen:            {StatusPendingCustomer, StatusClosed},
	StatusPendingCustomer: {StatusOpen, StatusClosed},
	StatusClosed:          {StatusOpen},
}

// CanTransition reports whether a conversation may move from one status to another.
func CanTransition(from, to ConversationStatus) bool {
	for _, s := range allowedTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Priority orders work inside a queue.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	switch p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return true
	}
	return false
}

// Conversation is one thread between a contact and the business on a channel.
type Conversation struct {
	ID          string
	WorkspaceID string
	ContactID   string
	ChannelID   string // empty for conversations created through the API without a number
	QueueID     string
	AssigneeID  string
	Status      ConversationStatus
	Priority    Priority
	CloseReason string
	TagIDs      []string
	// LeadSource is the first ad referral the conversation came with.
	LeadSource *Referral
	// Version increases on every change (optimistic concurrency).
	Version              int
	CreatedAt            time.Time
	UpdatedAt            time.Time
	LastActivityAt       time.Time
	FirstHumanResponseAt *time.Time
	// LastCustomerMessageAt is the customer's newest message in this
	// conversation.
	LastCustomerMessageAt *time.Time
	// NumberLastCustomerMessageAt is the contact's newest message to this
	// conversation's number in any of their conversations there (the store
	// reads it with the conversation; nil without a number). WhatsApp keeps
	// one service window per customer and business number, so a second
	// conversation, or a reopened older one, shares the window.
	NumberLastCustomerMessageAt *time.Time
	ClosedAt                    *time.Time
	// PreviousConversationID is the closed conversation this one follows:
	// the customer wrote again after the reopen window.
	PreviousConversationID string
	// PendingSince is when the conversation last began waiting for the
	// customer (nil unless pending_customer); the auto-close timer checks it.
	PendingSince *time.Time
	// SLA is how the conversation stands against its queue's SLA policy;
	// nil when the queue has none.
	SLA *ConversationSLA
	// SLARepliedAt is the first human reply (an agent's or an
	// integration's, never an automatic one); SLAAwaitingSince the
	// customer's first message not answered by a human yet. The SLA
	// clocks start and stop on them.
	SLARepliedAt     *time.Time
	SLAAwaitingSince *time.Time
	// Routing says which rule or menu option placed the conversation and
	// why; nil until the bot or a rule decides.
	Routing *RoutingDecision
}

// NewConversation is the input for opening a conversation through the API.
type NewConversation struct {
	ContactID string
	ChannelID string
	QueueID   string
	Priority  Priority
	// PreviousConversationID links a conversation the customer opened by
	// writing after the reopen window to the one they wrote in before.
	PreviousConversationID string

	// Set by the inbound path, which has just read or written them in
	// this transaction: they need not be looked up again.
	knownContact *Contact
	knownChannel *Channel
}

// ConversationFilter narrows an inbox listing. Empty fields do not filter.
type ConversationFilter struct {
	Status     []ConversationStatus
	QueueID    string
	AssigneeID string
	Unassigned bool
	TagID      string
	ChannelID  string
	ContactID  string
	// Text matches the contact's name, wa_id or phone, or any message text.
	Text string
	Page PageRequest

	// SLAState keeps conversations whose SLA stands so (on_track, warning,
	// breached, met).
	SLAState SLAState
}

// Visibility restricts a listing to what a principal may see. It is computed
// by the domain from the principal and applied by persistence.
type Visibility struct {
	All bool
	// Otherwise: conversations assigned to AssigneeID or in one of QueueIDs.
	AssigneeID string
	QueueIDs   []string
}

// ConversationVisibility returns what the principal may see.
func ConversationVisibility(p Principal) Visibility {
	if access.Visible(p.accessRole(), access.OtherQueue) {
		return Visibility{All: true}
	}
	return Visibility{AssigneeID: p.UserID, QueueIDs: p.QueueIDs}
}

// CanSee reports whether the principal may read the conversation.
func (v Visibility) CanSee(c *Conversation) bool {
	if v.All {
		return true
	}
	if v.AssigneeID != "" && c.AssigneeID == v.AssigneeID {
		return true
	}
	for _, q := range v.QueueIDs {
		if c.QueueID == q {
			return true
		}
	}
	return false
}

// StatusChange is the input for moving a conversation through its lifecycle.
type StatusChange struct {
	Status      ConversationStatus
	CloseReason string
}

func validateCloseReason(reason string) error {
	if reason == "" {
		return FieldError("close_reason", "closing a conversation needs a close_reason")
	}
	if len([]rune(reason)) > 200 {
		return FieldError("close_reason", "close_reason must have at most 200 characters")
	}
	return nil
}

func transitionError(from, to ConversationStatus) error {
	return &Error{Code: CodeConflict, Field: "status",
		Message: fmt.Sprintf("%s conversation cannot become %s", withArticle(string(from)), to)}
}

// ServiceWindowLength is how long after a customer's last message WhatsApp
// lets a business send free-form messages; after it, only templates.
const ServiceWindowLength = 24 * time.Hour

// ServiceWindow reports whether free-form messages may be sent at now, and
// when the window closes (nil when the customer never wrote). The window
// runs from the customer's newest message to the number, whichever
// conversation it landed in; without a number, from this conversation's.
func (c *Conversation) ServiceWindow(now time.Time) (open bool, expiresAt *time.Time) {
	last := c.LastCustomerMessageAt
	// The conversation's own time can be newer than the number's as read
	// (a message recorded in this change): take the later one.
	if n := c.NumberLastCustomerMessageAt; n != nil && (last == nil || n.After(*last)) {
		last = n
	}
	if last == nil {
		return false, nil
	}
	end := last.Add(ServiceWindowLength)
	return now.Before(end), &end
}
