package api

import (
	"context"
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// maxItemsPerTransaction is the most items a delivery records in one
// transaction: Meta sends at most 50 per POST.
const maxItemsPerTransaction = 50

// record stores a delivery's items, one transaction per workspace it
// names (domain.InDelivery): one commit for up to Meta's 50 items instead
// of one each. An item the domain refuses is undone alone by its savepoint
// and dead-lettered in the same transaction. If the transaction as a whole
// fails (a lost race, a deadlock, a dropped connection), nothing of it was
// stored and the workspace's items are recorded again one transaction
// each, as before batching; an error there fails the delivery, Meta
// retries it, and the items already written are redelivery no-ops.
func (w *whatsappWebhook) record(c *gin.Context, plan []routedChange) error {
	ctx := c.Request.Context()
	for _, group := range byWorkspace(plan) {
		if n := group.items(); n <= 1 || n > maxItemsPerTransaction {
			// One item has its own transaction already: no savepoint to
			// pay for. Past Meta's 50, savepoints outgrow what Postgres
			// tracks cheaply (64 subtransactions per transaction).
			if err := w.applyEach(c, group); err != nil {
				return err
			}
			continue
		}
		// Metrics describe what is stored: a batch's are counted after
		// its commit, and forgotten if it rolls back.
		var pending []func()
		later := func(count func()) { pending = append(pending, count) }
		err := w.svc.InDelivery(ctx, group.workspaceID, func(ctx context.Context) error {
			pending = pending[:0]
			for _, rc := range group.changes {
				if err := w.apply(ctx, c, rc.channel, rc.change, later); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for _, count := range pending {
				count()
			}
			continue
		}
		if ctx.Err() != nil {
			return err // the client hung up: there is nobody to record for
		}
		loggerFrom(c).WarnContext(ctx, "whatsapp delivery recorded item by item after its transaction failed",
			slog.String("error", err.Error()))
		if err := w.applyEach(c, group); err != nil {
			return err
		}
	}
	return nil
}

// applyEach records a workspace's items one transaction each, counting
// each item's metrics as soon as it is stored.
func (w *whatsappWebhook) applyEach(c *gin.Context, group workspaceChanges) error {
	now := func(count func()) { count() }
	for _, rc := range group.changes {
		if err := w.apply(c.Request.Context(), c, rc.channel, rc.change, now); err != nil {
			return err
		}
	}
	return nil
}

// workspaceChanges are the changes of a delivery routed to one workspace.
type workspaceChanges struct {
	workspaceID string
	changes     []routedChange
}

// items counts the messages, receipts and user id updates to record.
func (g workspaceChanges) items() int {
	n := 0
	for _, rc := range g.changes {
		n += len(rc.change.Messages) + len(rc.change.Statuses) + len(rc.change.UserIDUpdates)
	}
	return n
}

// byWorkspace groups plan by workspace, in the order workspaces first
// appear, keeping each workspace's changes in delivery order.
func byWorkspace(plan []routedChange) []workspaceChanges {
	var groups []workspaceChanges
	at := map[string]int{}
	for _, rc := range plan {
		i, ok := at[rc.channel.WorkspaceID]
		if !ok {
			i = len(groups)
			at[rc.channel.WorkspaceID] = i
			groups = append(groups, workspaceChanges{workspaceID: rc.channel.WorkspaceID})
		}
		groups[i].changes = append(groups[i].changes, rc)
	}
	return groups
}

// apply records one change's messages and receipts with ctx (a delivery's
// transaction, or none), handing count the metrics of each item. Only
// items the domain calls invalid are skipped (one bad item never drops the
// others), and they are kept as dead letters, since the delivery is
// acknowledged; anything else fails the change.
func (w *whatsappWebhook) apply(ctx context.Context, c *gin.Context, ch *domain.Channel, change whatsapp.Change, count func(func())) error {
	log := loggerFrom(c)
	sys := domain.SystemContext(ctx, ch.WorkspaceID)
	counted := func(kind, outcome string) { count(func() { w.metrics.item(c, kind, outcome) }) }
	skip := func(kind, id string, raw []byte, err error) error {
		if domain.ErrorCode(err) != domain.CodeInvalid {
			return err
		}
		reason := kind + " " + id + " skipped: " + domain.ErrorMessage(err)
		if err := w.svc.DeadLetter(ctx, raw, reason); err != nil {
			return err
		}
		count(func() {
			log.WarnContext(ctx, "whatsapp item skipped", slog.String("kind", kind), slog.String("id", id),
				slog.String("reason", domain.ErrorMessage(err)))
			w.metrics.deadLetter(c, deadLetterRefusedItem)
			w.metrics.item(c, kind, itemDeadLettered)
		})
		return nil
	}
	for _, m := range change.Messages {
		created, err := w.svc.ReceiveMessage(sys, ch, inboundFromWhatsApp(m, change.Contacts))
		if err != nil {
			if err := skip("message", m.ProviderMessageID, m.Raw, err); err != nil {
				return err
			}
			continue
		}
		counted("message", itemOutcome(created))
	}
	for _, st := range change.Statuses {
		if err := w.svc.ApplyStatus(sys, ch, statusFromWhatsApp(st)); err != nil {
			if err := skip("status", st.ProviderMessageID, st.Raw, err); err != nil {
				return err
			}
			continue
		}
		// A receipt is recorded whether or not it moves its message.
		counted("status", itemApplied)
	}
	for _, u := range change.UserIDUpdates {
		if err := w.svc.FollowUserIDUpdate(sys, ch, u.WaID, u.PreviousUserID, u.CurrentUserID); err != nil {
			if err := skip("user_id_update", u.CurrentUserID, change.Value, err); err != nil {
				return err
			}
			continue
		}
		counted("user_id_update", itemApplied)
	}
	return nil
}
