package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// twoServers starts two application instances, each with its own
// connections, on one Postgres database, as two replicas would run.
func twoServers(t *testing.T) (*testApp, *testApp) {
	t.Helper()
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("replicas share a Postgres database; SQLite serves one process")
	}
	url := persistencetest.NewURL(t)
	open := func() *testApp {
		db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: url, MaxOpenConns: 4})
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		return newTestAppOn(t, db)
	}
	return open(), open()
}

// An event committed through one server reaches a subscriber connected to
// the other, through NOTIFY and the other's LISTEN connection.
func TestLiveAcrossTwoServers(t *testing.T) {
	one, two := twoServers(t)
	d := newLiveDesk(t, one, "Live Replicas")
	sub := two.dialLive(dialOptions{})
	sub.mustInit(d.AgentToken)
	sub.subscribe("m", messageAddedQuery, nil)
	two.waitSubscribers(1)

	hidden := one.customerSays(d.tenant, d.OtherConv, "not the agent's queue")
	id := one.customerSays(d.tenant, d.SalesConv, "hola desde el otro servidor")
	m := sub.nextData("m")["messageAdded"].(map[string]any)
	require.Equal(t, id, m["id"], "the first message shown is the visible one, never %s", hidden)
	require.Equal(t, "hola desde el otro servidor", m["text"])

	// A message with text too large to travel inline in a notification
	// travels by id and is read back by the listener.
	long := randomText(4000)
	id = one.customerSays(d.tenant, d.SalesConv, long)
	m = sub.nextData("m")["messageAdded"].(map[string]any)
	require.Equal(t, id, m["id"])
	require.Equal(t, long, m["text"])
}

// When the LISTEN connection drops, the listener connects again and live
// events flow again (those committed while it was down are only in the
// feed).
func TestLiveListenerReconnects(t *testing.T) {
	one, two := twoServers(t)
	d := newLiveDesk(t, one, "Live Reconnect")
	sub := two.dialLive(dialOptions{})
	sub.mustInit(d.OwnerToken)
	sub.subscribe("m", messageAddedQuery, nil)
	two.waitSubscribers(1)

	var killed int
	require.NoError(t, one.sql().QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, persistence.ListenerApplicationName).Scan(&killed))
	require.Equal(t, 2, killed, "each server listens on one connection")

	// Keep writing until a message arrives: the first ones may be
	// committed before the listeners are back.
	arrived := make(chan string, 1)
	go func() {
		for {
			m := sub.next()
			if m.Type == "next" {
				arrived <- string(m.Payload)
				return
			}
		}
	}()
	deadline := time.After(liveWait)
	for {
		one.customerSays(d.tenant, d.SalesConv, "are you there?")
		select {
		case payload := <-arrived:
			require.Contains(t, payload, "are you there?")
			return
		case <-deadline:
			t.Fatal("no live event after the LISTEN connection was killed")
		case <-time.After(200 * time.Millisecond):
		}
	}
}
