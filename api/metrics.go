package api

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/centralita/centralita/domain"
)

// MetricsAccess says how GET /metrics is served by a router. The figures
// name no workspace, but they show every tenant's volume and each scrape
// queries the job table, so they are not for the public internet.
type MetricsAccess struct {
	// Token, when set, is the bearer token a scrape must carry (401
	// otherwise).
	Token string
	// Off keeps /metrics off the router (404): it is served on its own
	// listener (MetricsHandler), or not at all.
	Off bool
}

// MetricsHandler serves only GET /metrics, for a listener of its own that
// only the scraper reaches.
func MetricsHandler(reg *prometheus.Registry, logger *slog.Logger, token string) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	if logger == nil {
		logger = slog.Default()
	}
	r := gin.New()
	r.Use(requestID(logger), securityHeaders, recovery)
	r.NoRoute(func(c *gin.Context) { fail(c, domain.Errorf(domain.CodeNotFound, "no such route")) })
	r.GET("/metrics", metricsRoute(reg, logger, token)...)
	return r
}

// metricsRoute is the scrape endpoint, behind the token when one is set. A
// collector that fails (the job table, during a database outage) leaves
// its figures out; the rest is still served.
func metricsRoute(reg *prometheus.Registry, logger *slog.Logger, token string) []gin.HandlerFunc {
	scrape := gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}))
	if token == "" {
		return []gin.HandlerFunc{noStore, scrape}
	}
	return []gin.HandlerFunc{noStore, requireMetricsToken(token), scrape}
}

var errMetricsToken = domain.Errorf(domain.CodeUnauthenticated, "missing or invalid metrics token")

// requireMetricsToken checks "Authorization: Bearer <token>" in constant time.
func requireMetricsToken(token string) gin.HandlerFunc {
	return func(c *gin.Context) {
		scheme, credential, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") ||
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(credential)), []byte(token)) != 1 {
			fail(c, errMetricsToken)
			return
		}
		c.Next()
	}
}

// registerOnce registers c, or returns the collector of the same
// description already registered, so several routers (tests) may share a
// registry.
func registerOnce[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}
