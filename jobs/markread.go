package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// InsertOpts: a read receipt is worth a few hours of retries, not days.
func (MarkReadArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 8} }

// markReadWorker tells WhatsApp an inbound message (and the earlier ones of
// the thread) was read.
type markReadWorker struct {
	river.WorkerDefaults[MarkReadArgs]
	svc   *domain.Service
	graph *whatsapp.Client
	pace  *pacer
}

// Work sends the read receipt. Retryable Graph errors are retried with
// backoff; a permanent one cancels the job (the message itself is fine,
// the customer just sees no blue ticks).
func (w *markReadWorker) Work(ctx context.Context, job *river.Job[MarkReadArgs]) error {
	sys := domain.SystemContext(ctx, job.Args.WorkspaceID)
	prep, err := w.svc.PrepareMarkRead(sys, job.Args.MessageID)
	switch domain.ErrorCode(err) {
	case domain.CodeNotFound:
		return nil // the message is gone: nothing to mark
	case domain.CodePreconditionFailed:
		return river.JobCancel(fmt.Errorf("mark read %s: %s", job.Args.MessageID, domain.ErrorMessage(err)))
	}
	if err != nil {
		return err
	}
	if err := w.pace.wait(ctx, prep.Channel.PhoneNumberID); err != nil {
		return err
	}
	err = w.graph.MarkRead(ctx, prep.Channel.PhoneNumberID, prep.AccessToken, prep.ProviderMessageID)
	if err != nil && !whatsapp.IsRetryable(err) {
		return river.JobCancel(fmt.Errorf("mark read %s: %w", job.Args.MessageID, err))
	}
	return err
}
