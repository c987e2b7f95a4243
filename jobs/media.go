package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// InsertOpts: media ids live 30 days, but a customer's photo is wanted now;
// a dozen backed-off attempts cover a long Meta or network outage.
func (MediaDownloadArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 12} }

// mediaWorker downloads an inbound message's media into the blob store.
type mediaWorker struct {
	river.WorkerDefaults[MediaDownloadArgs]
	svc   *domain.Service
	graph *whatsapp.Client
}

// Work resolves the media id to a fresh URL (they expire in five minutes,
// so every attempt asks again), downloads it and stores it. Files over
// Meta's limit and permanent Graph errors end the media as failed; the
// message itself was stored long before and stays.
func (w *mediaWorker) Work(ctx context.Context, job *river.Job[MediaDownloadArgs]) error {
	sys := domain.SystemContext(ctx, job.Args.WorkspaceID)
	err := w.download(ctx, sys, job.Args.MessageID)
	if err == nil {
		return nil
	}
	permanent := mediaErrorIsPermanent(err)
	if permanent || job.Attempt >= job.MaxAttempts {
		reason := err.Error()
		if job.Attempt >= job.MaxAttempts && !permanent {
			reason = fmt.Sprintf("gave up after %d attempts: %v", job.Attempt, err)
		}
		return w.svc.FailInboundMedia(sys, job.Args.MessageID, reason)
	}
	return err
}

func (w *mediaWorker) download(ctx, sys context.Context, messageID string) error {
	prep, err := w.svc.PrepareMediaDownload(sys, messageID)
	switch domain.ErrorCode(err) {
	case domain.CodeNotFound:
		return nil // the message is gone: nothing to keep
	case domain.CodePreconditionFailed:
		return w.svc.FailInboundMedia(sys, messageID, domain.ErrorMessage(err))
	}
	if err != nil || prep == nil {
		return err
	}
	info, err := w.graph.GetMediaURL(ctx, prep.AccessToken, prep.Message.Media.ProviderID)
	if err != nil {
		return err
	}
	if info.FileSize > prep.MaxBytes {
		return fmt.Errorf("%w: %d > %d bytes", whatsapp.ErrMediaTooLarge, info.FileSize, prep.MaxBytes)
	}
	data, mimeType, err := w.graph.DownloadMedia(ctx, prep.AccessToken, info.URL, prep.MaxBytes)
	if err != nil {
		return err
	}
	if info.MimeType != "" {
		mimeType = info.MimeType
	}
	return w.svc.StoreInboundMedia(sys, messageID, bytes.NewReader(data), mimeType)
}

// mediaErrorIsPermanent: a file over the limit and Graph errors Meta calls
// permanent end the media; a 404 on the download URL means it expired
// between the two calls, and anything else (network, our database or disk)
// is worth another attempt.
func mediaErrorIsPermanent(err error) bool {
	if errors.Is(err, whatsapp.ErrMediaTooLarge) {
		return true
	}
	var ge *whatsapp.GraphError
	if errors.As(err, &ge) {
		return ge.HTTPStatus != 404 && !ge.Retryable()
	}
	var invalid *whatsapp.ValidationError
	return errors.As(err, &invalid)
}
