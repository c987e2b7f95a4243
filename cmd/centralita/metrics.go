package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/centralita/centralita/api"
)

// metricsAccess decides where GET /metrics is served. The figures name no
// workspace but show every tenant's traffic, and a scrape queries the job
// table, so production never serves them openly on the public listener:
//
//   - CENTRALITA_METRICS_ADDR set: on that listener only (bind it to an
//     address only the scraper reaches); the public listener answers 404.
//   - CENTRALITA_METRICS_TOKEN set: wherever /metrics is served, a scrape
//     needs "Authorization: Bearer <token>" (401 otherwise).
//   - neither, in production: not served at all (404), and the start log
//     says why; in development and test, served openly on the public
//     listener, whose default address is the loopback one.
func (c *Config) metricsAccess() (public api.MetricsAccess, separate bool) {
	switch {
	case c.MetricsAddr != "":
		return api.MetricsAccess{Off: true}, true
	case c.MetricsToken == "" && c.production():
		return api.MetricsAccess{Off: true}, false
	}
	return api.MetricsAccess{Token: c.MetricsToken}, false
}

// listenMetrics starts the listener of its own that serves /metrics, when
// one is configured; stop shuts it down.
func (a *app) listenMetrics() (stop func(context.Context), err error) {
	if a.metrics == nil {
		if a.cfg.production() && a.cfg.MetricsToken == "" {
			a.logger.Warn("metrics are not served: set CENTRALITA_METRICS_ADDR (a private listener) or CENTRALITA_METRICS_TOKEN")
		}
		return func(context.Context) {}, nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics listener: %w", err)
	}
	srv := &http.Server{
		Handler:           a.metrics,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	a.logger.Info("metrics listening", "addr", ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			a.logger.Error("metrics listener stopped", "error", err.Error())
		}
	}()
	return func(ctx context.Context) { _ = srv.Shutdown(ctx) }, nil
}
