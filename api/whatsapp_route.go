package api

import (
	"fmt"
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// routing is what a delivery may do, change by change.
type routing struct {
	plan []routedChange
	// quarantined says why authenticated changes were kept in the
	// dead-letter table instead of being applied.
	quarantined []string
	// rejected: a change was not signed with its number's app secret.
	rejected bool
	// authenticated: a change was signed with its own number's app secret.
	authenticated bool
}

type routedChange struct {
	channel *domain.Channel
	change  whatsapp.Change
}

// route finds each change's channel and keeps the changes this signature
// may write: a number with its own app secret accepts only deliveries
// signed with it, the others the global WHATSAPP_APP_SECRET. Unknown
// numbers (Meta's dashboard test, entry.id "0", included) are logged and
// ignored. A change whose entry.id is not its number's WABA is not applied
// (T10): Meta never sends one, so it is a misconfiguration or a forgery,
// and it is quarantined for a person to look at.
func (w *whatsappWebhook) route(c *gin.Context, d *whatsapp.Delivery, body []byte, signature string, globalOK bool) (routing, error) {
	ctx, log := c.Request.Context(), loggerFrom(c)
	var r routing
	for _, change := range d.Changes {
		// Every change naming a number is authenticated, even one with
		// nothing to apply: its bad items are kept only if it is Meta's.
		if change.PhoneNumberID == "" {
			continue
		}
		ch, err := w.svc.ChannelForPhoneNumber(ctx, change.PhoneNumberID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			log.WarnContext(ctx, "whatsapp delivery for an unknown number ignored", slog.String("phone_number_id", change.PhoneNumberID))
			continue
		}
		if err != nil {
			return routing{}, err
		}
		_, secret, err := w.svc.ChannelCredentials(domain.SystemContext(ctx, ch.WorkspaceID), ch)
		if err != nil {
			return routing{}, err
		}
		ok := globalOK
		if secret != "" {
			ok = whatsapp.VerifySignature(body, signature, secret)
		}
		if !ok {
			log.WarnContext(ctx, "whatsapp change not signed with its number's app secret", slog.String("channel_id", ch.ID))
			r.rejected = true
			continue
		}
		r.authenticated = r.authenticated || secret != ""
		if !carriesWork(change) {
			continue
		}
		if change.WABAID != ch.WABAID {
			log.WarnContext(ctx, "whatsapp change for another WABA than its number's quarantined",
				slog.String("channel_id", ch.ID), slog.String("phone_number_id", change.PhoneNumberID),
				slog.String("entry_id", change.WABAID), slog.String("waba_id", ch.WABAID))
			r.quarantined = append(r.quarantined, fmt.Sprintf("entry.id %q is not WABA %s of phone_number_id %s",
				change.WABAID, ch.WABAID, change.PhoneNumberID))
			continue
		}
		r.plan = append(r.plan, routedChange{channel: ch, change: change})
	}
	return r, nil
}
