package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/centralita/centralita/domain"
)

// SeedOptions size the bulk seed.
type SeedOptions struct {
	Conversations int
	MessagesPer   int
}

// seedColumns are the columns the seeder fills, per table (see the
// migrations: the others have defaults or are nullable).
var seedColumns = map[string][]string{
	"contacts": {"id", "workspace_id", "wa_id", "phone_e164", "name", "created_at", "updated_at"},
	"conversations": {"id", "workspace_id", "contact_id", "channel_id", "queue_id", "assignee_id", "status", "priority",
		"version", "created_at", "updated_at", "last_activity_at", "last_customer_message_at"},
	"conversation_tags": {"workspace_id", "conversation_id", "tag_id"},
	"messages": {"id", "workspace_id", "conversation_id", "channel_id", "direction", "author_kind", "author_id", "type",
		"text", "provider_message_id", "status", "created_at", "updated_at"},
}

// seedTables is the insertion order (foreign keys first).
var seedTables = []string{"contacts", "conversations", "conversation_tags", "messages"}

// workspaceRefs are the demo workspace's ids the seeded rows point to.
type workspaceRefs struct {
	workspace                     string
	queues, users, tags, channels []string
}

func loadRefs(ctx context.Context, db *sql.DB) (workspaceRefs, error) {
	var w workspaceRefs
	if err := db.QueryRowContext(ctx, `SELECT workspace_id FROM users WHERE email = 'owner@demo.centralita.dev'`).Scan(&w.workspace); err != nil {
		return w, fmt.Errorf("bench: seed needs the demo workspace (serve --demo): %w", err)
	}
	for _, q := range []struct {
		into *[]string
		sql  string
	}{{&w.queues, "SELECT id FROM queues WHERE workspace_id = $1"}, {&w.users, "SELECT id FROM users WHERE workspace_id = $1"},
		{&w.tags, "SELECT id FROM tags WHERE workspace_id = $1"}, {&w.channels, "SELECT id FROM channels WHERE workspace_id = $1"}} {
		rows, err := db.QueryContext(ctx, q.sql, w.workspace)
		if err != nil {
			return w, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return w, err
			}
			*q.into = append(*q.into, id)
		}
		rows.Close()
	}
	if len(w.queues) == 0 || len(w.users) == 0 || len(w.tags) == 0 || len(w.channels) == 0 {
		return w, fmt.Errorf("bench: the demo workspace lacks queues, users, tags or channels")
	}
	return w, nil
}

// Seed bulk-creates o.Conversations conversations, each with its own
// contact, a queue, most with an assignee and a tag or two, and
// o.MessagesPer messages, in chunks of a few thousand conversations:
// COPY on Postgres, multi-row INSERTs in one transaction per chunk on
// SQLite. Returns the seconds it took.
func Seed(ctx context.Context, t *Target, o SeedOptions, progress io.Writer) (float64, error) {
	db, err := openDB(t)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	refs, err := loadRefs(ctx, db)
	if err != nil {
		return 0, err
	}
	var write func(ctx context.Context, rows map[string][][]any) error
	if t.DatabaseURL != "" {
		conn, err := pgx.Connect(ctx, t.DatabaseURL)
		if err != nil {
			return 0, err
		}
		defer conn.Close(ctx)
		write = func(ctx context.Context, rows map[string][][]any) error { return copyRows(ctx, conn, rows) }
	} else {
		write = func(ctx context.Context, rows map[string][][]any) error { return insertRows(ctx, db, rows) }
	}
	began := time.Now()
	rng := rand.New(rand.NewPCG(11, 13))
	const chunk = 5000
	base := time.Now().Add(-30 * 24 * time.Hour)
	for start := 0; start < o.Conversations; start += chunk {
		rows := seedChunk(refs, rng, start, min(chunk, o.Conversations-start), o.MessagesPer, base)
		if err := write(ctx, rows); err != nil {
			return 0, fmt.Errorf("bench: seed: %w", err)
		}
		if progress != nil && (start/chunk)%20 == 19 {
			fmt.Fprintf(progress, "seeded %d conversations in %.0f s\n", start+chunk, time.Since(began).Seconds())
		}
	}
	// Fresh statistics, as autovacuum would gather them in production.
	_, err = db.ExecContext(ctx, "ANALYZE")
	return round(time.Since(began).Seconds(), 1), err
}

