package graph

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/centralita/centralita/domain"
)

// Authenticator checks a bearer credential (an access token or an API
// key) exactly as HTTP requests are checked, and returns how to check it
// again: a WebSocket connection outlives many requests, so its session or
// key is re-read periodically (revocation, deactivation, role and queue
// changes take effect on open subscriptions too).
type Authenticator func(ctx context.Context, credential string) (recheck func(context.Context) (domain.Principal, error), err error)

const (
	// maxStreamsPerConnection bounds the subscriptions one socket holds.
	maxStreamsPerConnection = 50
	defaultRecheck          = time.Minute
	defaultKeepAlive        = 25 * time.Second
	initTimeout             = 10 * time.Second
	// closeForbidden is graphql-transport-ws's close code for a refused
	// connection_init.
	closeForbidden = 4403
)

// liveCaller is the authenticated subscriber of one WebSocket connection.
type liveCaller struct {
	mu      sync.Mutex
	current domain.Principal
	streams int
	revoked chan struct{}
}

type liveCallerKey struct{}

func liveCallerFrom(ctx context.Context) *liveCaller {
	c, _ := ctx.Value(liveCallerKey{}).(*liveCaller)
	return c
}

func (c *liveCaller) principal() domain.Principal {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current
}

func (c *liveCaller) startStream() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.streams >= maxStreamsPerConnection {
		return false
	}
	c.streams++
	return true
}

func (c *liveCaller) endStream() {
	c.mu.Lock()
	c.streams--
	c.mu.Unlock()
}

// credentialOf reads the credential from connection_init's payload:
// {"Authorization": "Bearer …"}, {"authorization": …} or {"token": …}.
func credentialOf(payload transport.InitPayload) string {
	for _, key := range []string{"Authorization", "authorization", "token"} {
		v, _ := payload[key].(string)
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if scheme, credential, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(credential)
		}
		return v
	}
	return ""
}

// liveInit authenticates connection_init and keeps re-checking the
// credential while the connection lasts.
func liveInit(authenticate Authenticator, every time.Duration) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		refused := transport.WithWebsocketCloseCode(transport.AppendCloseReason(ctx, "Forbidden"), closeForbidden)
		recheck, err := authenticate(ctx, credentialOf(payload))
		if err != nil {
			return refused, nil, errors.New("missing, invalid or expired credentials")
		}
		p, err := recheck(ctx)
		if err != nil {
			return refused, nil, errors.New("missing, invalid or expired credentials")
		}
		caller := &liveCaller{current: p, revoked: make(chan struct{})}
		ctx = context.WithValue(domain.WithPrincipal(ctx, p), liveCallerKey{}, caller)
		ctx, cancel := context.WithCancel(ctx)
		caller.watch(ctx, cancel, recheck, every)
		return ctx, nil, nil
	}
}

// watch re-checks the credential every interval, on a timer rather than a
// goroutine of its own (a socket already costs several): a failure other
// than unauthenticated (a database hiccup) keeps the last principal.
func (c *liveCaller) watch(ctx context.Context, cancel context.CancelFunc, recheck func(context.Context) (domain.Principal, error), every time.Duration) {
	var mu sync.Mutex
	var timer *time.Timer
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		timer.Stop()
		mu.Unlock()
	})
	var check func()
	check = func() {
		if ctx.Err() != nil {
			return
		}
		p, err := recheck(ctx)
		switch {
		case err == nil:
			c.mu.Lock()
			c.current = p
			c.mu.Unlock()
		case domain.ErrorCode(err) == domain.CodeUnauthenticated:
			stop()
			close(c.revoked)
			// Let the subscriptions say why before the socket closes.
			time.AfterFunc(time.Second, cancel)
			return
		}
		mu.Lock()
		timer.Reset(every)
		mu.Unlock()
	}
	mu.Lock()
	timer = time.AfterFunc(every, check)
	mu.Unlock()
}
