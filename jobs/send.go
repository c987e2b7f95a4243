package jobs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

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

// InsertOpts retries for about a day and a half before giving up.
func (SendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 12} }

// sendWorker calls the Graph API for one queued message.
type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	svc   *domain.Service
	graph *whatsapp.Client
	pace  *pacer
	// receiptWait is how long a retry waits for the receipt of an earlier
	// attempt whose answer was lost before sending again.
	receiptWait time.Duration
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
		if ferr := w.svc.FailSend(sys, job.Args.MessageID, "", reason); ferr != nil {
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
		return w.svc.FailSend(sys, job.Args.MessageID, "", domain.ErrorMessage(err))
	}
	if err != nil || prep == nil {
		return err
	}
	if err := w.pace.wait(ctx, prep.Channel.PhoneNumberID); err != nil {
		return err
	}
	res, err := w.callMeta(ctx, sys, prep)
	if err != nil {
		if isSnooze(err) || (whatsapp.IsRetryable(err) && job.Attempt < job.MaxAttempts) {
			return err
		}
		code, reason := failure(err)
		return w.svc.FailSend(sys, job.Args.MessageID, code, reason)
	}
	if res == nil {
		return nil // a receipt gave it its wamid meanwhile
	}
	_, err = w.svc.RecordSent(sys, job.Args.MessageID, res.MessageID)
	return err
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

// pacer keeps each number under its messages-per-second budget, so our own
// speed never earns a 130429 from Meta.
type pacer struct {
	mu     sync.Mutex
	rate   float64
	limits map[string]*rate.Limiter
}

func newPacer(perSecond float64) *pacer {
	return &pacer{rate: perSecond, limits: map[string]*rate.Limiter{}}
}

func (p *pacer) wait(ctx context.Context, phoneNumberID string) error {
	p.mu.Lock()
	l := p.limits[phoneNumberID]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(p.rate), int(max(1, p.rate)))
		p.limits[phoneNumberID] = l
	}
	p.mu.Unlock()
	return l.Wait(ctx)
}

// outbound turns a prepared message into the Graph API request.
func outbound(prep *domain.PreparedSend) whatsapp.OutboundMessage {
	m := prep.Message
	out := whatsapp.OutboundMessage{To: prep.To, BizOpaqueCallbackData: m.ID}
	if m.Type != domain.MessageTemplate || m.Template == nil {
		out.Text = &whatsapp.OutboundText{Body: m.Text}
		return out
	}
	tpl := &whatsapp.OutboundTemplate{Name: m.Template.Name, LanguageCode: m.Template.Language}
	if len(m.Template.Params) > 0 {
		body := whatsapp.TemplateComponent{Type: "body"}
		for _, p := range m.Template.Params {
			body.Parameters = append(body.Parameters, whatsapp.TemplateParameter{Type: "text",
				ParameterName: p.Name, Text: p.Value})
		}
		tpl.Components = []whatsapp.TemplateComponent{body}
	}
	out.Template = tpl
	return out
}
