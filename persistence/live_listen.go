package persistence

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/centralita/centralita/domain"
)

// ListenerApplicationName names the LISTEN connection in pg_stat_activity.
const ListenerApplicationName = "centralita-live-listener"

// StartLiveEvents delivers every committed transaction's events to publish
// in this process, whichever process committed them: directly on SQLite,
// through NOTIFY and a LISTEN connection on Postgres (reconnected when it
// drops; events committed while it is down are not delivered live, and
// clients catch up from the feed). It runs until ctx ends or the DB
// closes.
func (db *DB) StartLiveEvents(ctx context.Context, publish func([]*domain.Event), logger *slog.Logger) {
	if db.dialect != DialectPostgres {
		db.store.AddEventSink(publish)
		return
	}
	db.liveMu.Lock()
	db.livePublishers = append(db.livePublishers, publish)
	started := db.stopLive != nil
	if !started {
		ctx, db.stopLive = context.WithCancel(ctx)
	}
	db.liveMu.Unlock()
	if started {
		return // one notifier and one listener per database handle
	}
	publish = db.publishLive
	n := &liveNotifier{pool: db.pool, queue: make(chan []*domain.Event, notifyQueue), logger: logger}
	db.store.AddEventSink(n.sink)
	// The first LISTEN is made before returning, so a server that answers
	// requests already hears every commit.
	first, err := db.listenConn(ctx)
	if err != nil {
		logger.Warn("live events: LISTEN failed, retrying in the background", "error", err.Error())
	}
	db.liveDone.Add(2)
	go func() { defer db.liveDone.Done(); n.run(ctx) }()
	go func() { defer db.liveDone.Done(); db.listen(ctx, first, publish, logger) }()
}

// listen publishes what arrives on conn, and on a new connection whenever
// it drops.
func (db *DB) listen(ctx context.Context, conn *pgx.Conn, publish func([]*domain.Event), logger *slog.Logger) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		started := time.Now()
		err := errors.New("not connected")
		if conn != nil {
			err = db.receive(ctx, conn, publish)
			_ = conn.Close(context.WithoutCancel(ctx))
		}
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			backoff = 100 * time.Millisecond
		}
		logger.Warn("live events: LISTEN connection lost, reconnecting", "error", err.Error(), "in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
		if conn, err = db.listenConn(ctx); err != nil {
			conn = nil
		}
	}
}

// listenConn opens a dedicated connection and LISTENs on it.
func (db *DB) listenConn(ctx context.Context) (*pgx.Conn, error) {
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = ListenerApplicationName
	connectCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(connectCtx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(connectCtx, "LISTEN "+liveChannel); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return conn, nil
}

// receive publishes each notification until the connection fails.
func (db *DB) receive(ctx context.Context, conn *pgx.Conn, publish func([]*domain.Event)) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if events := db.decodeLive(ctx, n.Payload); len(events) > 0 {
			publish(events)
		}
	}
}

// decodeLive reads a notification's events, loading those sent by id.
func (db *DB) decodeLive(ctx context.Context, payload string) []*domain.Event {
	var entries []liveEntry
	if err := json.Unmarshal([]byte(payload), &entries); err != nil {
		return nil
	}
	events := make([]*domain.Event, 0, len(entries))
	for _, e := range entries {
		switch {
		case e.Event != nil:
			events = append(events, e.Event.toDomain())
		case e.Ref != nil:
			if loaded, err := db.store.findEvent(domain.SystemContext(ctx, e.Ref.WorkspaceID), e.Ref.ID); err == nil {
				events = append(events, loaded)
			}
		}
	}
	return events
}

// findEvent reads one event of the principal's workspace.
func (s *Store) findEvent(ctx context.Context, id string) (*domain.Event, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row eventRow
	if err := db.Table("events").Where("workspace_id = ? AND id = ?", ws, id).Take(&row).Error; err != nil {
		return nil, writeError(err, "event")
	}
	return row.toDomain(), nil
}

// publishLive hands events to every Service wired on this handle.
func (db *DB) publishLive(events []*domain.Event) {
	db.liveMu.Lock()
	publishers := db.livePublishers
	db.liveMu.Unlock()
	for _, publish := range publishers {
		publish(events)
	}
}