var seedNames = []string{"Carla", "Jorge", "Valentina", "Pedro", "Lucía", "Diego", "Daniela", "Andrés", "Rosa", "Miguel"}
var seedSurnames = []string{"Rojas", "Méndez", "Díaz", "Alves", "Torres", "Fernández", "Mora", "Vargas", "Quispe", "Castro"}
var seedStatuses = []string{"new", "open", "open", "pending_customer", "closed"}

// seedChunk renders n conversations numbered from start.
func seedChunk(w workspaceRefs, rng *rand.Rand, start, n, messagesPer int, base time.Time) map[string][][]any {
	rows := map[string][][]any{}
	for i := start; i < start+n; i++ {
		at := base.Add(time.Duration(i) * 2 * time.Second)
		contact, conv := domain.NewID(domain.PrefixContact), domain.NewID(domain.PrefixConversation)
		waID := fmt.Sprintf("52%010d", i)
		name := seedNames[rng.IntN(len(seedNames))] + " " + seedSurnames[rng.IntN(len(seedSurnames))] + fmt.Sprintf(" %d", i)
		rows["contacts"] = append(rows["contacts"], []any{contact, w.workspace, waID, "+" + waID, name, at, at})
		channel := w.channels[i%len(w.channels)]
		var assignee any
		if i%4 != 0 {
			assignee = w.users[rng.IntN(len(w.users))]
		}
		last := at.Add(time.Duration(messagesPer) * time.Minute)
		rows["conversations"] = append(rows["conversations"], []any{conv, w.workspace, contact, channel,
			w.queues[rng.IntN(len(w.queues))], assignee, seedStatuses[rng.IntN(len(seedStatuses))], "normal", 1, at, last, last, last})
		for k, tag := range w.tags {
			if rng.IntN(len(w.tags)) == k && i%3 != 0 {
				rows["conversation_tags"] = append(rows["conversation_tags"], []any{w.workspace, conv, tag})
			}
		}
		for m := range messagesPer {
			mat := at.Add(time.Duration(m+1) * time.Minute)
			direction, author, status, text := "inbound", contact, "received", fmt.Sprintf("Consulta %d sobre el pedido %d", m, i)
			if m%2 == 1 {
				direction, author, status, text = "outbound", w.users[0], "read", fmt.Sprintf("Respuesta %d: ya lo revisamos", m)
			}
			rows["messages"] = append(rows["messages"], []any{domain.NewID(domain.PrefixMessage), w.workspace, conv, channel,
				direction, map[string]string{"inbound": "contact", "outbound": "agent"}[direction], author, "text", text,
				fmt.Sprintf("wamid.seed.%d.%d", i, m), status, mat, mat})
		}
	}
	return rows
}

// copyRows writes with COPY, one table after another, in one transaction.
func copyRows(ctx context.Context, conn *pgx.Conn, rows map[string][][]any) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	for _, table := range seedTables {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, seedColumns[table], pgx.CopyFromRows(rows[table])); err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
	}
	return tx.Commit(ctx)
}

// insertRows writes multi-row INSERTs in one transaction.
func insertRows(ctx context.Context, db *sql.DB, rows map[string][][]any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, table := range seedTables {
		cols := seedColumns[table]
		per := max(1, 30000/len(cols)) // SQLite's bound-variable limit is 32766
		for start := 0; start < len(rows[table]); start += per {
			batch := rows[table][start:min(start+per, len(rows[table]))]
			tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
			query := "INSERT INTO " + table + " (" + strings.Join(cols, ",") + ") VALUES " +
				strings.TrimSuffix(strings.Repeat(tuple+",", len(batch)), ",")
			args := make([]any, 0, len(batch)*len(cols))
			for _, r := range batch {
				args = append(args, r...)
			}
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				return fmt.Errorf("insert %s: %w", table, err)
			}
		}
	}
	return tx.Commit()
}
