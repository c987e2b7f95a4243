package persistence

import (
	"context"
	"sync"

	"github.com/centralita/centralita/domain"
)

// EventSink receives the events of each committed transaction, in the
// order they were appended, after the commit. It must not block: live
// subscribers are fed from it, durable consumers read the table.
type EventSink func(events []*domain.Event)

// AddEventSink adds an after-commit receiver of events (the live bus, the
// webhook dispatcher's wake-up). Call it while wiring, before serving.
func (s *Store) AddEventSink(fn EventSink) { s.eventSinks = append(s.eventSinks, fn) }

// committedEvents collects the events appended in one transaction until it
// commits. Savepoints truncate it when they roll back.
type committedEvents struct {
	mu     sync.Mutex
	events []*domain.Event
}

type committedEventsKey struct{ store *Store }

func (c *committedEvents) add(e *domain.Event) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}

func (c *committedEvents) mark() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

func (c *committedEvents) truncate(n int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if n < len(c.events) {
		c.events = c.events[:n]
	}
	c.mu.Unlock()
}

func (s *Store) eventsOf(ctx context.Context) *committedEvents {
	c, _ := ctx.Value(committedEventsKey{s}).(*committedEvents)
	return c
}

// publish hands a committed transaction's events to the sink.
func (s *Store) publish(c *committedEvents) {
	if c == nil || len(c.events) == 0 {
		return
	}
	for _, sink := range s.eventSinks {
		sink(c.events)
	}
}

// AppendEvent records a domain event in the caller's transaction; the sink
// gets it once that transaction commits (at once without a transaction).
func (s *Store) AppendEvent(ctx context.Context, e *domain.Event) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&e.WorkspaceID, ws); err != nil {
		return err
	}
	row := eventRow{ID: e.ID, WorkspaceID: e.WorkspaceID, Type: e.Type, ActorKind: string(e.Actor.Kind),
		ActorID: e.Actor.ID, SubjectID: e.SubjectID,
		Payload: jsonObject(e.Payload), CreatedAt: storedTime(&e.CreatedAt)}
	if err := db.Create(&row).Error; err != nil {
		return writeError(err, "event")
	}
	if c := s.eventsOf(ctx); c != nil {
		c.add(e)
	} else {
		s.publish(&committedEvents{events: []*domain.Event{e}})
	}
	return nil
}

// ListEventsAfter reads the workspace's feed after q.After. On Postgres an
// event is shown only once every transaction older than its own has ended
// (tx below the snapshot's xmin): a transaction that began earlier but
// commits later would otherwise appear behind a position already read.
// SQLite commits one writer at a time, so every committed event is final.
func (s *Store) ListEventsAfter(ctx context.Context, q domain.EventFeedQuery) ([]*domain.Event, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	query := db.Table("events").Where("workspace_id = ? AND (tx > ? OR (tx = ? AND seq > ?))",
		ws, q.After.Tx, q.After.Tx, q.After.Seq)
	if s.dialect == DialectPostgres {
		query = query.Where("tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
	}
	if len(q.Types) > 0 {
		query = query.Where("type IN ?", q.Types)
	}
	var rows []eventRow
	if err := query.Order("tx, seq").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, writeError(err, "event")
	}
	events := make([]*domain.Event, len(rows))
	for i := range rows {
		events[i] = rows[i].toDomain()
	}
	return events, nil
}
