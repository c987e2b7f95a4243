package jobs

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
)

// TimerArgs is a domain timer (an SLA target, an inactivity limit) as a
// River job scheduled for its instant.
type TimerArgs struct {
	WorkspaceID string           `json:"workspace_id"`
	TimerKind   domain.TimerKind `json:"kind"`
	SubjectID   string           `json:"subject_id"`
	At          time.Time        `json:"at"`
}

// Kind implements river.JobArgs.
func (TimerArgs) Kind() string { return "domain_timer" }

// InsertOpts: a timer whose handler keeps failing is retried for about a
// day; handlers are idempotent, so a late run is harmless.
func (TimerArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

type timerWorker struct {
	river.WorkerDefaults[TimerArgs]
	svc *domain.Service
}

func (w *timerWorker) Work(ctx context.Context, job *river.Job[TimerArgs]) error {
	a := job.Args
	return w.svc.FireTimer(domain.SystemContext(ctx, a.WorkspaceID), a.TimerKind, a.SubjectID, a.At)
}

// ScheduleTimer inserts a timer job due at t.At inside tx
// (persistence.TimerScheduler).
func (r *Runner) ScheduleTimer(ctx context.Context, tx *sql.Tx, workspaceID string, t domain.Timer) error {
	return r.insertTx(ctx, tx, TimerArgs{WorkspaceID: workspaceID, TimerKind: t.Kind, SubjectID: t.SubjectID, At: t.At},
		&river.InsertOpts{ScheduledAt: t.At})
}
