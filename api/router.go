// Package api is the REST adapter: gin routes under /v1 that parse a
// request, make one domain call and render the answer, plus the HTTP
// plumbing (authentication, request ids, access log, metrics, limits)
// that GraphQL shares.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/centralita/centralita/domain"
)

// DefaultMaxBodyBytes bounds request bodies when Deps.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// Deps is what the router needs from the process.
type Deps struct {
	// TrustedProxies are the CIDRs or IPs of load balancers in front of the
	// API; nil trusts none.
	TrustedProxies []string
	Service        *domain.Service
	Tokens         *Tokens
	Logger         *slog.Logger
	Registry       *prometheus.Registry
	// Metrics says whether and how GET /metrics is served here.
	Metrics MetricsAccess
	// GraphQL is served at POST /graphql behind authentication (nil:
	// absent), and its WebSocket upgrade at GET /graphql, which
	// authenticates in connection_init.
	GraphQL http.Handler
	// GraphiQL, when set, is served at GET /graphql without authentication.
	GraphiQL     http.Handler
	OpenAPI      []byte
	Ready        func(ctx context.Context) error
	MaxBodyBytes int64
	// MaxUploadBytes is the largest file POST /v1/media takes (0: 100 MiB).
	MaxUploadBytes int64
	WhatsApp       WhatsAppConfig
}

// handlers holds what every REST handler uses.
type handlers struct {
	svc    *domain.Service
	tokens *Tokens
}

// NewRouter builds the HTTP handler of the whole API.
func NewRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = DefaultMaxBodyBytes
	}
	r := gin.New()
	// Behind no trusted proxy, ClientIP is the socket peer: a forged
	// X-Forwarded-For cannot dodge login throttling.
	// Client IPs (login throttling, logs) come from the socket unless the
	// operator names the load balancers whose X-Forwarded-For to trust.
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		panic(fmt.Sprintf("trusted proxies were validated at start: %v", err))
	}
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true

	r.Use(requestID(d.Logger), securityHeaders, accessLog(d.Logger, registerOnce(d.Registry, durationHistogram())), recovery,
		rejectUnknownQuery(mustDeclaredQueryParams(d.OpenAPI)), rejectUnstorableText)
	apiBody := limitBody(d.MaxBodyBytes)
	r.NoRoute(func(c *gin.Context) { fail(c, domain.Errorf(domain.CodeNotFound, "no such route")) })
	r.NoMethod(func(c *gin.Context) {
		fail(c, &domain.Error{Code: codeMethodNotAllowed, Message: "method not allowed on this route"})
	})

	registerOps(r, d)
	h := &handlers{svc: d.Service, tokens: d.Tokens}
	auth := authenticate(d.Service, d.Tokens)
	// Authenticated routes count against the rate limits; login, refresh,
	// the webhook, health and metrics do not (see rate_limit.go).
	limit := rateLimit(d.Service, fail)
	if d.GraphQL != nil {
		r.POST("/graphql", apiBody, noStore, authenticateWith(d.Service, d.Tokens, failGraphQL), rateLimit(d.Service, refuseGraphQL), gin.WrapH(d.GraphQL))
	}
	if d.GraphQL != nil || d.GraphiQL != nil {
		r.GET("/graphql", graphQLGet(d.GraphQL, d.GraphiQL))
	}

	registerWhatsApp(r, d.Service, d.WhatsApp, newWebhookMetrics(d.Registry))
	h.registerMediaUpload(r, d.MaxUploadBytes, auth, limit)
	h.registerContactImport(r, auth, limit)
	v1 := r.Group("/v1", apiBody, noStore)
	h.registerAuth(v1, auth, limit)
	private := v1.Group("", auth, limit)
	h.registerAccount(private)
	h.registerConversations(private)
	h.registerMessages(private)
	h.registerMedia(private)
	h.registerTasks(private)
	h.registerContacts(private)
	h.registerQueues(private)
	h.registerUsers(private)
	h.registerTags(private)
	h.registerChannels(private)
	h.registerAPIKeys(private)
	h.registerLifecycle(private)
	h.registerBusinessHours(private)
	h.registerSLAPolicies(private)
	h.registerWelcomeBot(private)
	h.registerRoutingRules(private)
	h.registerWebhookEndpoints(private)
	h.registerEvents(private)
	return r
}

// durationHistogram is the latency of every request.
func durationHistogram() *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "http_request_duration_seconds",
		Help:    "Latency of HTTP requests by method, route template and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "route", "status"})
}

// registerOps adds the unauthenticated operational routes.
func registerOps(r *gin.Engine, d Deps) {
	r.GET("/healthz", func(c *gin.Context) { respond(c, http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		if d.Ready != nil {
			if err := d.Ready(c.Request.Context()); err != nil {
				// The cause goes to the log, not to whoever probes.
				loggerFrom(c).WarnContext(c.Request.Context(), "not ready", slog.String("error", err.Error()))
				fail(c, domain.Errorf(domain.CodeUnavailable, "not ready"))
				return
			}
		}
		respond(c, http.StatusOK, gin.H{"status": "ok"})
	})
	if !d.Metrics.Off {
		r.GET("/metrics", metricsRoute(d.Registry, d.Logger, d.Metrics.Token)...)
	}
	r.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", d.OpenAPI) })
}

// graphQLGet serves GET /graphql: a WebSocket upgrade goes to GraphQL's
// subscription transport (credentials come in connection_init, so no
// authentication here), anything else to GraphiQL when it is on.
func graphQLGet(graphQL, graphiQL http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		switch {
		case graphQL != nil && strings.EqualFold(c.GetHeader("Upgrade"), "websocket"):
			graphQL.ServeHTTP(c.Writer, c.Request)
		case graphiQL != nil:
			graphiQL.ServeHTTP(c.Writer, c.Request)
		default:
			fail(c, &domain.Error{Code: codeMethodNotAllowed, Message: "method not allowed on this route"})
		}
	}
}
