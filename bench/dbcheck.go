package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "github.com/glebarez/go-sqlite" // database/sql driver "sqlite"
	"github.com/jackc/pgx/v5/stdlib"
)

// StoreCheck is what the database holds of a run's messages: each unique
// message sent is stored once (nothing lost, nothing doubled).
type StoreCheck struct {
	// UniqueSent is the distinct messages of the deliveries posted at
	// least once; Acknowledged those of deliveries answered 200 at least
	// once; Stored the distinct messages of the run in the database.
	UniqueSent   int `json:"unique_sent"`
	Acknowledged int `json:"acknowledged"`
	Stored       int `json:"stored"`
	// Lost counts acknowledged messages missing from the database;
	// Doubled counts rows beyond one per wamid.
	Lost    int `json:"lost"`
	Doubled int `json:"doubled"`
	// OK: nothing lost, nothing doubled, and when every post was answered
	// 200, exactly the unique messages sent are stored.
	OK bool `json:"ok"`
}

// openDB opens the target's database for counting (and seeding).
func openDB(t *Target) (*sql.DB, error) {
	if t.DatabaseURL != "" {
		return sql.Open("pgx", t.DatabaseURL)
	}
	if t.SQLitePath == "" {
		return nil, fmt.Errorf("bench: no database to check: give --database-url or --sqlite with --url")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	return sql.Open("sqlite", t.SQLitePath+"?"+q.Encode())
}

var _ = stdlib.GetDefaultDriver // registers "pgx"

// checkStored counts the run's messages in the database.
func checkStored(ctx context.Context, t *Target, plan *ingestPlan, samples []Sample, attempted []bool) (*StoreCheck, error) {
	db, err := openDB(t)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT provider_message_id, count(*) FROM messages
		WHERE provider_message_id LIKE $1 GROUP BY provider_message_id`, plan.wamidPrefix()+"%")
	if err != nil {
		return nil, fmt.Errorf("bench: count stored messages: %w", err)
	}
	defer rows.Close()
	stored := map[string]bool{}
	c := &StoreCheck{}
	for rows.Next() {
		var wamid string
		var n int
		if err := rows.Scan(&wamid, &n); err != nil {
			return nil, err
		}
		stored[wamid] = true
		c.Doubled += n - 1
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.Stored = len(stored)
	posted := make([]bool, len(plan.deliveries))
	acked := make([]bool, len(plan.deliveries))
	allOK := true
	for i, p := range plan.posts {
		if p.delivery < 0 || i >= len(samples) {
			continue
		}
		posted[p.delivery] = posted[p.delivery] || attempted[i]
		ok := samples[i].Outcome.Err == "" && samples[i].Outcome.Status == 200
		acked[p.delivery] = acked[p.delivery] || ok
		allOK = allOK && ok
	}
	for d, wamids := range plan.deliveries {
		if posted[d] {
			c.UniqueSent += len(wamids)
		}
		if !acked[d] {
			continue
		}
		c.Acknowledged += len(wamids)
		for _, w := range wamids {
			if !stored[w] {
				c.Lost++
			}
		}
	}
	c.OK = c.Lost == 0 && c.Doubled == 0 && c.Stored <= c.UniqueSent && (!allOK || c.Stored == c.UniqueSent)
	return c, nil
}
