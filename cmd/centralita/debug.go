package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// debugHandler serves Go's profiles under /debug/pprof/ (CPU, heap,
// goroutines, …): `go tool pprof http://127.0.0.1:6060/debug/pprof/profile`.
func debugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// listenDebug starts the profiling listener when CENTRALITA_DEBUG_ADDR is
// set (a loopback address, checked by Config.Validate); the public router
// never serves profiles. stop shuts it down.
func (a *app) listenDebug() (stop func(context.Context), err error) {
	if a.cfg.DebugAddr == "" {
		return func(context.Context) {}, nil
	}
	ln, err := net.Listen("tcp", a.cfg.DebugAddr)
	if err != nil {
		return nil, fmt.Errorf("debug listener: %w", err)
	}
	srv := &http.Server{
		Handler:           debugHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A CPU profile or trace streams for as long as asked (?seconds=).
		WriteTimeout: 5 * time.Minute,
		ErrorLog:     slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	a.logger.Info("debug (pprof) listening", "addr", ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			a.logger.Error("debug listener stopped", "error", err.Error())
		}
	}()
	return func(ctx context.Context) { _ = srv.Shutdown(ctx) }, nil
}
