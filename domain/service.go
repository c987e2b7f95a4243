package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"time"

	"github.com/centralita/centralita/domain/eventbus"
)

// Options tunes a Service. Zero values take the defaults.
type Options struct {
	Now        func() time.Time
	RefreshTTL time.Duration
	// LoginAttempts scales login throttling: an IP, and an email across
	// all sources, may fail ten times as many logins per LoginWindow (see
	// login_throttle.go); a password change may fail LoginAttempts times.
	LoginAttempts int
	LoginWindow   time.Duration
	// PhoneE164 derives the dialable number of a WhatsApp id ("" when it
	// cannot); the channel adapter provides it. Nil leaves numbers unknown.
	PhoneE164 func(waID string) string
	// PhoneCountry derives the ISO 3166 alpha-2 country of a WhatsApp id
	// ("" when it cannot), for routing rules; the channel adapter provides
	// it. Nil leaves countries unknown.
	PhoneCountry func(waID string) string
	// Sealer encrypts channel credentials at rest. Nil refuses credentials.
	Sealer Sealer
	// Blobs keeps media files (uploads and downloaded inbound media). Nil
	// refuses media.
	Blobs BlobStore
	// RefusedSecrets are published secrets (the demo's API key and
	// password) that never authenticate, whatever the database holds: a
	// database once seeded with them must not open with them in production.
	RefusedSecrets []string
	// RateLimits are the API's per-minute quotas (all off when zero).
	RateLimits RateLimits
	// LiveBuffer is how many events a live subscriber may fall behind
	// before it is dropped (default 256).
	LiveBuffer int
	// Webhooks configures outbound webhooks (webhook_types.go).
	Webhooks WebhookOptions
}

// Service holds the business rules of the inbox. Adapters (REST, GraphQL,
// WhatsApp, jobs) call it; it calls persistence through Store.
type Service struct {
	store    Store
	hasher   PasswordHasher
	now      func() time.Time
	opts     Options
	throttle *throttle
	logins   *loginThrottle
	timers   timers
	sessions *sessionCache
	refusals *rateRefusals
	live     *eventbus.Hub[*LiveEvent]

	dummyOnce sync.Once
	dummyHash string
}

// NewService builds a Service.
func NewService(store Store, hasher PasswordHasher, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RefreshTTL == 0 {
		opts.RefreshTTL = 30 * 24 * time.Hour
	}
	if opts.LoginAttempts == 0 {
		opts.LoginAttempts = 10
	}
	if opts.LiveBuffer <= 0 {
		opts.LiveBuffer = defaultLiveBuffer
	}
	if opts.Webhooks.RetryUnit <= 0 {
		opts.Webhooks.RetryUnit = time.Second
	}
	if opts.LoginWindow == 0 {
		opts.LoginWindow = 15 * time.Minute
	}
	s := &Service{store: store, hasher: hasher, now: func() time.Time { return opts.Now().UTC() },
		opts: opts, throttle: newThrottle(), logins: newLoginThrottle(), sessions: newSessionCache(), refusals: newRateRefusals(),
		live: eventbus.New[*LiveEvent]()}
	s.HandleTimer(TimerAutoClosePending, s.autoClosePending)
	s.HandleTimer(TimerOfflineGrace, s.offlineGraceEnded)
	s.HandleTimer(TimerSLA, s.onSLATimer)
	return s
}

// Now returns the service clock's current instant (UTC).
func (s *Service) Now() time.Time { return s.now() }

// record appends a domain event inside the caller's transaction.
func (s *Service) record(ctx context.Context, typ, subjectID string, payload map[string]any) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	return s.store.AppendEvent(ctx, &Event{ID: NewID(PrefixEvent), WorkspaceID: p.WorkspaceID,
		Type: typ, Actor: actorOf(ctx, p), SubjectID: subjectID, Payload: payload, CreatedAt: s.now()})
}

// randomToken returns a prefixed, URL-safe token with 256 bits of entropy.
func randomToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how high-entropy secrets (API keys, refresh tokens) are
// stored: a fast hash is enough because they cannot be guessed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func checkIDs(field, prefix string, ids []string) error {
	for _, id := range ids {
		if !ValidID(prefix, id) {
			return FieldError(field, "%q is not a valid id", id)
		}
	}
	return nil
}

func uniqueStrings(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
