package jobs

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/webhooks"
)

// Queues of outbound webhooks: deliveries have their own workers, so a
// slow receiver never holds up sends, and the dispatcher its own single
// one, so a queue full of slow deliveries never holds up dispatching.
const (
	webhookQueue         = "webhooks"
	webhookDispatchQueue = "webhook_dispatch"
)

// DefaultWebhookWorkers is how many deliveries one process makes at once.
const DefaultWebhookWorkers = 50

// DefaultWebhookPoll is how often the dispatcher runs without a nudge (it
// also catches, on Postgres, events that became visible late).
const DefaultWebhookPoll = 2 * time.Second

// perEndpointInFlight bounds one endpoint's attempts running at once in a
// process: the rest wait briefly, so a receiver that hangs for 15 s per
// request occupies a few workers, never all of them.
const perEndpointInFlight = 4

// DispatchWebhooksArgs reads the event feed for every enabled endpoint and
// enqueues deliveries. Unique while pending, so nudges coalesce.
type DispatchWebhooksArgs struct{}

// Kind implements river.JobArgs.
func (DispatchWebhooksArgs) Kind() string { return "webhook_dispatch" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DispatchWebhooksArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: webhookDispatchQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}

type dispatchWorker struct {
	river.WorkerDefaults[DispatchWebhooksArgs]
	svc    *domain.Service
	logger *slog.Logger
}

func (w *dispatchWorker) Work(ctx context.Context, _ *river.Job[DispatchWebhooksArgs]) error {
	n, err := w.svc.DispatchWebhooks(ctx)
	if n > 0 {
		w.logger.DebugContext(ctx, "webhook deliveries enqueued", "count", n)
	}
	return err
}

func dispatchPeriodicJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return DispatchWebhooksArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// DeliverWebhookArgs is one event for one endpoint. Key is "" for the
// dispatcher's delivery and fresh for each replay or test; the job is
// unique by its arguments, so an event is enqueued once per key.
type DeliverWebhookArgs struct {
	WorkspaceID string `json:"workspace_id"`
	EndpointID  string `json:"endpoint_id"`
	EventID     string `json:"event_id"`
	Key         string `json:"key,omitempty"`
}

// Kind implements river.JobArgs.
func (DeliverWebhookArgs) Kind() string { return "webhook_delivery" }

// InsertOpts implements river.JobArgsWithInsertOpts. The delivery
// schedule is the worker's own (snoozes, which count no River attempt):
// River's attempts only cover errors of our own (a database outage).
func (DeliverWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: webhookQueue, MaxAttempts: 25, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type deliveryWorker struct {
	river.WorkerDefaults[DeliverWebhookArgs]
	svc    *domain.Service
	sender *webhooks.Sender

	mu       sync.Mutex
	inFlight map[string]int
}

// Timeout covers the attempt and the writes around it.
func (w *deliveryWorker) Timeout(*river.Job[DeliverWebhookArgs]) time.Duration {
	return webhooks.Timeout + 30*time.Second
}

func (w *deliveryWorker) enter(endpointID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inFlight[endpointID] >= perEndpointInFlight {
		return false
	}
	w.inFlight[endpointID]++
	return true
}

func (w *deliveryWorker) leave(endpointID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inFlight[endpointID]--; w.inFlight[endpointID] <= 0 {
		delete(w.inFlight, endpointID)
	}
}

func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[DeliverWebhookArgs]) error {
	a := job.Args
	if !w.enter(a.EndpointID) {
		return river.JobSnooze(time.Second)
	}
	defer w.leave(a.EndpointID)
	ctx = domain.SystemContext(ctx, a.WorkspaceID)
	j := domain.WebhookJob{WorkspaceID: a.WorkspaceID, EndpointID: a.EndpointID, EventID: a.EventID, Key: a.Key}
	prepared, err := w.svc.PrepareWebhookDelivery(ctx, j)
	if err != nil || prepared == nil {
		return err
	}
	res := w.sender.Send(ctx, webhooks.Delivery{URL: prepared.URL, MsgID: prepared.Event.ID,
		Timestamp: w.svc.Now(), Body: prepared.Body, Secrets: prepared.Secrets})
	wait, err := w.svc.RecordWebhookAttempt(ctx, prepared, a.Key, domain.WebhookAttemptResult{
		StatusCode: res.StatusCode, Latency: res.Latency, Excerpt: res.Excerpt, Error: res.Error, RetryAfter: res.RetryAfter})
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	return nil
}

// webhookJobArgs converts the domain's job.
func webhookJobArgs(j domain.WebhookJob) DeliverWebhookArgs {
	return DeliverWebhookArgs{WorkspaceID: j.WorkspaceID, EndpointID: j.EndpointID, EventID: j.EventID, Key: j.Key}
}

// EnqueueWebhook inserts a delivery job inside tx (persistence.WebhookEnqueuer).
func (r *Runner) EnqueueWebhook(ctx context.Context, tx *sql.Tx, j domain.WebhookJob) error {
	return r.insertTx(ctx, tx, webhookJobArgs(j), nil)
}

// nudger turns after-commit notices into dispatcher runs without ever
// blocking the committing writer: a notice sets a flag; one goroutine
// inserts a dispatch job whenever it is set. A dispatch already running
// refuses the duplicate, so the goroutine tries again shortly, until a
// run starts after the notice.
type nudger struct {
	wake chan struct{}
}

func newNudger() *nudger { return &nudger{wake: make(chan struct{}, 1)} }

// Nudge asks for a dispatcher run soon; it never blocks.
func (n *nudger) Nudge() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *nudger) run(ctx context.Context, insert func(ctx context.Context) (bool, error), logger *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.wake:
		}
		for tries := 0; tries < 50; tries++ {
			duplicate, err := insert(ctx)
			if err != nil {
				if ctx.Err() == nil {
					logger.WarnContext(ctx, "webhook dispatch nudge failed", "error", err.Error())
				}
				break
			}
			if !duplicate {
				break
			}
			if !pause(ctx, nudgePace) {
				return
			}
		}
		// Under a stream of commits one run every nudgePace is plenty:
		// each run reads everything committed before it.
		if !pause(ctx, nudgePace) {
			return
		}
	}
}

// nudgePace spaces the nudger's inserts.
const nudgePace = 100 * time.Millisecond

func pause(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// NudgeWebhooks asks for a dispatcher run (the store's event sink).
func (r *Runner) NudgeWebhooks() { r.nudge.Nudge() }
