package main

// A seconds-long smoke run of every load-tool scenario against the real
// binary, so the tool keeps working; timing is never asserted here (the
// figures belong in BENCHMARKS.md).

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/bench"
)

// runBench runs `centralita bench ARGS` against bin on SQLite, or on a
// fresh Postgres database when CENTRALITA_TEST_DATABASE_URL is set, and
// decodes its JSON lines.
func runBench(t *testing.T, bin string, args ...string) []bench.Result {
	t.Helper()
	args = append(args, "--server-bin", bin, "--duration", "1s", "--timeout", "20s")
	if pg := os.Getenv("CENTRALITA_TEST_DATABASE_URL"); pg != "" {
		args = append(args, "--postgres", pg)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"bench"}, args...), &stdout, &stderr)
	require.NoError(t, err, "stderr: %s", stderr.String())
	var results []bench.Result
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var r bench.Result
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		results = append(results, r)
	}
	// One human summary per JSON result.
	require.Equal(t, len(results), strings.Count(stderr.String(), " target, "), stderr.String())
	return results
}

func requireShape(t *testing.T, r bench.Result, scenario string) {
	t.Helper()
	require.Equal(t, scenario, r.Scenario)
	require.Positive(t, r.Requests)
	require.Equal(t, r.Requests, r.OK+r.ErrorCount(), "every request is answered OK or counted as an error")
	require.Positive(t, r.Latency.Max)
	require.LessOrEqual(t, r.Latency.P50, r.Latency.P99)
	require.NotNil(t, r.Server, "the tool started the server, so it reads its CPU and memory")
	require.Positive(t, r.Server.PeakRSSMB)
}

func TestBenchSmoke(t *testing.T) {
	bin := buildServer(t)
	postgres := os.Getenv("CENTRALITA_TEST_DATABASE_URL") != ""

	t.Run("ingest", func(t *testing.T) {
		for _, batch := range []string{"1", "50"} {
			results := runBench(t, bin, "ingest", "--rate", "100", "--batch", batch, "--raw-limit="+map[bool]string{true: "true", false: "false"}[postgres])
			require.Len(t, results, 1)
			r := results[0]
			requireShape(t, r, "ingest")
			require.Equal(t, "batch"+batch, r.Variant)
			require.NotNil(t, r.Check)
			require.True(t, r.Check.OK, "%+v", r.Check)
			require.Zero(t, r.Check.Lost)
			require.Zero(t, r.Check.Doubled)
			// A seconds-long run on a busy machine may have every delivery
			// answered 503 (the in-flight bound); what was acknowledged
			// must be stored.
			require.GreaterOrEqual(t, r.Check.Stored, r.Check.Acknowledged)
			require.LessOrEqual(t, r.Check.Stored, r.Check.UniqueSent)
			if postgres {
				require.NotNil(t, r.Raw, "on Postgres the raw limit runs beside the scenario")
			}
		}
	})
	t.Run("reply", func(t *testing.T) {
		results := runBench(t, bin, "reply", "--rate", "20", "--conversations-open", "20")
		require.Len(t, results, 2)
		for i, api := range []string{"rest", "graphql"} {
			requireShape(t, results[i], "reply")
			require.Equal(t, api, results[i].Variant)
			require.Positive(t, results[i].OK)
		}
	})
	t.Run("fanout", func(t *testing.T) {
		results := runBench(t, bin, "fanout", "--rate", "5", "--subscribers", "20")
		require.Len(t, results, 1)
		r := results[0]
		requireShape(t, r, "fanout")
		require.NotNil(t, r.Fanout)
		require.Equal(t, 20, r.Fanout.Subscribers)
		require.Equal(t, 20*r.Requests, r.Fanout.Expected)
		// Every message acknowledged reached every subscriber (none is
		// dropped at 5 messages/s).
		require.Equal(t, 20*r.OK, r.Fanout.Delivered)
		require.Zero(t, r.Fanout.Dropped)
	})
	t.Run("inbox", func(t *testing.T) {
		results := runBench(t, bin, "inbox", "--rate", "5", "--conversations", "300", "--messages-per", "3")
		require.Len(t, results, 10)
		for _, r := range results {
			requireShape(t, r, "inbox")
			require.NotNil(t, r.Statement, r.Variant)
			require.Positive(t, r.Statement.PerRequest, r.Variant)
		}
	})
}
