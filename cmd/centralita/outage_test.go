package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
	"github.com/centralita/centralita/whatsapp"
)

// twoHandles opens one migrated, empty database twice: the application
// gets the first, which a test may close to cut it off, and the test
// looks through the second. dbURL is "" on SQLite.
func twoHandles(t *testing.T) (app, probe *persistence.DB, dbURL string) {
	t.Helper()
	dbURL, dir := persistencetest.NewURL(t), t.TempDir()
	open := func() *persistence.DB {
		db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: dbURL, DataDir: dir})
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	app = open()
	if dbURL == "" { // NewURL's Postgres databases come migrated
		require.NoError(t, app.Migrate(context.Background()))
	}
	return app, open(), dbURL
}

// While the database cannot be reached, a delivery is answered 503 (Meta
// retries it) and REST callers are told to come back, not that the server
// is broken (T12).
func TestWebhookAnswers503WhileTheDatabaseIsDown(t *testing.T) {
	db, probe, _ := twoHandles(t)
	a := newTestAppOn(t, db)
	tn := a.bootstrap("Outage Co")
	a.channel(tn, "106540352242922")
	require.NoError(t, db.Close())

	for name, res := range map[string]response{
		"webhook":     a.deliver(fixture(t, "inbound_text.json")),
		"unparseable": a.deliver([]byte("not json"), whatsapp.Sign([]byte("not json"), "some number's secret")),
		"rest":        a.do(http.MethodGet, "/v1/conversations", tn.APIKey, nil),
		// Authenticating the caller already needs the database.
		"graphql": a.do(http.MethodPost, "/graphql", tn.OwnerToken, map[string]any{"query": `{ me { id } }`}),
	} {
		require.Equal(t, http.StatusServiceUnavailable, res.Status, "%s: %s", name, res.Body)
		require.Contains(t, res.Header.Get("Content-Type"), "application/problem+json", name)
		require.Contains(t, string(res.Body), `"code":"unavailable"`, name)
		require.Equal(t, "5", res.Header.Get("Retry-After"), name)
	}
	for _, table := range []string{"messages", "contacts", "conversations", "webhook_dead_letters"} {
		var n int
		require.NoError(t, persistencetest.SQL(t, probe).QueryRow("SELECT count(*) FROM "+table).Scan(&n))
		require.Zero(t, n, table)
	}
}

// Postgres going away under a running server (its connections cut, new
// ones refused) is an outage too, not an internal error.
func TestWebhookAnswers503WhenPostgresGoesAway(t *testing.T) {
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("Postgres only: SQLite is a file inside the process")
	}
	_, probe, direct := twoHandles(t)
	u, err := url.Parse(direct)
	require.NoError(t, err)
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: u.String()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	a := newTestAppOn(t, db)
	tn := a.bootstrap("Outage Co")
	a.channel(tn, "106540352242922")
	proxy.stop()

	for name, res := range map[string]response{
		"webhook": a.deliver(fixture(t, "inbound_text.json")),
		"rest":    a.do(http.MethodGet, "/v1/conversations", tn.APIKey, nil),
	} {
		require.Equal(t, http.StatusServiceUnavailable, res.Status, "%s: %s", name, res.Body)
		require.Contains(t, string(res.Body), `"code":"unavailable"`, name)
	}
	var n int
	require.NoError(t, persistencetest.SQL(t, probe).QueryRow("SELECT count(*) FROM messages").Scan(&n))
	require.Zero(t, n)
}

// tcpProxy forwards connections to a server until stopped; then it cuts
// the open ones and refuses new ones, as a stopped server would.
type tcpProxy struct {
	addr  string
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &tcpProxy{addr: ln.Addr().String(), ln: ln}
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				_ = in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); _ = out.Close() }()
			go func() { _, _ = io.Copy(in, out); _ = in.Close() }()
		}
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *tcpProxy) stop() {
	_ = p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}
