// Package jobs runs Centralita's durable background work on River, in the
// same database as the data: a job inserted in the transaction that stored
// its message commits or rolls back with it, and survives restarts.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/webhooks"
	"github.com/centralita/centralita/whatsapp"
)

// Config wires the job system to a database and the services jobs call.
type Config struct {
	Dialect string        // "postgres" or "sqlite"
	SQLDB   *sql.DB       // the application's database/sql handle
	Pool    *pgxpool.Pool // Postgres only: workers LISTEN through it
	Service *domain.Service
	Graph   *whatsapp.Client
	Logger  *slog.Logger
	// PerNumberRate is the most messages per second sent from one number
	// (Meta's default throughput is 80).
	PerNumberRate float64
	// PairInterval and PairBurst shape each (number, customer) budget
	// (defaults DefaultPairInterval and DefaultPairBurst, Meta's pair limit).
	PairInterval time.Duration
	PairBurst    int
	// MaxWorkers is how many jobs run at once in this process.
	MaxWorkers int
	// ReceiptWait is how long a send retry waits for the receipt of an
	// earlier attempt whose answer was lost (default DefaultReceiptWait).
	ReceiptWait time.Duration
	// RetryUnit scales the retry backoff: attempt⁴ × RetryUnit (default 1 s,
	// River's own schedule).
	RetryUnit time.Duration
	// JobTimeout cancels a job running longer (default 1 minute). A job
	// still marked running after twice that is taken to have died with its
	// process and is retried by another one.
	JobTimeout time.Duration
	// Metrics, when set, is where the job, send and media figures are
	// registered (see metrics.go).
	Metrics prometheus.Registerer
	// Webhooks sends outbound webhook deliveries (nil: a sender whose
	// client reaches public addresses only).
	Webhooks *webhooks.Sender
	// WebhookWorkers is how many deliveries run at once in this process
	// (default DefaultWebhookWorkers); WebhookPoll how often the
	// dispatcher runs without a nudge (default DefaultWebhookPoll).
	WebhookWorkers int
	WebhookPoll    time.Duration
}

// Runner owns the River clients.
type Runner struct {
	start    func(ctx context.Context) error
	stop     func(ctx context.Context) error
	insertTx func(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error
	// insert adds a job outside any transaction and reports whether a
	// unique job was already there.
	insert func(ctx context.Context, args river.JobArgs) (bool, error)
	nudge  *nudger
	logger *slog.Logger
}

// New builds the clients on a database whose migrations (River's tables
// included: persistence.DB.Migrate) are applied. Workers do not run until
// Start.
func New(ctx context.Context, cfg Config) (*Runner, error) {
	if cfg.PerNumberRate <= 0 {
		cfg.PerNumberRate = 80
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 20
	}
	cfg.ReceiptWait = cmp.Or(cfg.ReceiptWait, DefaultReceiptWait)
	cfg.PairInterval = cmp.Or(cfg.PairInterval, DefaultPairInterval)
	cfg.PairBurst = cmp.Or(cfg.PairBurst, DefaultPairBurst)
	cfg.JobTimeout = cmp.Or(cfg.JobTimeout, time.Minute)
	cfg.RetryUnit = cmp.Or(cfg.RetryUnit, time.Second)
	cfg.WebhookWorkers = cmp.Or(cfg.WebhookWorkers, DefaultWebhookWorkers)
	cfg.WebhookPoll = cmp.Or(cfg.WebhookPoll, DefaultWebhookPoll)
	if cfg.Webhooks == nil {
		cfg.Webhooks = &webhooks.Sender{Client: webhooks.NewClient(nil), UserAgent: "Centralita-Webhooks/1"}
	}
	m, err := newMetrics(cfg.Metrics, newQueueCollector(cfg.SQLDB))
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	pace := newPacer(cfg.PerNumberRate)
	river.AddWorker(workers, &sendWorker{svc: cfg.Service, graph: cfg.Graph, pace: pace,
		pairs: newPairPacer(cfg.PairInterval, cfg.PairBurst), receiptWait: cfg.ReceiptWait, metrics: m})
	river.AddWorker(workers, &markReadWorker{svc: cfg.Service, graph: cfg.Graph, pace: pace})
	media := newMediaWorker(cfg.Service, cfg.Graph)
	media.metrics = m
	river.AddWorker(workers, media)
	river.AddWorker(workers, &timerWorker{svc: cfg.Service})
	logger := cmp.Or(cfg.Logger, slog.Default())
	river.AddWorker(workers, &housekeepingWorker{svc: cfg.Service, logger: logger})
	river.AddWorker(workers, &dispatchWorker{svc: cfg.Service, logger: logger})
	river.AddWorker(workers, &deliveryWorker{svc: cfg.Service, sender: cfg.Webhooks, inFlight: map[string]int{}})
	riverCfg := &river.Config{
		Logger: cfg.Logger,
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers},
			webhookQueue: {MaxWorkers: cfg.WebhookWorkers}, webhookDispatchQueue: {MaxWorkers: 1}},
		Workers:      workers,
		PeriodicJobs: []*river.PeriodicJob{housekeepingPeriodicJob(), dispatchPeriodicJob(cfg.WebhookPoll)},
		// River waits an hour by default before retrying the jobs of a
		// process that died: far too long for a customer's reply.
		JobTimeout:  cfg.JobTimeout,
		RetryPolicy: retryPolicy{unit: cfg.RetryUnit},
		// Rescue is global: a media download may legitimately run up to
		// mediaJobTimeout, so a rescued long download can run twice at
		// worst, which StoreInboundMedia settles (one file is kept). Sends,
		// the jobs that matter for crash recovery, come back within
		// minutes.
		RescueStuckJobsAfter: 2 * cfg.JobTimeout,
	}
	switch cfg.Dialect {
	case "postgres":
		return newPostgres(ctx, cfg, riverCfg, m)
	case "sqlite":
		return newSQLite(ctx, cfg, riverCfg, m)
	}
	return nil, fmt.Errorf("jobs: unknown dialect %q", cfg.Dialect)
}

