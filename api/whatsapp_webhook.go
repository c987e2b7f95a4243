package api

import (
	"cmp"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// WhatsAppConfig holds the secrets Meta's webhook is checked with.
type WhatsAppConfig struct {
	VerifyToken string // echoed handshake token set in Meta's App Dashboard
	AppSecret   string // signs every delivery (X-Hub-Signature-256)
	// MaxInFlight bounds the deliveries worked on at once (0: unbounded);
	// more are refused with 503 and Retry-After (see limitInFlight).
	MaxInFlight int
}

// maxWebhookBytes is above Meta's ~3 MB payload ceiling.
const maxWebhookBytes = 4 << 20

// Meta's challenge is a number; anything else is not echoed.
var challengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

type whatsappWebhook struct {
	svc     *domain.Service
	cfg     WhatsAppConfig
	metrics *webhookMetrics
}

func registerWhatsApp(r *gin.Engine, svc *domain.Service, cfg WhatsAppConfig, metrics *webhookMetrics) {
	w := &whatsappWebhook{svc: svc, cfg: cfg, metrics: metrics}
	r.GET("/webhooks/whatsapp", w.verify)
	r.POST("/webhooks/whatsapp", metrics.countDelivery, limitInFlight(cfg.MaxInFlight, metrics.inFlight), limitBody(maxWebhookBytes), w.receive)
}

// verify answers Meta's subscription handshake.
func (w *whatsappWebhook) verify(c *gin.Context) {
	token, challenge := c.Query("hub.verify_token"), c.Query("hub.challenge")
	if w.cfg.VerifyToken == "" || c.Query("hub.mode") != "subscribe" || !challengePattern.MatchString(challenge) ||
		subtle.ConstantTimeCompare([]byte(token), []byte(w.cfg.VerifyToken)) != 1 {
		w.metrics.verifications.WithLabelValues("refused").Inc()
		fail(c, domain.Errorf(domain.CodeForbidden, "verification failed"))
		return
	}
	w.metrics.verifications.WithLabelValues("accepted").Inc()
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(challenge))
}

// receive authenticates a delivery on its raw bytes, then records every item
// before answering 200: Meta retries anything else, and a redelivery is a
// no-op, so a failure (503 while the database is unreachable) answers an
// error rather than losing what was sent.
func (w *whatsappWebhook) receive(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(c, errPayloadTooLarge)
			return
		}
		fail(c, domain.Errorf(domain.CodeInvalid, "could not read the body"))
		return
	}
	signature := c.GetHeader(whatsapp.SignatureHeader)
	globalOK := w.cfg.AppSecret != "" && whatsapp.VerifySignature(body, signature, w.cfg.AppSecret)
	if !globalOK {
		// Before the body is parsed: see mayBeMeta.
		if possible, err := w.mayBeMeta(c, body, signature); err != nil || !possible {
			fail(c, cmp.Or(err, error(errBadSignature)))
			return
		}
	}
	delivery, err := whatsapp.ParseWebhook(body)
	if err != nil {
		w.keepUnparsed(c, body, signature, globalOK, err)
		return
	}
	r, err := w.route(c, delivery, body, signature, globalOK)
	if err != nil {
		fail(c, err)
		return
	}
	// A delivery that cannot speak for every number it names writes
	// nothing: Meta retries it, so nothing is lost once secrets are fixed.
	authenticated := globalOK || r.authenticated
	if !authenticated && !r.rejected {
		// Nothing in it named a number with its own secret (only bad items,
		// or an account-level field): any number's secret may have signed it.
		if authenticated, err = w.signedByANumber(c, body, signature); err != nil {
			fail(c, err)
			return
		}
	}
	if r.rejected || !authenticated {
		fail(c, errBadSignature)
		return
	}
	// Keep the raw body of anything only partly understood or misaddressed.
	var reasons []string
	if len(delivery.Problems) > 0 {
		reasons = append(reasons, delivery.Problems[0].Path+": "+delivery.Problems[0].Reason)
		loggerFrom(c).WarnContext(ctx, "whatsapp delivery had bad items", slog.Int("problems", len(delivery.Problems)),
			slog.String("first", reasons[0]))
	}
	reason := deadLetterMalformedItems
	if len(reasons) == 0 {
		reason = deadLetterQuarantined
	}
	reasons = append(reasons, r.quarantined...)
	if len(reasons) > 0 {
		if err := w.svc.DeadLetter(ctx, body, strings.Join(reasons, "; ")); err != nil {
			fail(c, err)
			return
		}
		w.metrics.deadLetter(c, reason)
		// Quarantine is the delivery's outcome even beside bad items.
		tallyOf(c).quarantined = len(r.quarantined) > 0
	}
	if err := w.record(c, r.plan); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusOK)
}

var errBadSignature = domain.Errorf(domain.CodeUnauthenticated, "missing or invalid X-Hub-Signature-256")

// keepUnparsed dead-letters a body that cannot be parsed, if Meta signed
// it, and acknowledges it so Meta stops retrying. Such a body names no
// number, so besides the global secret every number's own may have signed
// it; those are looked up only for a well-formed signature.
func (w *whatsappWebhook) keepUnparsed(c *gin.Context, body []byte, signature string, globalOK bool, parseErr error) {
	ctx := c.Request.Context()
	signed := globalOK
	if !signed {
		var err error
		if signed, err = w.signedByANumber(c, body, signature); err != nil {
			fail(c, err)
			return
		}
	}
	if !signed {
		fail(c, errBadSignature)
		return
	}
	if err := w.svc.DeadLetter(ctx, body, parseErr.Error()); err != nil {
		fail(c, err)
		return
	}
	w.metrics.deadLetter(c, deadLetterUnparseable)
	loggerFrom(c).WarnContext(ctx, "whatsapp delivery dead-lettered", slog.String("reason", parseErr.Error()))
	c.Status(http.StatusOK)
}

// signedByANumber reports whether one of the numbers' own app secrets
// signed body. The secrets are looked up only for a well-formed signature.
func (w *whatsappWebhook) signedByANumber(c *gin.Context, body []byte, signature string) (bool, error) {
	if !whatsapp.WellFormedSignature(signature) {
		return false, nil
	}
	secrets, err := w.svc.ChannelAppSecrets(c.Request.Context())
	if err != nil {
		return false, err
	}
	return whatsapp.VerifySignature(body, signature, secrets...), nil
}

func itemOutcome(created bool) string {
	if created {
		return itemApplied
	}
	return itemDuplicate
}

// carriesWork reports whether a change holds anything we record: messages
// and receipts, or customers' user id rotations.
func carriesWork(change whatsapp.Change) bool {
	switch change.Field {
	case "messages":
		return len(change.Messages) > 0 || len(change.Statuses) > 0
	case "user_id_update":
		return len(change.UserIDUpdates) > 0
	}
	return false
}

func statusFromWhatsApp(st whatsapp.StatusUpdate) domain.StatusUpdate {
	out := domain.StatusUpdate{ProviderMessageID: st.ProviderMessageID, Timestamp: st.Timestamp,
		CallbackMessageID: st.BizOpaqueCallbackData}
	out.Status, _ = st.DeliveryStatus() // unknown values map to "" and are ignored
	if len(st.Errors) > 0 {
		out.ErrorCode = fmtCode(st.Errors[0].Code)
		out.ErrorTitle = st.Errors[0].Title
	}
	return out
}

func fmtCode(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}
