package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// Usage is `centralita bench`'s help.
const Usage = `usage: centralita bench SCENARIO [flags]

Open-loop load against a Centralita on this machine; one JSON result per
run on stdout, a one-line summary per run on stderr. Scenarios:

  ingest   signed Meta deliveries (--batch 1 or 50), 20 % byte-identical
           redeliveries, out-of-order statuses; --rate messages/s or
           --search for the highest rate with ack p99 <= 100 ms and no
           error. Counts the run's messages in the database afterwards
           (lost, doubled) and, on Postgres, runs the raw limit (pgbench).
  reply    agent text replies through REST and GraphQL (--api) against
           the demo's fake Graph API with --graph-latency.
  inbox    GraphQL and REST inbox pages (first, next by cursor, by status
           and queue, text search) over a seeded database, with SQL
           statements per request.
  fanout   --subscribers (1000) GraphQL subscription sockets on the whole
           inbox while customers write at --rate (20/s): latency from each
           webhook post to its arrival at every subscriber, deliveries,
           drops, and the server's memory per idle subscriber.
  seed     bulk-create conversations and messages (used by inbox).

By default each run starts its own server (this binary, serve --demo) on
fresh data: SQLite in a temporary directory, or a new database on
--postgres. --url targets a running demo server instead (loopback only;
add --server-pid for its CPU and memory, --database-url or --sqlite for
the ingest check). --repeat N runs N times on fresh servers and adds a
"median" result.

Examples:
  centralita bench ingest --rate 500 --duration 20s
  centralita bench ingest --postgres postgres://postgres@127.0.0.1:5432/postgres --batch 50 --rate 1000
  centralita bench ingest --search
  centralita bench reply --rate 200
  centralita bench inbox --conversations 100000 --messages-per 10
  centralita bench fanout --subscribers 1000 --rate 20
`

// Options are the flags every scenario shares, plus each one's own.
type Options struct {
	Scenario string
	URL      string
	PID      int
	Postgres string // admin URL: a fresh database per run
	DBURL    string // an external target's Postgres database
	SQLite   string // an external target's SQLite file
	Bin      string
	Repeat   int
	Log      bool
	Rate     float64
	Duration time.Duration
	Timeout  time.Duration
	Ingest   IngestOptions
	Search   bool
	RawLimit bool
	Reply    ReplyOptions
	Inbox    InboxOptions
	Fanout   FanoutOptions
}

// Main runs `centralita bench ARGS`.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, Usage)
		return nil
	}
	o := Options{Scenario: args[0]}
	fs := flag.NewFlagSet("bench "+o.Scenario, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.URL, "url", "", "a running demo server (http://127.0.0.1:PORT) instead of starting one")
	fs.IntVar(&o.PID, "server-pid", 0, "the running server's process id, for its CPU and peak memory")
	fs.StringVar(&o.Postgres, "postgres", os.Getenv("CENTRALITA_BENCH_POSTGRES"), "a Postgres URL to create a fresh database on per run (default SQLite; env CENTRALITA_BENCH_POSTGRES)")
	fs.StringVar(&o.DBURL, "database-url", "", "with --url: the server's Postgres database, for the ingest check")
	fs.StringVar(&o.SQLite, "sqlite", "", "with --url: the server's SQLite file, for the ingest check")
	fs.StringVar(&o.Bin, "server-bin", "", "the centralita binary to start (default: this one)")
	fs.IntVar(&o.Repeat, "repeat", 1, "runs, each on a fresh server; more than one adds a median result")
	fs.BoolVar(&o.Log, "server-log", false, "show the started server's log on stderr")
	fs.Float64Var(&o.Rate, "rate", 0, "target rate: messages/s (ingest), replies/s (reply), requests/s (inbox)")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each run schedules requests")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "a request not answered this long after its scheduled start is a timeout")
	fs.IntVar(&o.Ingest.Batch, "batch", 1, "ingest: messages per delivery")
	fs.IntVar(&o.Ingest.Contacts, "contacts", 2000, "ingest: distinct customers writing")
	fs.Float64Var(&o.Ingest.Redeliveries, "redeliveries", 0.2, "ingest: share of posts that repeat an earlier delivery byte for byte")
	fs.Float64Var(&o.Ingest.Statuses, "statuses", 0.1, "ingest: share of posts that are status updates of sent messages")
	fs.IntVar(&o.Ingest.MaxInFlight, "max-in-flight", 10000, "requests the generator holds open at once; beyond, generator_saturated")
	fs.BoolVar(&o.Search, "search", false, "ingest: search the highest rate with ack p99 <= 100 ms and no error (short runs)")
	fs.BoolVar(&o.RawLimit, "raw-limit", true, "ingest on Postgres: run pgbench/ingest.sql after each run for the raw limit")
	fs.StringVar(&o.Reply.API, "api", "both", "reply: rest, graphql or both")
	fs.DurationVar(&o.Reply.GraphLatency, "graph-latency", 100*time.Millisecond, "reply: the fake Graph API's answer delay")
	fs.IntVar(&o.Reply.Conversations, "conversations-open", 200, "reply: conversations replied to in turn")
	fs.IntVar(&o.Inbox.Conversations, "conversations", 10000, "inbox/seed: conversations to seed")
	fs.IntVar(&o.Inbox.MessagesPer, "messages-per", 10, "inbox/seed: messages per conversation")
	fs.IntVar(&o.Fanout.Subscribers, "subscribers", 1000, "fanout: GraphQL subscription sockets")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	if o.URL != "" {
		if err := checkLoopback(o.URL); err != nil {
			return err
		}
	}
	if o.Timeout <= 0 || o.Duration <= 0 || o.Duration > time.Hour || o.Repeat < 1 || o.Repeat > 10 {
		return fmt.Errorf("bench: --duration within 0-1h, --timeout positive, --repeat within 1-10")
	}
	return o.run(ctx, stdout, stderr)
}

