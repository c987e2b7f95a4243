package domain

import (
	"context"
	"math"
	"time"
)

// LifecycleSettings are a workspace's rules for how conversations move
// once a human has answered, and when a customer writes again.
type LifecycleSettings struct {
	// PendingAfterReply moves an open conversation to pending_customer
	// when a person replies in it.
	PendingAfterReply bool
	// ReopenWindow is how long after closing a customer's new message
	// reopens the conversation; after it (or when 0) the message starts a
	// new conversation linked to the closed one.
	ReopenWindow time.Duration
	// AutoClosePending closes a conversation as no_response when it has
	// waited that long for the customer (0: never).
	AutoClosePending time.Duration
}

// DefaultReopenWindow is the reopen window of a new workspace.
const DefaultReopenWindow = 72 * time.Hour

// DefaultLifecycle is what a new workspace starts with.
func DefaultLifecycle() LifecycleSettings {
	return LifecycleSettings{ReopenWindow: DefaultReopenWindow}
}

// maxLifecycleHours bounds both durations (a year).
const maxLifecycleHours = 366 * 24

// LifecycleUpdate changes lifecycle settings; nil fields are kept. Hours
// may be fractional (0.5 is half an hour), to the second.
type LifecycleUpdate struct {
	PendingAfterReply     *bool
	ReopenWindowHours     *float64
	AutoClosePendingHours *float64
}

func (u LifecycleUpdate) apply(l *LifecycleSettings) error {
	if u.PendingAfterReply != nil {
		l.PendingAfterReply = *u.PendingAfterReply
	}
	for _, h := range []struct {
		field string
		hours *float64
		dst   *time.Duration
	}{{"reopen_window_hours", u.ReopenWindowHours, &l.ReopenWindow},
		{"auto_close_pending_hours", u.AutoClosePendingHours, &l.AutoClosePending}} {
		if h.hours == nil {
			continue
		}
		d, err := hoursDuration(h.field, *h.hours)
		if err != nil {
			return err
		}
		*h.dst = d
	}
	return nil
}

// hoursDuration converts a number of hours to whole seconds.
func hoursDuration(field string, hours float64) (time.Duration, error) {
	if math.IsNaN(hours) || hours < 0 || hours > maxLifecycleHours {
		return 0, FieldError(field, "%s must be between 0 and %d", field, maxLifecycleHours)
	}
	d := time.Duration(math.Round(hours*3600)) * time.Second
	if hours > 0 && d == 0 {
		return 0, FieldError(field, "%s must be 0 or at least one second (0.0003)", field)
	}
	return d, nil
}

// mayReopen reports whether a conversation closed at closedAt reopens when
// the customer writes at now.
func (l LifecycleSettings) mayReopen(closedAt, now time.Time) bool {
	return l.ReopenWindow > 0 && now.Sub(closedAt) <= l.ReopenWindow
}

// LifecycleStore holds what the lifecycle needs beyond the other ports.
type LifecycleStore interface {
	// FindLatestConversation returns the contact's newest conversation on
	// the channel, whatever its status.
	FindLatestConversation(ctx context.Context, contactID, channelID string) (*Conversation, error)
}

// TimerAutoClosePending closes a conversation that waited too long for
// the customer.
const TimerAutoClosePending TimerKind = "auto_close_pending"

// pendsAfterReply reports whether a person's reply moves the caller's
// workspace's open conversations to pending_customer.
func (s *Service) pendsAfterReply(ctx context.Context) (bool, error) {
	ws, err := s.store.FindWorkspace(ctx)
	if err != nil {
		return false, err
	}
	return ws.Lifecycle.PendingAfterReply, nil
}

// trackPending keeps PendingSince: set when a conversation starts waiting
// for the customer, cleared when it stops.
func (s *Service) trackPending(c *Conversation, from ConversationStatus) {
	switch {
	case c.Status != StatusPendingCustomer:
		c.PendingSince = nil
	case from != StatusPendingCustomer || c.PendingSince == nil:
		now := s.now()
		c.PendingSince = &now
	}
}

