package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence/persistencetest"
)

// TestBootstrapPrintsWorkspaceUserAndKey checks the documented contract of
// `centralita bootstrap` on the embedded database.
func TestBootstrapPrintsWorkspaceUserAndKey(t *testing.T) {
	if persistencetest.Dialect() != "sqlite" {
		t.Skip("the CLI opens its own database; covered on SQLite")
	}
	dir := t.TempDir()
	t.Setenv("CENTRALITA_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "")
	t.Setenv("CENTRALITA_ARGON2_MEMORY_KIB", "64")
	t.Setenv("CENTRALITA_ARGON2_ITERATIONS", "1")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"bootstrap", "--workspace", "Acme", "--email", "boss@acme.test",
		"--password", "a-long-password"}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	var printed map[string]string
	require.NoError(t, json.Unmarshal(out.Bytes(), &printed), out.String())
	require.Regexp(t, `^ws_`, printed["workspace_id"])
	require.Regexp(t, `^usr_`, printed["user_id"])
	require.Regexp(t, `^ck_`, printed["api_key"])
	require.Regexp(t, `^que_`, printed["default_queue_id"], "the General queue new conversations land in")

	// The same email cannot own a second copy of the same workspace name
	// silently: a second bootstrap is a separate workspace with its own key.
	out.Reset()
	require.Error(t, run(context.Background(), []string{"bootstrap", "--workspace", "Acme"}, &out, &errOut))
}

// TestDemoSeedsOnceAndEveryStatus checks what `serve --demo` promises: the
// queues, agents and conversations in every status, seeded only once.
func TestDemoSeedsOnceAndEveryStatus(t *testing.T) {
	a := newTestApp(t)
	wired := &app{db: a.DB, service: a.Service}
	info, err := seedDemo(context.Background(), wired)
	require.NoError(t, err)
	require.True(t, info.Seeded)
	again, err := seedDemo(context.Background(), wired)
	require.NoError(t, err)
	require.False(t, again.Seeded)
	require.Equal(t, info.WorkspaceID, again.WorkspaceID)

	res := a.do(http.MethodGet, "/v1/conversations?limit=100", demoAPIKey, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var body struct {
		Data []struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	res.decode(t, &body)
	seen := map[string]bool{}
	for _, c := range body.Data {
		seen[c.Status] = true
	}
	require.Equal(t, map[string]bool{"new": true, "open": true, "pending_customer": true, "closed": true}, seen)
	res = a.do(http.MethodGet, "/v1/queues", demoAPIKey, nil)
	for _, q := range []string{"Ventas", "Soporte", "Cobranzas"} {
		require.Contains(t, string(res.Body), q)
	}
	token := a.login("ana@demo.centralita.dev", demoPassword)
	require.NotEmpty(t, token)
}

// TestMigrateIsRepeatable runs `centralita migrate` twice on a fresh
// embedded database: versioned migrations apply once and then are a no-op.
func TestMigrateIsRepeatable(t *testing.T) {
	if persistencetest.Dialect() != "sqlite" {
		t.Skip("the CLI opens its own database; covered on SQLite")
	}
	t.Setenv("CENTRALITA_DATA_DIR", t.TempDir())
	t.Setenv("DATABASE_URL", "")
	for range 2 {
		var out, errOut bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"migrate"}, &out, &errOut), errOut.String())
		require.Contains(t, errOut.String(), "migrations applied")
	}
	require.Error(t, run(context.Background(), []string{"frobnicate"}, &bytes.Buffer{}, &bytes.Buffer{}))
}

// TestGraphiQLOnlyWhenEnabled checks the GraphiQL page is opt-in.
func TestGraphiQLOnlyWhenEnabled(t *testing.T) {
	off := newTestApp(t)
	res := off.do(http.MethodGet, "/graphql", "", nil)
	require.NotEqual(t, http.StatusOK, res.Status)
	on := newTestApp(t, func(c *Config) { c.GraphiQL = true })
	res = on.do(http.MethodGet, "/graphql", "", nil)
	require.Equal(t, http.StatusOK, res.Status)
	require.Contains(t, string(res.Body), "<html")
}

// Asking for help prints the usage to stdout and succeeds, for centralita
// and each command; a bad flag or argument prints it to stderr and fails,
// and nothing runs either way (no database is opened without a data dir).
func TestHelpExitsCleanly(t *testing.T) {
	t.Setenv("CENTRALITA_DATA_DIR", t.TempDir())
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "usage: centralita [COMMAND]"},
		{[]string{"-h"}, "usage: centralita [COMMAND]"},
		{[]string{"help"}, "usage: centralita [COMMAND]"},
		{[]string{"serve", "--help"}, "usage: centralita serve [--demo]"},
		{[]string{"migrate", "-h"}, "usage: centralita migrate"},
		{[]string{"bootstrap", "--help"}, "usage: centralita bootstrap --workspace"},
		{[]string{"simulate", "--help"}, "usage: centralita simulate --url"},
		{[]string{"help", "simulate"}, "-count int"},
	} {
		var out, errOut bytes.Buffer
		require.NoError(t, run(context.Background(), tc.args, &out, &errOut), "%v", tc.args)
		require.Contains(t, out.String(), tc.want, "%v", tc.args)
		require.Empty(t, errOut.String(), "%v", tc.args)
	}
	for _, args := range [][]string{{"simulate", "--frobnicate"}, {"serve", "extra"}, {"migrate", "now"}} {
		var out, errOut bytes.Buffer
		require.Error(t, run(context.Background(), args, &out, &errOut), "%v", args)
		require.Empty(t, out.String(), "%v", args)
		require.Contains(t, errOut.String(), "usage: centralita "+args[0], "%v", args)
	}
}

// A Postgres nobody listens at stops the start with one clear line (the
// error main prints), not also gorm's own half-formatted log of it.
func TestUnreachableDatabaseFailsWithOneLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	t.Setenv("DATABASE_URL", "postgres://centralita@"+addr+"/centralita?sslmode=disable&connect_timeout=5")
	t.Setenv("CENTRALITA_DATA_DIR", t.TempDir())
	for _, command := range []string{"serve", "migrate"} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{command}, &out, &errOut)
		require.Error(t, err, command)
		output := errOut.String() + "centralita: " + err.Error() + "\n" // as main prints it
		var failures []string
		for line := range strings.Lines(output) {
			require.NotContains(t, line, "%v", command)
			require.NotContains(t, line, "failed to initialize database", command)
			if strings.Contains(line, addr) || strings.Contains(strings.ToLower(line), "error") {
				failures = append(failures, line)
			}
		}
		require.Len(t, failures, 1, "%s:\n%s", command, output)
		require.Contains(t, failures[0], "connection refused", command)
	}
}
