package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

const (
	// mediaJobTimeout bounds one attempt: a 100 MB document on a slow link
	// takes minutes, far more than River's default of one.
	mediaJobTimeout = 15 * time.Minute
	// mediaLookupTimeout bounds the small JSON call that resolves the id.
	mediaLookupTimeout = 30 * time.Second
)

// InsertOpts: inbound media ids live 7 days, but a customer's photo is
// wanted now; a dozen backed-off attempts (about 11 hours) cover a long
// Meta or network outage, or an expired token being replaced.
func (MediaDownloadArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 12} }

// mediaWorker downloads an inbound message's media into the blob store.
type mediaWorker struct {
	river.WorkerDefaults[MediaDownloadArgs]
	svc     *domain.Service
	graph   *whatsapp.Client // without a whole-request timeout: see newMediaWorker
	metrics *metrics
}

// newMediaWorker copies the Graph client without its http.Client timeout,
// which covers reading the whole body (30 s would cut large documents);
// each attempt is bounded by mediaJobTimeout and the lookup by its own.
func newMediaWorker(svc *domain.Service, graph *whatsapp.Client) *mediaWorker {
	if graph == nil {
		return &mediaWorker{svc: svc}
	}
	g := *graph
	hc := http.Client{}
	if graph.HTTP != nil {
		hc = *graph.HTTP
	}
	hc.Timeout = 0
	g.HTTP = &hc
	return &mediaWorker{svc: svc, graph: &g}
}

// Timeout implements river.Worker.
func (w *mediaWorker) Timeout(*river.Job[MediaDownloadArgs]) time.Duration { return mediaJobTimeout }

// Work resolves the media id to a fresh URL (they expire in five minutes,
// so every attempt asks again), downloads it and stores it. Files over
// Meta's limit and permanent Graph errors end the media as failed, and so
// does the last attempt; the message itself was stored long before and
// stays.
func (w *mediaWorker) Work(ctx context.Context, job *river.Job[MediaDownloadArgs]) error {
	sys := domain.SystemContext(ctx, job.Args.WorkspaceID)
	err := w.download(ctx, sys, job.Args.MessageID)
	switch {
	case err == nil:
		return nil
	case mediaErrorIsPermanent(err):
		return w.fail(sys, job.Args.MessageID, err, mediaFailureReason(err))
	case job.Attempt >= job.MaxAttempts:
		return w.fail(sys, job.Args.MessageID, err,
			fmt.Sprintf("gave up after %d attempts: %s", job.Attempt, mediaFailureReason(err)))
	}
	w.metrics.download(outcomeRetrying, err)
	return err
}

// fail ends the media as failed and counts it under cause's Meta error
// code (none for a refusal of our own).
func (w *mediaWorker) fail(sys context.Context, messageID string, cause error, reason string) error {
	if err := w.svc.FailInboundMedia(sys, messageID, reason); err != nil {
		return err
	}
	w.metrics.download(outcomeFailed, cause)
	return nil
}

func (w *mediaWorker) download(ctx, sys context.Context, messageID string) error {
	prep, err := w.svc.PrepareMediaDownload(sys, messageID)
	switch domain.ErrorCode(err) {
	case domain.CodeNotFound:
		return nil // the message is gone: nothing to keep
	case domain.CodePreconditionFailed:
		return w.fail(sys, messageID, nil, domain.ErrorMessage(err))
	}
	if err != nil || prep == nil {
		return err
	}
	lookup, cancel := context.WithTimeout(ctx, mediaLookupTimeout)
	info, err := w.graph.GetMediaURL(lookup, prep.AccessToken, prep.Message.Media.ProviderID)
	cancel()
	if err != nil {
		return err
	}
	if info.FileSize > prep.MaxBytes {
		// Refused before a byte is fetched; the stream is capped as well,
		// in case Meta's size is missing or wrong.
		return fmt.Errorf("%w: %d > %d bytes", whatsapp.ErrMediaTooLarge, info.FileSize, prep.MaxBytes)
	}
	body, mimeType, err := w.graph.OpenMedia(ctx, prep.AccessToken, info.URL, prep.MaxBytes)
	if err != nil {
		return err
	}
	defer body.Close()
	if info.MimeType != "" {
		mimeType = info.MimeType
	}
	if err := w.svc.StoreInboundMedia(sys, messageID, body, mimeType); err != nil {
		return err
	}
	w.metrics.download(outcomeStored, nil)
	return nil
}

// mediaErrorIsPermanent: a file over the limit and Graph errors Meta calls
// permanent end the media. A 404 on the download URL means it expired
// between the two calls, and an expired token (190) may be replaced within
// the media's 7 days: both are worth another attempt, like anything else
// (network, our database or disk).
func mediaErrorIsPermanent(err error) bool {
	if errors.Is(err, whatsapp.ErrMediaTooLarge) {
		return true
	}
	var ge *whatsapp.GraphError
	if errors.As(err, &ge) {
		// A download URL that expired answers 404 or 403 (without a Graph
		// error code); the next attempt asks Meta for a fresh one.
		expiredURL := ge.HTTPStatus == http.StatusNotFound ||
			(ge.Code == 0 && (ge.HTTPStatus == http.StatusForbidden || ge.HTTPStatus == http.StatusUnauthorized))
		return !expiredURL && ge.Code != whatsapp.CodeTokenExpired && !ge.Retryable()
	}
	var invalid *whatsapp.ValidationError
	return errors.As(err, &invalid)
}

// mediaFailureReason says in words why a download ended, for the agent who
// sees the failed media next to the message.
func mediaFailureReason(err error) string {
	var ge *whatsapp.GraphError
	switch {
	case errors.Is(err, whatsapp.ErrMediaTooLarge):
		return "the file is larger than WhatsApp allows for this type of message (" +
			strings.TrimPrefix(err.Error(), whatsapp.ErrMediaTooLarge.Error()+": ") + ")"
	case errors.As(err, &ge) && ge.Code == whatsapp.CodeInvalidParameter && ge.Subcode == 33:
		return "WhatsApp no longer has this file (unknown or expired media id; Graph error 100/33)"
	case errors.As(err, &ge) && ge.Code != 0:
		reason := ge.Permanent()
		if reason == "" {
			reason = strings.TrimPrefix(ge.Error(), "whatsapp: ")
		}
		return fmt.Sprintf("%s (Graph error %d)", reason, ge.Code)
	}
	return strings.TrimPrefix(err.Error(), "whatsapp: ")
}
