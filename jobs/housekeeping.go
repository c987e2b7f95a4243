package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
)

// HousekeepingArgs is the periodic job that deletes what has outlived its
// use: receipts parked for messages that never appeared, the API's rate
// counters of windows long past, events older than their workspace's
// event_retention_days, and webhook delivery attempts older than the log
// keeps.
type HousekeepingArgs struct{}

// Kind implements river.JobArgs.
func (HousekeepingArgs) Kind() string { return "housekeeping" }

// housekeepingEvery is how often it runs; River's elected leader inserts
// it, so one process does the work however many run.
const housekeepingEvery = time.Hour

type housekeepingWorker struct {
	river.WorkerDefaults[HousekeepingArgs]
	svc    *domain.Service
	logger *slog.Logger
}

func (w *housekeepingWorker) Work(ctx context.Context, _ *river.Job[HousekeepingArgs]) error {
	pruned, err := w.svc.PruneParkedStatuses(ctx)
	if err != nil {
		return err
	}
	if pruned > 0 {
		w.logger.InfoContext(ctx, "pruned parked receipts", "count", pruned)
	}
	counters, err := w.svc.PruneRateCounters(ctx)
	if err != nil {
		return err
	}
	if counters > 0 {
		w.logger.DebugContext(ctx, "pruned rate counters", "count", counters)
	}
	events, err := w.svc.PruneExpiredEvents(ctx)
	if events > 0 {
		w.logger.InfoContext(ctx, "pruned expired events", "count", events)
	}
	if err != nil {
		return err
	}
	attempts, err := w.svc.PruneWebhookDeliveries(ctx)
	if err != nil {
		return err
	}
	if attempts > 0 {
		w.logger.InfoContext(ctx, "pruned webhook delivery attempts", "count", attempts)
	}
	return nil
}

func housekeepingPeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(housekeepingEvery),
		func() (river.JobArgs, *river.InsertOpts) { return HousekeepingArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}