func newPostgres(ctx context.Context, cfg Config, riverCfg *river.Config, m *metrics) (*Runner, error) {
	driver := riverpgxv5.New(cfg.Pool)
	workers, err := river.NewClient[pgx.Tx](driver, riverCfg)
	if err != nil {
		return nil, err
	}
	// gorm's transactions are database/sql ones: an insert-only client on
	// the database/sql driver joins them (it notifies workers via pg_notify).
	inserter, err := river.NewClient(riverdatabasesql.New(cfg.SQLDB), &river.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	return &Runner{start: startCounting(workers, m), stop: workers.Stop,
		insertTx: func(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
			_, err := inserter.InsertTx(ctx, tx, args, opts)
			return err
		},
		insert: func(ctx context.Context, args river.JobArgs) (bool, error) {
			res, err := inserter.Insert(ctx, args, nil)
			return err == nil && res.UniqueSkippedAsDuplicate, err
		}, nudge: newNudger(), logger: cmp.Or(cfg.Logger, slog.Default())}, nil
}

func newSQLite(ctx context.Context, cfg Config, riverCfg *river.Config, m *metrics) (*Runner, error) {
	driver := riversqlite.New(cfg.SQLDB)
	client, err := river.NewClient(driver, riverCfg)
	if err != nil {
		return nil, err
	}
	return &Runner{start: startCounting(client, m), stop: client.Stop,
		insertTx: func(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
			_, err := client.InsertTx(ctx, tx, args, opts)
			return err
		},
		insert: func(ctx context.Context, args river.JobArgs) (bool, error) {
			res, err := client.Insert(ctx, args, nil)
			return err == nil && res.UniqueSkippedAsDuplicate, err
		}, nudge: newNudger(), logger: cmp.Or(cfg.Logger, slog.Default())}, nil
}

// startCounting starts the workers with a subscription to River's job
// events, which count job runs until the client stops (River then closes
// the channel). River drops events a subscriber has not read when more
// than a thousand are pending, so under such bursts the run counts may
// fall short; the job table gauges stay exact.
func startCounting[TTx any](client *river.Client[TTx], m *metrics) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		events, cancel := client.Subscribe(runEvents...)
		if err := client.Start(ctx); err != nil {
			cancel()
			return err
		}
		go func() {
			for e := range events {
				m.runEvent(e)
			}
		}()
		return nil
	}
}

// Start runs the workers until Stop (or ctx ends), and the goroutine
// that turns nudges into dispatcher runs until ctx ends.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.start(ctx); err != nil {
		return err
	}
	go r.nudge.run(ctx, func(ctx context.Context) (bool, error) {
		return r.insert(ctx, DispatchWebhooksArgs{})
	}, r.logger)
	return nil
}

// Stop lets running jobs finish (or ctx end); unfinished jobs run again later.
func (r *Runner) Stop(ctx context.Context) error {
	err := r.stop(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Enqueue inserts a job about one message inside tx (persistence.Enqueuer).
func (r *Runner) Enqueue(ctx context.Context, tx *sql.Tx, kind domain.JobKind, workspaceID, messageID string) error {
	var args river.JobArgs
	switch kind {
	case domain.JobSend:
		args = SendArgs{WorkspaceID: workspaceID, MessageID: messageID}
	case domain.JobMediaDownload:
		args = MediaDownloadArgs{WorkspaceID: workspaceID, MessageID: messageID}
	case domain.JobMarkRead:
		args = MarkReadArgs{WorkspaceID: workspaceID, MessageID: messageID}
	default:
		return fmt.Errorf("jobs: unknown job kind %q", kind)
	}
	return r.insertTx(ctx, tx, args, nil)
}

// MediaDownloadArgs fetches an inbound message's media from Meta into the
// blob store.
type MediaDownloadArgs struct {
	WorkspaceID string `json:"workspace_id"`
	MessageID   string `json:"message_id"`
}

// Kind implements river.JobArgs.
func (MediaDownloadArgs) Kind() string { return string(domain.JobMediaDownload) }

// MarkReadArgs tells the customer an inbound message was read.
type MarkReadArgs struct {
	WorkspaceID string `json:"workspace_id"`
	MessageID   string `json:"message_id"`
}

// Kind implements river.JobArgs.
func (MarkReadArgs) Kind() string { return string(domain.JobMarkRead) }
