package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/centralita/centralita"
	"github.com/centralita/centralita/api"
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph"
	"github.com/centralita/centralita/jobs"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/whatsapp"
)

// app is the wired process: one database, the domain service and the HTTP
// handler that serves REST and GraphQL.
type app struct {
	cfg     Config
	logger  *slog.Logger
	db      *persistence.DB
	service *domain.Service
	handler http.Handler
	// metrics serves GET /metrics on CENTRALITA_METRICS_ADDR (nil: not
	// on a listener of its own).
	metrics http.Handler
	jobs    *jobs.Runner
}

// openDB migrates the configured database and opens it for the
// application. With CENTRALITA_MIGRATE_DATABASE_URL the migrations run as
// that (owning) role, which then grants DATABASE_URL's role what it needs;
// otherwise DATABASE_URL's role migrates and runs the application.
func openDB(ctx context.Context, cfg Config, logger *slog.Logger) (*persistence.DB, error) {
	if cfg.MigrateDatabaseURL != "" {
		if err := migrateAsOwner(ctx, cfg, logger); err != nil {
			return nil, err
		}
	}
	db, err := persistence.Open(ctx, persistence.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir,
		MaxOpenConns: cfg.DBMaxOpenConns, Logger: logger})
	if err != nil {
		return nil, err
	}
	if cfg.MigrateDatabaseURL == "" {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if applies, err := db.RowSecurityApplies(ctx); err == nil && !applies && db.Dialect() == persistence.DialectPostgres {
		logger.Warn("the database role is a superuser or has BYPASSRLS: row-level security does not apply to it " +
			"(see README, Row-level security on Postgres)")
	}
	return db, nil
}

// migrateAsOwner applies the migrations as the schema's owner and grants
// the application's role (DATABASE_URL's user) its rights.
func migrateAsOwner(ctx context.Context, cfg Config, logger *slog.Logger) error {
	appConfig, err := pgx.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL is not a valid Postgres URL")
	}
	owner, err := persistence.Open(ctx, persistence.Config{DatabaseURL: cfg.MigrateDatabaseURL, MaxOpenConns: 2,
		Logger: logger})
	if err != nil {
		return fmt.Errorf("CENTRALITA_MIGRATE_DATABASE_URL: %w", err)
	}
	defer owner.Close()
	if err := owner.Migrate(ctx); err != nil {
		return err
	}
	return owner.GrantApp(ctx, appConfig.User)
}

func newService(cfg Config, db *persistence.DB) (*domain.Service, error) {
	key, err := cfg.secretKey()
	if err != nil {
		return nil, err
	}
	sealer, err := persistence.NewSealer(string(key))
	if err != nil {
		return nil, err
	}
	blobs, err := persistence.NewLocalBlobs(cfg.mediaDir())
	if err != nil {
		return nil, err
	}
	hasher := api.Argon2id{MemoryKiB: cfg.Argon2MemoryKiB, Iterations: cfg.Argon2Iterations, Threads: 1}
	return domain.NewService(db.Store(), hasher, domain.Options{RefreshTTL: cfg.RefreshTokenTTL,
		PhoneE164: whatsapp.E164FromWaID, PhoneCountry: whatsapp.CountryFromWaID, Sealer: sealer, Blobs: blobs, RefusedSecrets: cfg.refusedSecrets(),
		RateLimits: cfg.rateLimits(), LiveBuffer: cfg.LiveBuffer, Webhooks: cfg.webhookOptions()}), nil
}

