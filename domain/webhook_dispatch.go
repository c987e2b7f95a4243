package domain

import (
	"context"
	"time"
)

// dispatchBatch is how many feed events one dispatcher transaction reads
// for one endpoint, and dispatchBatchesPerRun how many batches one run
// takes for it: an endpoint with a long backlog (enabled again after days)
// catches up over several runs without holding up the others.
const (
	dispatchBatch         = 200
	dispatchBatchesPerRun = 25
)

// DispatchWebhooks turns the event feed into delivery jobs: for every
// enabled endpoint of every workspace it reads the events after the
// endpoint's position and, in one transaction, inserts a delivery job per
// wanted event and moves the position past them. A crash or a second
// dispatcher therefore never delivers an event twice, and writers never
// wait for any of it. It spans workspaces, so it takes no principal: only
// the dispatcher job calls it. It returns the deliveries it enqueued.
func (s *Service) DispatchWebhooks(ctx context.Context) (int, error) {
	workspaces, err := s.store.WebhookWorkspaces(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, ws := range workspaces {
		wctx := SystemContext(ctx, ws)
		endpoints, err := s.store.FindWebhookEndpoints(wctx)
		if err != nil {
			return total, err
		}
		for _, e := range endpoints {
			if !e.Enabled {
				continue
			}
			for range dispatchBatchesPerRun {
				read, enqueued, err := s.dispatchEndpoint(wctx, e.ID)
				total += enqueued
				if err != nil {
					return total, err
				}
				if read < dispatchBatch {
					break
				}
			}
		}
	}
	return total, nil
}

// dispatchEndpoint moves one endpoint forward by at most one batch and
// says how many events it read and how many deliveries it enqueued.
func (s *Service) dispatchEndpoint(ctx context.Context, id string) (read, enqueued int, err error) {
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		e, err := s.store.LockWebhookEndpoint(ctx, id)
		if err != nil || !e.Enabled {
			return err
		}
		events, err := s.store.ListEventsAfter(ctx, EventFeedQuery{After: e.Position, Limit: dispatchBatch})
		if err != nil || len(events) == 0 {
			return err
		}
		read = len(events)
		for _, ev := range events {
			if !e.Wants(ev.Type) {
				continue
			}
			if err := s.store.EnqueueWebhookDelivery(ctx, WebhookJob{WorkspaceID: e.WorkspaceID, EndpointID: e.ID,
				EventID: ev.ID}); err != nil {
				return err
			}
			enqueued++
		}
		return s.store.SetWebhookPosition(ctx, e.ID, events[len(events)-1].Position)
	})
	if err != nil {
		if de, ok := AsError(err); ok && de.Code == CodeNotFound {
			return 0, 0, nil // deleted meanwhile
		}
		return 0, 0, err
	}
	return read, enqueued, nil
}

// MaxReplayEvents bounds one replay of a time range.
const MaxReplayEvents = 1000

// WebhookReplay selects events to deliver again: one event, or those
// created in [Since, Until).
type WebhookReplay struct {
	EventID string
	Since   *time.Time
	Until   *time.Time
}

// ReplayWebhook enqueues the chosen events for the endpoint again, each
// as a new delivery (with the event's id as webhook-id, as before), and
// says how many (admins). A range keeps the endpoint's event types; a
// single event is sent whatever its type. Errors: forbidden, not_found,
// invalid, conflict (disabled endpoint).
func (s *Service) ReplayWebhook(ctx context.Context, id string, r WebhookReplay) (int, error) {
	e, err := s.WebhookEndpoint(ctx, id)
	if err != nil {
		return 0, err
	}
	if !e.Enabled {
		return 0, Errorf(CodeConflict, "the endpoint is disabled: enable it before replaying")
	}
	var events []*Event
	switch {
	case r.EventID != "" && (r.Since != nil || r.Until != nil):
		return 0, FieldError("event_id", "give event_id or since and until, not both")
	case r.EventID != "":
		if !ValidID(PrefixEvent, r.EventID) {
			return 0, FieldError("event_id", "event_id is not a valid event id")
		}
		ev, err := s.store.FindEventForWebhook(ctx, r.EventID)
		if err != nil {
			return 0, err
		}
		events = []*Event{ev}
	case r.Since != nil && r.Until != nil:
		if !r.Until.After(*r.Since) {
			return 0, FieldError("until", "until must be after since")
		}
		all, err := s.store.EventsForReplay(ctx, r.Since.UTC(), r.Until.UTC(), MaxReplayEvents+1)
		if err != nil {
			return 0, err
		}
		if len(all) > MaxReplayEvents {
			return 0, FieldError("since", "the range holds more than %d events: replay a shorter one", MaxReplayEvents)
		}
		for _, ev := range all {
			if e.Wants(ev.Type) {
				events = append(events, ev)
			}
		}
	default:
		return 0, FieldError("event_id", "give event_id, or since and until")
	}
	key := NewID("rpl")
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		for _, ev := range events {
			if err := s.store.EnqueueWebhookDelivery(ctx, WebhookJob{WorkspaceID: e.WorkspaceID, EndpointID: e.ID,
				EventID: ev.ID, Key: key}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(events), nil
}

// TestWebhook records a webhook.test event and sends it to this endpoint
// alone (admins). Errors: forbidden, not_found, conflict (disabled).
func (s *Service) TestWebhook(ctx context.Context, id string) (*Event, error) {
	e, err := s.WebhookEndpoint(ctx, id)
	if err != nil {
		return nil, err
	}
	if !e.Enabled {
		return nil, Errorf(CodeConflict, "the endpoint is disabled: enable it before testing")
	}
	var test *Event
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		p, err := principal(ctx)
		if err != nil {
			return err
		}
		test = &Event{ID: NewID(PrefixEvent), WorkspaceID: p.WorkspaceID, Type: EventWebhookTest,
			Actor: actorOf(ctx, p), SubjectID: e.ID, Payload: map[string]any{"endpoint_id": e.ID}, CreatedAt: s.now()}
		if err := s.store.AppendEvent(ctx, test); err != nil {
			return err
		}
		return s.store.EnqueueWebhookDelivery(ctx, WebhookJob{WorkspaceID: e.WorkspaceID, EndpointID: e.ID,
			EventID: test.ID, Key: NewID("tst")})
	})
	if err != nil {
		return nil, err
	}
	return test, nil
}
