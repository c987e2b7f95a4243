package jobs

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/riverqueue/river"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// DefaultReceiptWait is how long a retry waits, by default, for the receipt
// of an attempt whose answer was lost. Meta posts the "sent" receipt
// within seconds of accepting a message; the rest covers its webhook
// retries while our own process restarts.
const DefaultReceiptWait = 2 * time.Minute

// callMeta sends a prepared message once, under a recorded attempt (see
// domain.BeginSendAttempt), within the customer's and the number's pace:
// it returns nil and no error when the message needs no send any more,
// and a snooze while the receipt of an earlier attempt that may have
// reached Meta can still arrive, or while the customer's budget is spent.
func (w *sendWorker) callMeta(ctx, sys context.Context, prep *domain.PreparedSend) (*whatsapp.SendResult, error) {
	attempt, err := w.svc.BeginSendAttempt(sys, prep.Message.ID, w.receiptWait)
	if err != nil {
		return nil, err
	}
	if !attempt.Proceed {
		if attempt.Wait > 0 {
			return nil, river.JobSnooze(attempt.Wait)
		}
		return nil, nil
	}
	// Paced only now, so a send that turns out to need no call spends none
	// of the customer's budget.
	if err := w.paceSend(ctx, prep); err != nil {
		// Not sent: a retry need not wait for a receipt.
		if cerr := w.svc.EndSendAttempt(sys, prep.Message.ID); cerr != nil {
			return nil, errors.Join(err, cerr)
		}
		return nil, err
	}
	res, err := w.graph.SendMessage(ctx, prep.Channel.PhoneNumberID, prep.AccessToken, outbound(prep))
	if err != nil {
		if notSent(err) {
			// Meta refused it, or it never left: a retry need not wait for
			// a receipt that cannot come.
			if cerr := w.svc.EndSendAttempt(sys, prep.Message.ID); cerr != nil {
				return nil, errors.Join(err, cerr)
			}
		}
		return nil, err
	}
	return &res, nil
}

// notSent reports whether a send error proves the message did not reach
// the customer: Meta answered with an error, the request failed our own
// validation, or the connection was never made. A timeout, a dropped
// connection or an unreadable answer leave it unknown.
func notSent(err error) bool {
	var ge *whatsapp.GraphError
	var invalid *whatsapp.ValidationError
	if errors.As(err, &ge) || errors.As(err, &invalid) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isSnooze(err error) bool {
	var snooze *river.JobSnoozeError
	return errors.As(err, &snooze)
}