// newApp wires the adapters around an open database. Background jobs are
// wired (sends are enqueued) but run only once a.jobs is started.
func newApp(ctx context.Context, cfg Config, db *persistence.DB, logger *slog.Logger) (*app, error) {
	secret, err := cfg.jwtSecret()
	if err != nil {
		return nil, err
	}
	tokens, err := api.NewTokens(secret, "centralita", cfg.AccessTokenTTL, time.Now)
	if err != nil {
		return nil, err
	}
	svc, err := newService(cfg, db)
	if err != nil {
		return nil, err
	}
	// One registry for the process: HTTP, database pool, jobs and webhooks.
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQLDB(), "centralita"),
		// The load tool divides its delta by the requests it made.
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "centralita_db_statements_total",
			Help: "SQL statements the server executed through its ORM (background job queries excluded)."},
			func() float64 { return float64(db.QueryCount()) }))
	graphClient := &whatsapp.Client{BaseURL: cfg.WhatsAppGraphURL, Version: cfg.WhatsAppGraphVersion,
		HTTP: &http.Client{Timeout: 30 * time.Second}}
	runner, err := jobs.New(ctx, jobs.Config{Dialect: db.Dialect(), SQLDB: db.SQLDB(), Pool: db.JobPool(),
		Service: svc, Graph: graphClient, Logger: logger, PerNumberRate: cfg.WhatsAppSendRate,
		PairInterval: cfg.WhatsAppPairInterval, PairBurst: cfg.WhatsAppPairBurst,
		ReceiptWait: cfg.WhatsAppReceiptWait, JobTimeout: cfg.JobTimeout, RetryUnit: cfg.JobRetryUnit,
		Metrics: registry, Webhooks: cfg.webhookSender(), WebhookWorkers: cfg.WebhookWorkers, WebhookPoll: cfg.WebhookPoll})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	// Committed events reach this process's GraphQL subscribers, whichever
	// process committed them (LISTEN/NOTIFY on Postgres).
	db.StartLiveEvents(ctx, svc.PublishLive, logger)
	db.Store().SetEnqueuer(runner.Enqueue)
	db.Store().SetTimerScheduler(runner.ScheduleTimer)
	db.Store().SetWebhookEnqueuer(runner.EnqueueWebhook)
	// Every commit that recorded events wakes the webhook dispatcher; the
	// nudge never blocks the writer.
	db.Store().AddEventSink(func([]*domain.Event) { runner.NudgeWebhooks() })
	publicMetrics, separateMetrics := cfg.metricsAccess()
	deps := api.Deps{
		Service:  svc,
		Tokens:   tokens,
		Logger:   logger,
		Registry: registry,
		Metrics:  publicMetrics,
		GraphQL: graph.NewHandler(svc, graph.Config{Introspection: cfg.introspection(),
			ComplexityLimit: cfg.GraphQLComplexity, DepthLimit: cfg.GraphQLDepth, Timeout: cfg.GraphQLTimeout,
			Logger: logger, Authenticate: api.Authenticator(svc, tokens), AllowedOrigins: cfg.GraphQLOrigins,
			LiveRecheck: cfg.LiveRecheck}),
		OpenAPI:        centralita.OpenAPI,
		Ready:          db.Ping,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		MaxUploadBytes: cfg.MaxUploadBytes,
		TrustedProxies: cfg.TrustedProxies,
		WhatsApp: api.WhatsAppConfig{VerifyToken: cfg.WhatsAppVerifyToken, AppSecret: cfg.WhatsAppAppSecret,
			MaxInFlight: cfg.webhookMaxInFlight()},
	}
	if cfg.GraphiQL {
		deps.GraphiQL = graph.GraphiQLHandler("/graphql")
	}
	a := &app{cfg: cfg, logger: logger, db: db, service: svc, handler: api.NewRouter(deps), jobs: runner}
	if separateMetrics {
		a.metrics = api.MetricsHandler(registry, logger, cfg.MetricsToken)
	}
	return a, nil
}

// serve listens until ctx is cancelled, then lets in-flight requests finish.
func (a *app) serve(ctx context.Context, ready chan<- string) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	stopMetrics, err := a.listenMetrics()
	if err != nil {
		ln.Close()
		return err
	}
	stopDebug, err := a.listenDebug()
	if err != nil {
		ln.Close()
		stopMetrics(ctx)
		return err
	}
	defer stopDebug(context.Background())
	if a.jobs != nil {
		if err := a.jobs.Start(ctx); err != nil {
			ln.Close()
			stopMetrics(ctx)
			return fmt.Errorf("jobs: %w", err)
		}
	}
	a.logger.Info("listening", "addr", ln.Addr().String())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopMetrics(context.Background())
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down", "timeout", a.cfg.ShutdownTimeout.String())
	// Subscription sockets are not requests Shutdown waits for: end their
	// subscriptions so clients reconnect to another replica.
	if a.service != nil {
		a.service.CloseLive()
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	// Metrics stay up until the requests in flight are done.
	defer stopMetrics(shutdownCtx)
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if a.jobs != nil {
		// Jobs still running after the timeout are picked up again later.
		if err := a.jobs.Stop(shutdownCtx); err != nil {
			a.logger.Warn("jobs did not stop cleanly", "error", err.Error())
		}
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
