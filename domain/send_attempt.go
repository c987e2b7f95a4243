package domain

import (
	"context"
	"time"
)

// Meta's /messages takes no idempotency key: a send whose answer we never
// saw (the process died mid-call, the connection dropped, the call timed
// out) may or may not have reached the customer, and sending it again may
// send it twice. What we do have is our message id in
// biz_opaque_callback_data, which Meta echoes on the "sent" receipt it
// posts within seconds of accepting a message. So the worker records an
// attempt (committed) before every call, clears it when Meta answers, and
// a retry that still finds one waits, up to a bound, for that receipt:
// ApplyStatus then gives the message its wamid and there is nothing left to
// send. Only when no receipt comes within the bound is the message sent
// again; that residual window (accepted by Meta, answer lost, receipt lost
// or later than the bound) is the one way a customer can get a message
// twice.

// SendAttemptStore remembers sends that may have reached Meta.
type SendAttemptStore interface {
	// SendAttemptedAt returns when the last unanswered attempt started, or
	// nil.
	SendAttemptedAt(ctx context.Context, messageID string) (*time.Time, error)
	// MarkSendAttempt records (or moves) the attempt of a message.
	MarkSendAttempt(ctx context.Context, messageID string, at time.Time) error
	// ClearSendAttempt forgets it; clearing nothing is not an error.
	ClearSendAttempt(ctx context.Context, messageID string) error
}

// SendAttempt is what the send worker may do with a message right now.
type SendAttempt struct {
	// Proceed: an attempt is recorded, call Meta.
	Proceed bool
	// Wait, when Proceed is false and Wait > 0: an earlier attempt may have
	// reached Meta; ask again after Wait (its receipt may arrive meanwhile).
	// Neither set: the message needs no send any more.
	Wait time.Duration
}

// BeginSendAttempt is called by the send worker right before it calls Meta:
// it records the attempt, or says to wait for the receipt of an earlier
// unanswered one younger than receiptWait, or that the message was sent,
// failed or learnt its wamid meanwhile. System only.
func (s *Service) BeginSendAttempt(ctx context.Context, messageID string, receiptWait time.Duration) (SendAttempt, error) {
	if err := sendWorkerOnly(ctx); err != nil {
		return SendAttempt{}, err
	}
	var out SendAttempt
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		// The lock orders us with ApplyStatus, which gives the message its
		// wamid from a receipt under the same lock.
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Direction != DirectionOutbound || m.Status != DeliveryQueued || m.ProviderMessageID != "" {
			return nil
		}
		now := s.now()
		last, err := s.store.SendAttemptedAt(ctx, messageID)
		if err != nil {
			return err
		}
		if last != nil {
			if waited := now.Sub(*last); waited >= 0 && waited < receiptWait {
				out.Wait = receiptWait - waited
				return nil
			}
		}
		out.Proceed = true
		return s.store.MarkSendAttempt(ctx, messageID, now)
	})
	return out, err
}

// EndSendAttempt forgets a message's attempt once Meta answered it (with a
// wamid, or with an error that says it was not sent), so a retry does not
// wait for a receipt that cannot come. System only.
func (s *Service) EndSendAttempt(ctx context.Context, messageID string) error {
	if err := sendWorkerOnly(ctx); err != nil {
		return err
	}
	return s.store.ClearSendAttempt(ctx, messageID)
}

func sendWorkerOnly(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System {
		return Errorf(CodeForbidden, "only the send worker attempts sends")
	}
	return nil
}
