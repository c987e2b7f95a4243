package persistence

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/centralita/centralita/domain"
)

// Live events across processes. On SQLite there is one process: the
// store's after-commit sink feeds the Service's hub directly. On Postgres
// every process LISTENs on one channel (live_listen.go) and feeds its own
// hub from it; each committed transaction's events are NOTIFYed by the
// process that committed them, from a goroutine, so the writer never waits
// for it. A notification batches several transactions' events up to
// Postgres's payload limit (8000 bytes); an event too large to travel
// inline travels as its id, and listeners read it back.

const (
	liveChannel = "centralita_live_events"
	// maxNotifyBytes stays under Postgres's 8000-byte payload limit.
	maxNotifyBytes = 7500
	// maxInlineEventBytes: larger events travel by id.
	maxInlineEventBytes = 3000
	// notifyQueue is how many committed transactions may wait for their
	// NOTIFY; past it live subscribers miss events (the table has them).
	notifyQueue = 4096
)

// liveEntry is one event in a notification: inline, or by reference.
type liveEntry struct {
	Event *liveWireEvent `json:"e,omitempty"`
	Ref   *liveRef       `json:"r,omitempty"`
}

type liveRef struct {
	WorkspaceID string `json:"w"`
	ID          string `json:"id"`
}

type liveWireEvent struct {
	ID          string         `json:"id"`
	WorkspaceID string         `json:"w"`
	Type        string         `json:"t"`
	ActorKind   string         `json:"ak"`
	ActorID     string         `json:"ai,omitempty"`
	SubjectID   string         `json:"s"`
	Payload     map[string]any `json:"p,omitempty"`
	CreatedAt   time.Time      `json:"at"`
}

func wireEvent(e *domain.Event) *liveWireEvent {
	return &liveWireEvent{ID: e.ID, WorkspaceID: e.WorkspaceID, Type: e.Type, ActorKind: string(e.Actor.Kind),
		ActorID: e.Actor.ID, SubjectID: e.SubjectID, Payload: e.Payload, CreatedAt: e.CreatedAt}
}

func (w *liveWireEvent) toDomain() *domain.Event {
	return &domain.Event{ID: w.ID, WorkspaceID: w.WorkspaceID, Type: w.Type,
		Actor:     domain.Actor{Kind: domain.ActorKind(w.ActorKind), ID: w.ActorID},
		SubjectID: w.SubjectID, Payload: w.Payload, CreatedAt: w.CreatedAt}
}

// notifyPayloads packs events, in order, into notification payloads of at
// most maxNotifyBytes.
func notifyPayloads(events []*domain.Event) [][]byte {
	var out [][]byte
	var encoded []json.RawMessage
	size := 2 // the brackets
	flush := func() {
		if len(encoded) > 0 {
			b, _ := json.Marshal(encoded)
			out = append(out, b)
			encoded, size = nil, 2
		}
	}
	for _, e := range events {
		b, err := json.Marshal(liveEntry{Event: wireEvent(e)})
		if err != nil || len(b) > maxInlineEventBytes {
			b, _ = json.Marshal(liveEntry{Ref: &liveRef{WorkspaceID: e.WorkspaceID, ID: e.ID}})
		}
		if size+len(b)+1 > maxNotifyBytes {
			flush()
		}
		encoded = append(encoded, b)
		size += len(b) + 1
	}
	flush()
	return out
}

// liveNotifier sends committed events with pg_notify from one goroutine.
type liveNotifier struct {
	pool    *pgxpool.Pool
	queue   chan []*domain.Event
	logger  *slog.Logger
	dropped atomic.Int64
}

// sink is the store's after-commit receiver: it never blocks.
func (n *liveNotifier) sink(events []*domain.Event) {
	select {
	case n.queue <- events:
	default:
		if n.dropped.Add(1)%1000 == 1 {
			n.logger.Warn("live events: notify queue full, live subscribers miss events", "dropped", n.dropped.Load())
		}
	}
}

// run sends what is queued until ctx ends, batching the transactions
// already waiting into as few notifications as fit.
func (n *liveNotifier) run(ctx context.Context) {
	for {
		var events []*domain.Event
		select {
		case <-ctx.Done():
			return
		case events = <-n.queue:
		}
	more:
		for len(events) < 200 {
			select {
			case next := <-n.queue:
				events = append(events, next...)
			default:
				break more
			}
		}
		for _, payload := range notifyPayloads(events) {
			if _, err := n.pool.Exec(ctx, "SELECT pg_notify($1, $2)", liveChannel, string(payload)); err != nil && ctx.Err() == nil {
				n.logger.Warn("live events: notify failed, live subscribers miss events", "error", err.Error())
			}
		}
	}
}