// afterChange records what a change implied beyond the event its mutation
// named (a reply that opened or pended the conversation, a send that gave
// it to the agent who answered), so the timeline shows every transition
// and assignment, and starts the auto-close timer of a conversation that
// began waiting for the customer.
func (s *Service) afterChange(ctx context.Context, c *Conversation, from ConversationStatus, fromAssignee, event string) error {
	if c.Status != from && event != EventConversationStatusChanged {
		if err := s.record(ctx, EventConversationStatusChanged, c.ID, withPlacement(map[string]any{
			"from": string(from), "to": string(c.Status), "cause": event}, c)); err != nil {
			return err
		}
	}
	if c.AssigneeID != fromAssignee && event != EventConversationAssigned && event != EventConversationTransferred {
		if err := s.record(ctx, EventConversationAssigned, c.ID, withPlacement(map[string]any{
			"assignee_id": c.AssigneeID, "cause": event}, c)); err != nil {
			return err
		}
	}
	if c.Status != StatusPendingCustomer || from == StatusPendingCustomer || c.PendingSince == nil {
		return nil
	}
	ws, err := s.store.FindWorkspace(ctx)
	if err != nil || ws.Lifecycle.AutoClosePending <= 0 {
		return err
	}
	return s.schedule(ctx, TimerAutoClosePending, c.ID, c.PendingSince.Add(ws.Lifecycle.AutoClosePending))
}

// autoClosePending is the handler of TimerAutoClosePending: it closes the
// conversation as no_response if it is still waiting for the customer,
// since long enough under the current setting, and the customer has not
// written since. A timer set for an earlier wait, or before the setting
// grew, finds it not yet due and sets one for when it is (a duplicate is
// harmless: the second finds it closed).
func (s *Service) autoClosePending(ctx context.Context, conversationID string, at time.Time) error {
	ws, err := s.store.FindWorkspace(ctx)
	if err != nil || ws.Lifecycle.AutoClosePending <= 0 {
		return err
	}
	delay := ws.Lifecycle.AutoClosePending
	ctx = WithActor(ctx, Actor{Kind: ActorSystem, ID: string(TimerAutoClosePending)})
	var due *time.Time
	_, err = s.change(ctx, conversationID, func(p Principal, c *Conversation) (string, map[string]any, error) {
		if c.Status != StatusPendingCustomer || c.PendingSince == nil {
			return "", nil, nil
		}
		if c.LastCustomerMessageAt != nil && c.LastCustomerMessageAt.After(*c.PendingSince) {
			return "", nil, nil
		}
		if when := c.PendingSince.Add(delay); at.Before(when) {
			due = &when
			return "", nil, nil
		}
		now := s.now()
		c.Status, c.ClosedAt, c.CloseReason = StatusClosed, &now, CloseNoResponse
		return EventConversationStatusChanged, map[string]any{"from": string(StatusPendingCustomer),
			"to": string(StatusClosed), "close_reason": CloseNoResponse, "cause": string(TimerAutoClosePending)}, nil
	})
	if ErrorCode(err) == CodeNotFound {
		return nil
	}
	if err != nil || due == nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		return s.schedule(ctx, TimerAutoClosePending, conversationID, *due)
	})
}

// followUpConversation is where a customer's message goes when none of
// their conversations on the number is active: the newest one reopens if
// it closed within the workspace's reopen window; otherwise a new
// conversation starts, linked to it. opened says a new one was stored,
// which the inbound path routes and assigns once the message is in.
func (s *Service) followUpConversation(ctx context.Context, ch *Channel, contact *Contact) (c *Conversation, opened bool, err error) {
	fresh := NewConversation{ContactID: contact.ID, ChannelID: ch.ID, knownContact: contact, knownChannel: ch}
	last, err := s.store.FindLatestConversation(ctx, contact.ID, ch.ID)
	if ErrorCode(err) == CodeNotFound {
		c, err = s.openConversation(ctx, fresh)
		return c, err == nil, err
	}
	if err != nil {
		return nil, false, err
	}
	ws, err := s.store.FindWorkspace(ctx)
	if err != nil {
		return nil, false, err
	}
	if last.Status == StatusClosed && last.ClosedAt != nil && ws.Lifecycle.mayReopen(*last.ClosedAt, s.now()) {
		c, err = s.change(ctx, last.ID, func(p Principal, c *Conversation) (string, map[string]any, error) {
			if c.Status != StatusClosed {
				return "", nil, nil
			}
			reason := c.CloseReason
			c.Status, c.ClosedAt, c.CloseReason = StatusOpen, nil, ""
			return EventConversationStatusChanged, map[string]any{"from": string(StatusClosed),
				"to": string(StatusOpen), "close_reason": reason, "cause": "customer_wrote"}, nil
		})
		return c, false, err
	}
	fresh.PreviousConversationID = last.ID
	c, err = s.openConversation(ctx, fresh)
	return c, err == nil, err
}
