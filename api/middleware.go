package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/centralita/centralita/domain"
)

const (
	requestIDHeader = "X-Request-Id"
	loggerKey       = "centralita.logger"
)

// saneRequestID accepts ids a proxy or client may send; anything else is
// replaced, so logs cannot be forged or flooded through the header.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// requestID names the request, echoes the id and carries it in the context.
func requestID(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(requestIDHeader)
		if !saneRequestID.MatchString(id) {
			id = domain.NewID("req")
		}
		c.Header(requestIDHeader, id)
		c.Request = c.Request.WithContext(domain.WithRequestID(c.Request.Context(), id))
		c.Set(loggerKey, logger)
		c.Next()
	}
}

func loggerFrom(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		if logger, ok := l.(*slog.Logger); ok {
			return logger
		}
	}
	return slog.Default()
}

// securityHeaders applies to every response, errors included.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	c.Next()
}

// noStore keeps API answers (tokens, customer data) out of shared caches.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// routeLabel is the route template, never the raw path, so metrics and
// logs have bounded cardinality and carry no ids.
func routeLabel(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// accessLog writes one structured line per request and observes latency.
func accessLog(logger *slog.Logger, duration *prometheus.HistogramVec) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		elapsed := time.Since(start)
		status := c.Writer.Status()
		route := routeLabel(c)
		duration.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelWarn
		}
		logger.LogAttrs(c.Request.Context(), level, "http request",
			slog.String("request_id", domain.RequestID(c.Request.Context())),
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Float64("latency_ms", float64(elapsed.Microseconds())/1000),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
		)
	}
}

// recovery turns a panic into a logged 500 problem instead of a dropped
// connection.
func recovery(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(rec) // the server's own signal to abort the response
		}
		loggerFrom(c).ErrorContext(c.Request.Context(), "panic serving request",
			slog.String("request_id", domain.RequestID(c.Request.Context())),
			slog.String("panic", fmt.Sprint(rec)), slog.String("stack", string(debug.Stack())))
		writeProblem(c, newProblem(errors.New("panic"), domain.RequestID(c.Request.Context())))
	}()
	c.Next()
}

// limitBody refuses bodies over max bytes: at once when Content-Length says
// so, and while reading otherwise (decodeBody then answers 413).
func limitBody(maxBytes int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > maxBytes {
			fail(c, errPayloadTooLarge)
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBytes)
		}
		c.Next()
	}
}

// authenticate resolves the bearer credential into a domain.Principal in
// the request context. Every refusal has the same body, a problem+json.
func authenticate(svc *domain.Service, tokens *Tokens) gin.HandlerFunc {
	return authenticateWith(svc, tokens, fail)
}

// authenticateWith is authenticate answering refusals with refuse, so
// /graphql can answer in GraphQL's shape (graphql_auth.go).
func authenticateWith(svc *domain.Service, tokens *Tokens, refuse func(*gin.Context, error)) gin.HandlerFunc {
	fail := refuse
	denied := domain.Errorf(domain.CodeUnauthenticated, "missing, invalid or expired credentials")
	check := Authenticator(svc, tokens)
	return func(c *gin.Context) {
		scheme, credential, ok := strings.Cut(c.GetHeader("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			fail(c, denied)
			return
		}
		ctx := c.Request.Context()
		recheck, err := check(ctx, strings.TrimSpace(credential))
		if err != nil {
			fail(c, denied)
			return
		}
		p, err := recheck(ctx)
		if err != nil {
			if domain.ErrorCode(err) == domain.CodeUnauthenticated {
				err = denied
			}
			fail(c, err)
			return
		}
		c.Request = c.Request.WithContext(domain.WithPrincipal(ctx, p))
		c.Next()
	}
}

// Authenticator checks a bearer credential, an API key (ck_…) or an access
// token, the way every request is checked: the token's signature and
// expiry at once, then (in recheck) the key, or the token's expiry, the
// session and the user, in the database. GraphQL's WebSocket connections use it for
// connection_init and call recheck again while they stay open.
func Authenticator(svc *domain.Service, tokens *Tokens) func(ctx context.Context, credential string) (func(context.Context) (domain.Principal, error), error) {
	denied := domain.Errorf(domain.CodeUnauthenticated, "missing, invalid or expired credentials")
	return func(ctx context.Context, credential string) (func(context.Context) (domain.Principal, error), error) {
		if credential == "" || len(credential) > maxTokenLength {
			return nil, denied
		}
		if strings.HasPrefix(credential, "ck_") {
			return func(ctx context.Context) (domain.Principal, error) {
				return svc.AuthenticateAPIKey(ctx, credential)
			}, nil
		}
		claims, err := tokens.parse(credential)
		if err != nil {
			return nil, denied
		}
		ac := domain.AccessClaims{WorkspaceID: claims.WorkspaceID, UserID: claims.Subject,
			SessionID: claims.SessionID, TokenVersion: claims.TokenVersion}
		return func(ctx context.Context) (domain.Principal, error) {
			// A socket outlives its token: once the token expires, it ends
			// as a request carrying that token would, and the client
			// reconnects with a fresh one.
			if claims.ExpiresAt != nil && !tokens.now().Before(claims.ExpiresAt.Time) {
				return domain.Principal{}, denied
			}
			return svc.AuthenticateUser(ctx, ac)
		}, nil
	}
}
