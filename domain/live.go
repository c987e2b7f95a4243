package domain

import (
	"context"
	"slices"
	"sync"

	"github.com/centralita/centralita/domain/access"
	"github.com/centralita/centralita/domain/eventbus"
)

// Live events reach GraphQL subscribers after their transaction commits:
// the store's after-commit sink (SQLite), or each process's LISTEN
// connection (Postgres), calls PublishLive, which fans them out through an
// in-process hub that never waits for a subscriber. Durable consumers
// (webhooks, the feed) read the events table instead, so a dropped live
// subscriber loses nothing it cannot read back.

// defaultLiveBuffer is how far a subscriber may fall behind: a burst of a
// few hundred events is absorbed, a stalled client is dropped.
const defaultLiveBuffer = 256

// LiveEvent is a committed event on its way to live subscribers, with the
// loads they share: however many subscribers a workspace has, the
// conversation or message an event is about is read at most once.
type LiveEvent struct {
	Event *Event
	svc   *Service

	convOnce sync.Once
	conv     *Conversation
	convErr  error

	msgOnce sync.Once
	msg     *Message
	msgErr  error
}

// PublishLive hands committed events to this process's live subscribers.
// It never blocks on a subscriber.
func (s *Service) PublishLive(events []*Event) {
	var batch []*LiveEvent
	for i, e := range events {
		batch = append(batch, &LiveEvent{Event: e, svc: s})
		if i == len(events)-1 || events[i+1].WorkspaceID != e.WorkspaceID {
			s.live.Publish(e.WorkspaceID, batch...)
			batch = nil
		}
	}
}

// LiveSubscriberCount is how many live subscriptions this process holds.
func (s *Service) LiveSubscriberCount() int { return s.live.Len() }

// CloseLive ends every live subscription (at shutdown).
func (s *Service) CloseLive() { s.live.Close() }

// LiveSubscription receives the caller's workspace's committed events. Use
// Visible to filter them for the subscriber.
type LiveSubscription struct {
	sub *eventbus.Subscription[*LiveEvent]
}

// SubscribeLive subscribes the caller to their workspace's live events.
// Errors: unauthenticated.
func (s *Service) SubscribeLive(ctx context.Context) (*LiveSubscription, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return &LiveSubscription{sub: s.live.Subscribe(p.WorkspaceID, s.opts.LiveBuffer)}, nil
}

// Events delivers the events; the channel closes when the subscription ends.
func (l *LiveSubscription) Events() <-chan *LiveEvent { return l.sub.C() }

// Close ends the subscription.
func (l *LiveSubscription) Close() { l.sub.Close() }

// Dropped reports whether the subscription ended because the subscriber
// fell more than the buffer behind.
func (l *LiveSubscription) Dropped() bool { return l.sub.Dropped() }

// ConversationID is the conversation the event is about ("" for none).
func (le *LiveEvent) ConversationID() string { return le.Event.ConversationID() }

// ConversationID is the conversation the event is about ("" for none).
func (e *Event) ConversationID() string {
	if id, _ := e.Payload["conversation_id"].(string); id != "" {
		return id
	}
	if audienceOf(e.Type) == audienceConversation && ValidID(PrefixConversation, e.SubjectID) {
		return e.SubjectID
	}
	return ""
}

// MessageID is the message the event is about ("" for none).
func (le *LiveEvent) MessageID() string {
	id, _ := le.Event.Payload["message_id"].(string)
	return id
}

// IsType reports whether the event is of one of types (all when empty).
func (le *LiveEvent) IsType(types []string) bool {
	return len(types) == 0 || slices.Contains(types, le.Event.Type)
}

// sharedConversation loads the event's conversation once for every
// subscriber, as the system of its workspace.
func (le *LiveEvent) sharedConversation(ctx context.Context) (*Conversation, error) {
	le.convOnce.Do(func() {
		sys := SystemContext(context.WithoutCancel(ctx), le.Event.WorkspaceID)
		le.conv, le.convErr = le.svc.store.FindConversation(sys, le.ConversationID())
	})
	return le.conv, le.convErr
}

// Conversation is the event's conversation as it stands now, if the
// caller may read it. Errors: not_found.
func (le *LiveEvent) Conversation(ctx context.Context) (*Conversation, error) {
	p, err := le.callerIn(ctx)
	if err != nil {
		return nil, err
	}
	if le.ConversationID() == "" {
		return nil, NotFound("conversation")
	}
	c, err := le.sharedConversation(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.mayOn(access.Read, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Message is the event's message, if the caller may read its
// conversation. Errors: not_found.
func (le *LiveEvent) Message(ctx context.Context) (*Message, error) {
	if _, err := le.callerIn(ctx); err != nil {
		return nil, err
	}
	if le.MessageID() == "" || !le.Visible(ctx) {
		return nil, NotFound("message")
	}
	le.msgOnce.Do(func() {
		sys := SystemContext(context.WithoutCancel(ctx), le.Event.WorkspaceID)
		le.msg, le.msgErr = le.svc.store.FindMessage(sys, le.MessageID())
	})
	return le.msg, le.msgErr
}

// callerIn is the caller, who must belong to the event's workspace.
func (le *LiveEvent) callerIn(ctx context.Context) (Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, err
	}
	if p.WorkspaceID != le.Event.WorkspaceID {
		return p, NotFound("event")
	}
	return p, nil
}
