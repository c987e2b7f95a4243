package bench

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

//go:embed pgbench/ingest.sql
var pgbenchIngest []byte

// RawLimit is what Postgres itself does with the minimal SQL of one
// ingest (pgbench/ingest.sql) on the same machine, right after the run.
type RawLimit struct {
	TPS     float64 `json:"tps"`
	Clients int     `json:"clients"`
	Seconds int     `json:"seconds"`
	// Ratio is the run's stored-messages throughput over TPS.
	Ratio   float64 `json:"ratio"`
	Skipped string  `json:"skipped,omitempty"`
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// rawLimit runs pgbench/ingest.sql against the target's Postgres database
// over the conversations the run created.
func rawLimit(ctx context.Context, t *Target, clients int, d time.Duration) *RawLimit {
	r := &RawLimit{Clients: clients, Seconds: int(d.Seconds())}
	if t.DatabaseURL == "" {
		r.Skipped = "SQLite: pgbench needs Postgres"
		return r
	}
	pgbench, err := exec.LookPath("pgbench")
	if err != nil {
		r.Skipped = "pgbench is not installed"
		return r
	}
	db, err := sql.Open("pgx", t.DatabaseURL)
	if err != nil {
		r.Skipped = err.Error()
		return r
	}
	defer db.Close()
	var conversations int
	err = db.QueryRowContext(ctx, `CREATE TABLE bench_raw_conversations AS
		SELECT row_number() OVER () AS k, id, workspace_id, channel_id, contact_id FROM conversations WHERE channel_id IS NOT NULL`).Err()
	if err == nil {
		defer db.ExecContext(context.Background(), "DROP TABLE bench_raw_conversations")
		_, err = db.ExecContext(ctx, "CREATE UNIQUE INDEX ON bench_raw_conversations (k)")
	}
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM bench_raw_conversations").Scan(&conversations)
	}
	if err != nil || conversations == 0 {
		r.Skipped = fmt.Sprintf("no conversations to write to (%v)", err)
		return r
	}
	dir, err := os.MkdirTemp("", "centralita-pgbench-")
	if err != nil {
		r.Skipped = err.Error()
		return r
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "ingest.sql")
	if err := os.WriteFile(script, pgbenchIngest, 0o600); err != nil {
		r.Skipped = err.Error()
		return r
	}
	out, err := exec.CommandContext(ctx, pgbench, "-n", "-f", script, "-c", strconv.Itoa(clients), "-j", "2",
		"-T", strconv.Itoa(r.Seconds), "-D", "conversations="+strconv.Itoa(conversations), t.DatabaseURL).CombinedOutput()
	m := tpsLine.FindSubmatch(out)
	if err != nil || m == nil {
		r.Skipped = fmt.Sprintf("pgbench failed: %v: %.300s", err, out)
		return r
	}
	r.TPS, _ = strconv.ParseFloat(string(m[1]), 64)
	return r
}
