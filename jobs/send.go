package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// SendArgs is the durable job that delivers one outbound message.
type SendArgs struct {
	WorkspaceID string `json:"workspace_id"`
	MessageID   string `json:"message_id"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return string(domain.JobSend) }

// InsertOpts retries for about 11 hours (see retryPolicy) before giving up.
func (SendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 12} }

// sendWorker calls the Graph API for one queued message.
type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	svc   *domain.Service
	graph *whatsapp.Client
	pace  *pacer
	pairs *pairPacer
	// receiptWait is how long a retry waits for the receipt of an earlier
	// attempt whose answer was lost before sending again.
	receiptWait time.Duration
	metrics     *metrics
}

// Work sends the message once: PrepareSend returns nothing to do for a
// message already sent or failed, so a job that runs twice sends once.
// Retryable Graph errors return an error (River backs off and retries);
// permanent ones, and the last attempt, end the message as failed.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	err := w.send(ctx, job)
	if err != nil && !isSnooze(err) && job.Attempt >= job.MaxAttempts {
		// Out of attempts: say so on the message rather than leave it
		// queued forever.
		sys := domain.SystemContext(ctx, job.Args.WorkspaceID)
		reason := fmt.Sprintf("gave up after %d attempts: %v", job.Attempt, err)
		if ferr := w.failSend(sys, job.Args.MessageID, err, "", reason); ferr != nil {
			return errors.Join(err, ferr)
		}
		return nil
	}
	return err
}

// send makes one delivery attempt. A message that learnt its wamid from a
// receipt meanwhile (the previous attempt's response was lost) is not sent
// again: PrepareSend returns nothing to do.
func (w *sendWorker) send(ctx context.Context, job *river.Job[SendArgs]) error {
	sys := domain.SystemContext(ctx, job.Args.WorkspaceID)
	prep, err := w.svc.PrepareSend(sys, job.Args.MessageID)
	switch domain.ErrorCode(err) {
	case domain.CodeNotFound:
		return nil // deleted meanwhile: nothing to deliver
	case domain.CodePreconditionFailed:
		return w.failSend(sys, job.Args.MessageID, nil, "", domain.ErrorMessage(err))
	}
	if err != nil || prep == nil {
		return err
	}
	if md := prep.Message.Media; md != nil && md.UploadID != "" && md.ProviderID == "" {
		f, rc, err := w.svc.OpenOutboundMedia(sys, prep.Message.ID)
		switch domain.ErrorCode(err) {
		case domain.CodeNotFound, domain.CodePreconditionFailed:
			return w.failSend(sys, job.Args.MessageID, nil, "", "the file to send is not stored any more: "+domain.ErrorMessage(err))
		}
		if err != nil {
			return err // our database or disk: worth another attempt
		}
		id, err := w.upload(ctx, prep, f, rc)
		if err != nil {
			return w.retryOrFail(sys, job, err)
		}
		// Kept before the send, so a retried job sends by this id instead
		// of uploading again (media ids live 30 days).
		if err := w.svc.RecordMediaUploaded(sys, prep.Message.ID, id); err != nil {
			return err
		}
		md.ProviderID = id
	}
	res, err := w.callMeta(ctx, sys, prep)
	if err != nil {
		var ge *whatsapp.GraphError
		if errors.As(err, &ge) && ge.Code == whatsapp.CodePairRateLimit {
			w.pairs.penalise(prep.Channel.PhoneNumberID, recipient(prep))
		}
		return w.retryOrFail(sys, job, err)
	}
	if res == nil {
		return nil // a receipt gave it its wamid meanwhile
	}
	if _, err = w.svc.RecordSent(sys, job.Args.MessageID, res.MessageID); err != nil {
		return err
	}
	w.metrics.send(outcomeSent, nil)
	return nil
}

// paceSend waits for the recipient's and then the number's budget. A
// recipient whose budget is spent for more than a moment snoozes the job
// (River runs it again after the wait, not counting an attempt).
func (w *sendWorker) paceSend(ctx context.Context, prep *domain.PreparedSend) error {
	if d := w.pairs.take(prep.Channel.PhoneNumberID, recipient(prep)); d > pairWaitInPlace {
		return river.JobSnooze(d)
	} else if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return w.pace.wait(ctx, prep.Channel.PhoneNumberID)
}

// recipient is the customer's key for pair pacing: wa_id, or user id.
func recipient(prep *domain.PreparedSend) string {
	if prep.To == "" {
		return prep.RecipientUserID
	}
	return strings.TrimPrefix(prep.To, "+")
}

// retryOrFail hands a retryable error back to River (it backs off and
// retries) and ends the message as failed on a permanent one.
func (w *sendWorker) retryOrFail(sys context.Context, job *river.Job[SendArgs], err error) error {
	if isSnooze(err) {
		return err
	}
	if whatsapp.IsRetryable(err) && job.Attempt < job.MaxAttempts {
		w.metrics.send(outcomeRetrying, err)
		return err
	}
	code, reason := failure(err)
	return w.failSend(sys, job.Args.MessageID, err, code, reason)
}

// failSend ends the message as failed and counts it under cause's Meta
// error code (none for a refusal of our own).
func (w *sendWorker) failSend(sys context.Context, messageID string, cause error, code, reason string) error {
	if err := w.svc.FailSend(sys, messageID, code, reason); err != nil {
		return err
	}
	w.metrics.send(outcomeFailed, cause)
	return nil
}

// upload sends our stored file to Meta from the message's number and
// returns its media id.
func (w *sendWorker) upload(ctx context.Context, prep *domain.PreparedSend, f *domain.MediaFile, rc io.ReadCloser) (string, error) {
	defer rc.Close()
	name := f.Filename
	if name == "" {
		name = f.ID
	}
	return w.graph.UploadMedia(ctx, prep.Channel.PhoneNumberID, prep.AccessToken, name, f.MimeType, rc)
}

// failure turns a send error into Meta's code and a readable reason.
func failure(err error) (code, reason string) {
	var ge *whatsapp.GraphError
	if errors.As(err, &ge) {
		reason = ge.Permanent()
		if reason == "" {
			reason = ge.Message
		}
		return strconv.Itoa(ge.Code), reason
	}
	var invalid *whatsapp.ValidationError
	if errors.As(err, &invalid) {
		return "", invalid.Error()
	}
	return "", "could not reach WhatsApp: " + err.Error()
}
