package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// The demo workspace's well-known credentials (cmd/centralita/demo.go):
// the tool starts `centralita serve --demo` and drives it with these.
const (
	DemoAPIKey    = "ck_demo_local_only_do_not_use_in_production"
	DemoAppSecret = "demo-app-secret"
)

// DemoNumbers are the demo's phone_number_ids: the official line and the
// legacy (redirect) one.
var DemoNumbers = []string{"100000000000001", "100000000000002"}

// Target is the server under load and where its data lives.
type Target struct {
	URL string // http://127.0.0.1:PORT
	PID int    // 0 when unknown: no CPU or memory figures
	// DatabaseURL is the Postgres database, or "" for SQLite at SQLitePath.
	DatabaseURL string
	SQLitePath  string
	stop        func()
}

// Database names the dialect for results.
func (t *Target) Database() string {
	if t.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}

// Stop ends a server the tool started (no-op otherwise).
func (t *Target) Stop() {
	if t.stop != nil {
		t.stop()
	}
}

// ServerOptions say how to start a server.
type ServerOptions struct {
	Bin string // the centralita binary; default: this executable
	// PostgresURL, when set, is a server the tool creates a fresh
	// database on (dropped afterwards); else SQLite in a temporary dir.
	PostgresURL string
	// GraphLatency delays every answer of the demo's fake Graph API.
	GraphLatency time.Duration
	Log          io.Writer // the server's stderr; default discarded
	Env          []string
}

// StartServer runs `centralita serve --demo` on a free loopback port with
// fresh data and waits until it is ready.
func StartServer(ctx context.Context, o ServerOptions) (*Target, error) {
	bin := o.Bin
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "centralita-bench-")
	if err != nil {
		return nil, err
	}
	t := &Target{SQLitePath: filepath.Join(dir, "centralita.db")}
	cleanups := []func(){func() { os.RemoveAll(dir) }}
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	if o.PostgresURL != "" {
		dbURL, drop, err := freshDatabase(ctx, o.PostgresURL)
		if err != nil {
			cleanup()
			return nil, err
		}
		t.DatabaseURL, t.SQLitePath = dbURL, ""
		cleanups = append(cleanups, drop)
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		cleanup()
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--demo")
	cmd.Env = append(os.Environ(), "CENTRALITA_ADDR="+addr, "CENTRALITA_DATA_DIR="+dir,
		"CENTRALITA_LOG_LEVEL=warn", "WHATSAPP_APP_SECRET="+DemoAppSecret, "DATABASE_URL="+t.DatabaseURL,
		"CENTRALITA_DEMO_GRAPH_LATENCY="+o.GraphLatency.String(),
		// The tool measures capacity, not quotas: one demo key sends far
		// more than a minute's default allowance.
		"CENTRALITA_API_RATE_LIMIT=0")
	cmd.Env = append(cmd.Env, o.Env...)
	cmd.Stdout = io.Discard
	cmd.Stderr = o.Log
	if cmd.Stderr == nil {
		cmd.Stderr = io.Discard
	}
	if err := cmd.Start(); err != nil {
		cleanup()
		return nil, err
	}
	// exited is closed when the process has ended (exitErr then says how):
	// closed rather than sent to, so waitReady noticing an early exit does
	// not leave Stop waiting forever for a value already taken.
	exited := make(chan struct{})
	var exitErr error
	go func() { exitErr = cmd.Wait(); close(exited) }()
	t.URL, t.PID = "http://"+addr, cmd.Process.Pid
	t.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		cleanup()
	}
	if err := waitReady(ctx, t.URL, exited, func() error { return exitErr }); err != nil {
		t.Stop()
		return nil, err
	}
	return t, nil
}

// waitReady polls /readyz and the demo API key until both answer.
func waitReady(ctx context.Context, base string, exited <-chan struct{}, exitErr func() error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("bench: the server exited while starting: %v (run with --server-log to see why)", exitErr())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/channels", nil)
		req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("bench: the server at %s was not ready within 60 s", base)
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// freshDatabase creates an empty database beside the one adminURL names
// and returns its URL and how to drop it.
func freshDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: --postgres: %w", err)
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: --postgres: %w", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("centralita_bench_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("bench: create database: %w", err)
	}
	u.Path = "/" + name
	drop := func() {
		c, err := pgx.Connect(context.Background(), adminURL)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	}
	return u.String(), drop, nil
}

// checkLoopback refuses any target that is not this machine.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("bench: --url must be http://127.x.x.x:PORT, http://localhost:PORT or http://[::1]:PORT")
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("bench: only a server on this machine may be loaded (got %q): --url must be a loopback address", host)
}
