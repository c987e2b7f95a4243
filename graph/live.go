package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/centralita/centralita/domain"
)

// Subscriptions read the Service's live events and forward, to gqlgen, the
// ones the subscriber may see, as the subscription's type. Each event is
// filtered with the subscriber's current principal (refreshed by the
// connection's periodic credential check), and the conversation or
// message it carries is loaded once for every subscriber (LiveEvent).

const (
	maxEventTypes     = 50
	maxEventTypeBytes = 100
)

// liveStream starts a subscription whose items pick chooses from each
// batch of events ready at once (so several changes committed together
// can be delivered as one).
func liveStream[T any](ctx context.Context, svc *domain.Service, pick func(ctx context.Context, batch []*domain.LiveEvent) []T) (<-chan T, error) {
	caller := liveCallerFrom(ctx)
	if caller == nil {
		return nil, domain.Errorf(domain.CodeInvalid, "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql")
	}
	if !caller.startStream() {
		return nil, domain.Errorf(domain.CodeRateLimited, "too many subscriptions on this connection (at most %d)", maxStreamsPerConnection)
	}
	sub, err := svc.SubscribeLive(ctx)
	if err != nil {
		caller.endStream()
		return nil, err
	}
	out := make(chan T)
	go func() {
		defer close(out)
		defer caller.endStream()
		defer sub.Close()
		for {
			var first *domain.LiveEvent
			var open bool
			select {
			case <-ctx.Done():
				return
			case <-caller.revoked:
				transport.AddSubscriptionError(ctx, liveError(domain.CodeUnauthenticated, "the session or API key is no longer valid"))
				return
			case first, open = <-sub.Events():
			}
			batch, open := readyBatch(sub, first, open)
			for _, item := range pick(domain.WithPrincipal(ctx, caller.principal()), batch) {
				select {
				case out <- item:
				case <-ctx.Done():
					return
				}
			}
			if !open {
				if sub.Dropped() {
					transport.AddSubscriptionError(ctx, &gqlerror.Error{
						Message:    "this subscriber fell too far behind and was dropped; read what changed with a query, then subscribe again",
						Extensions: map[string]any{"code": "SUBSCRIPTION_DROPPED"}})
				}
				return
			}
		}
	}()
	return out, nil
}

// readyBatch is first and every event already waiting after it; open is
// false once the subscription's channel has closed.
func readyBatch(sub *domain.LiveSubscription, first *domain.LiveEvent, open bool) ([]*domain.LiveEvent, bool) {
	if !open {
		return nil, false
	}
	batch := []*domain.LiveEvent{first}
	for {
		select {
		case le, ok := <-sub.Events():
			if !ok {
				return batch, false
			}
			batch = append(batch, le)
		default:
			return batch, true
		}
	}
}

func liveError(code domain.Code, message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Extensions: map[string]any{"code": strings.ToUpper(string(code))}}
}

// conversationFilter checks the optional conversationId argument: one the
// caller may not read answers as an unknown one.
func (r *Resolver) conversationFilter(ctx context.Context, id *string) (string, error) {
	if id == nil {
		return "", nil
	}
	if _, err := r.svc.Conversation(ctx, *id); err != nil {
		return "", err
	}
	return *id, nil
}

func checkEventTypes(types []string) error {
	if len(types) > maxEventTypes {
		return domain.FieldError("types", "at most %d types", maxEventTypes)
	}
	for _, t := range types {
		if t == "" || len(t) > maxEventTypeBytes {
			return domain.FieldError("types", "a type is a dotted name such as message.created")
		}
	}
	return nil
}

// updatesConversation reports whether an event changes what
// conversationUpdated shows.
func updatesConversation(eventType string) bool {
	return strings.HasPrefix(eventType, "conversation.") || strings.HasPrefix(eventType, "sla.") ||
		eventType == domain.EventMessageCreated
}