func (o Options) run(ctx context.Context, stdout, stderr io.Writer) error {
	var runOnce func(ctx context.Context, t *Target) ([]Result, error)
	switch o.Scenario {
	case "ingest":
		if o.Rate == 0 {
			o.Rate = 100
		}
		if o.Ingest.Batch < 1 || o.Ingest.Batch > 1000 || o.Ingest.Contacts < 1 || o.Rate <= 0 {
			return fmt.Errorf("bench: --batch within 1-1000, --contacts and --rate positive")
		}
		runOnce = o.ingest
		if o.Search {
			runOnce = o.search
		}
	case "reply":
		if o.Rate == 0 {
			o.Rate = 200
		}
		runOnce = o.reply
	case "inbox":
		if o.Rate == 0 {
			o.Rate = 20
		}
		runOnce = o.inbox
	case "fanout":
		if o.Rate == 0 {
			o.Rate = 20
		}
		if o.Fanout.Subscribers < 1 || o.Fanout.Subscribers > 20000 {
			return fmt.Errorf("bench: --subscribers within 1-20000")
		}
		runOnce = o.fanout
	case "seed":
		return o.seedOnly(ctx, stdout, stderr)
	default:
		return fmt.Errorf("bench: unknown scenario %q (ingest, reply, inbox, fanout, seed)", o.Scenario)
	}
	// The inbox is seeded once and measured --repeat times on that one
	// server (seeding a million conversations takes minutes); every other
	// scenario gets a fresh server per run.
	var shared *Target
	if o.Scenario == "inbox" {
		t, err := o.target(ctx, stderr)
		if err != nil {
			return err
		}
		defer t.Stop()
		if err := o.seedInbox(ctx, t, stderr); err != nil {
			return err
		}
		shared = t
	}
	var all [][]Result
	for range o.Repeat {
		t := shared
		if t == nil {
			var err error
			if t, err = o.target(ctx, stderr); err != nil {
				return err
			}
		}
		results, err := runOnce(ctx, t)
		if shared == nil {
			t.Stop()
		}
		for _, r := range results {
			if perr := r.Print(stdout, stderr); perr != nil {
				return perr
			}
		}
		if err != nil {
			return err
		}
		all = append(all, results)
	}
	if o.Repeat > 1 {
		for _, m := range medians(all) {
			if err := m.Print(stdout, stderr); err != nil {
				return err
			}
		}
	}
	return nil
}

// target starts a fresh server, or describes the one at --url.
func (o Options) target(ctx context.Context, stderr io.Writer) (*Target, error) {
	if o.URL != "" {
		return &Target{URL: o.URL, PID: o.PID, DatabaseURL: o.DBURL, SQLitePath: o.SQLite}, nil
	}
	so := ServerOptions{Bin: o.Bin, PostgresURL: o.Postgres, GraphLatency: o.Reply.GraphLatency}
	if o.Log {
		so.Log = stderr
	}
	return StartServer(ctx, so)
}

func (o Options) ingest(ctx context.Context, t *Target) ([]Result, error) {
	in := o.Ingest
	in.Rate, in.Duration, in.Timeout = o.Rate, o.Duration, o.Timeout
	r, err := RunIngest(ctx, t, in)
	if err == nil && o.RawLimit && t.DatabaseURL != "" {
		r.Raw = rawLimit(ctx, t, 20, min(o.Duration, 10*time.Second))
		if r.Raw.TPS > 0 {
			r.Raw.Ratio = round(r.ItemsThroughput/r.Raw.TPS, 3)
		}
	}
	return []Result{r}, err
}

// seedInbox fills a server the tool started (a running one at --url is
// measured as it is).
func (o Options) seedInbox(ctx context.Context, t *Target, stderr io.Writer) error {
	if o.URL != "" {
		return nil
	}
	secs, err := Seed(ctx, t, SeedOptions{Conversations: o.Inbox.Conversations, MessagesPer: o.Inbox.MessagesPer}, stderr)
	if err == nil {
		fmt.Fprintf(stderr, "seeded %d conversations × %d messages in %.1f s\n", o.Inbox.Conversations, o.Inbox.MessagesPer, secs)
	}
	return err
}

// seedOnly seeds a running demo server's database (--url with
// --database-url or --sqlite) or a fresh one it then leaves running no
// longer: useful to time the seeder alone.
func (o Options) seedOnly(ctx context.Context, stdout, stderr io.Writer) error {
	t, err := o.target(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Stop()
	secs, err := Seed(ctx, t, SeedOptions{Conversations: o.Inbox.Conversations, MessagesPer: o.Inbox.MessagesPer}, stderr)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, `{"scenario":"seed","database":%q,"conversations":%d,"messages":%d,"seconds":%.1f}`+"\n",
		t.Database(), o.Inbox.Conversations, o.Inbox.Conversations*o.Inbox.MessagesPer, secs)
	return err
}
