package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/centralita/centralita/api"
)

// Config is every setting, read from the environment and validated at start.
// Secrets are never logged: LogValue masks them.
type Config struct {
	Env                  string        `env:"CENTRALITA_ENV" envDefault:"development"`
	Addr                 string        `env:"CENTRALITA_ADDR" envDefault:"127.0.0.1:8080"`
	DatabaseURL          string        `env:"DATABASE_URL"`
	DataDir              string        `env:"CENTRALITA_DATA_DIR" envDefault:"./data"`
	DBMaxOpenConns       int           `env:"CENTRALITA_DB_MAX_CONNS" envDefault:"20"`
	JWTSecret            string        `env:"CENTRALITA_JWT_SECRET"`
	AccessTokenTTL       time.Duration `env:"CENTRALITA_ACCESS_TOKEN_TTL" envDefault:"15m"`
	RefreshTokenTTL      time.Duration `env:"CENTRALITA_REFRESH_TOKEN_TTL" envDefault:"720h"`
	GraphiQL             bool          `env:"CENTRALITA_GRAPHIQL" envDefault:"false"`
	GraphQLIntrospection *bool         `env:"CENTRALITA_GRAPHQL_INTROSPECTION"`
	GraphQLComplexity    int           `env:"CENTRALITA_GRAPHQL_COMPLEXITY_LIMIT" envDefault:"5000"`
	GraphQLDepth         int           `env:"CENTRALITA_GRAPHQL_DEPTH_LIMIT" envDefault:"12"`
	// GraphQLTimeout is the server's time budget per GraphQL request.
	GraphQLTimeout time.Duration `env:"CENTRALITA_GRAPHQL_TIMEOUT" envDefault:"30s"`
	// GraphQLOrigins are the browser origins (host patterns) besides the
	// API's own that may open a subscription WebSocket.
	GraphQLOrigins []string `env:"CENTRALITA_GRAPHQL_ORIGINS" envSeparator:","`
	// LiveBuffer is how many events a live subscriber may fall behind
	// before it is dropped.
	LiveBuffer int `env:"CENTRALITA_LIVE_BUFFER" envDefault:"256"`
	// LiveRecheck is how often an open subscription socket's credential
	// is checked again (revocation, role and queue changes).
	LiveRecheck  time.Duration `env:"CENTRALITA_LIVE_RECHECK" envDefault:"1m"`
	MaxBodyBytes int64         `env:"CENTRALITA_MAX_BODY_BYTES" envDefault:"1048576"`
	// MaxUploadBytes caps files sent to POST /v1/media (WhatsApp's per-type
	// limits apply below it).
	MaxUploadBytes       int64         `env:"CENTRALITA_MAX_UPLOAD_BYTES" envDefault:"104857600"`
	LogLevel             string        `env:"CENTRALITA_LOG_LEVEL" envDefault:"info"`
	Argon2MemoryKiB      uint32        `env:"CENTRALITA_ARGON2_MEMORY_KIB" envDefault:"19456"`
	Argon2Iterations     uint32        `env:"CENTRALITA_ARGON2_ITERATIONS" envDefault:"2"`
	ShutdownTimeout      time.Duration `env:"CENTRALITA_SHUTDOWN_TIMEOUT" envDefault:"25s"`
	TrustedProxies       []string      `env:"CENTRALITA_TRUSTED_PROXIES" envSeparator:","`
	WhatsAppVerifyToken  string        `env:"WHATSAPP_VERIFY_TOKEN"`
	WhatsAppAppSecret    string        `env:"WHATSAPP_APP_SECRET"`
	SecretKey            string        `env:"CENTRALITA_SECRET_KEY"`
	WhatsAppGraphURL     string        `env:"WHATSAPP_GRAPH_URL" envDefault:"https://graph.facebook.com"`
	WhatsAppGraphVersion string        `env:"WHATSAPP_GRAPH_VERSION" envDefault:"v24.0"`
	WhatsAppSendRate     float64       `env:"WHATSAPP_SEND_RATE" envDefault:"80"`
	// WhatsAppPairInterval and WhatsAppPairBurst pace messages to one
	// customer from one number (Meta's pair limit: 1 per 6 s, bursts of 45).
	WhatsAppPairInterval time.Duration `env:"WHATSAPP_PAIR_INTERVAL" envDefault:"6s"`
	WhatsAppPairBurst    int           `env:"WHATSAPP_PAIR_BURST" envDefault:"45"`
	// WhatsAppReceiptWait: a send whose answer was lost is retried only
	// after this long without a receipt for it (Meta has no idempotency key).
	WhatsAppReceiptWait time.Duration `env:"WHATSAPP_SEND_RECEIPT_WAIT" envDefault:"2m"`
	// JobTimeout cancels a background job running longer; a dead process's
	// jobs are retried after twice that.
	JobTimeout time.Duration `env:"CENTRALITA_JOB_TIMEOUT" envDefault:"1m"`
	// JobRetryUnit scales the retry backoff of background jobs: attempt⁴
	// units (1 s: 1 s, 16 s, 81 s, … about 11 hours over 12 attempts).
	JobRetryUnit time.Duration `env:"CENTRALITA_JOB_RETRY_UNIT" envDefault:"1s"`
	// MediaDir holds uploaded and downloaded media; default <data dir>/media.
	MediaDir string `env:"CENTRALITA_MEDIA_DIR"`
	// MetricsAddr, when set, serves GET /metrics on a listener of its own
	// and not on Addr; MetricsToken, when set, is the bearer token a
	// scrape must carry. See metricsAccess.
	MetricsAddr  string `env:"CENTRALITA_METRICS_ADDR"`
	MetricsToken string `env:"CENTRALITA_METRICS_TOKEN"`
	// MigrateDatabaseURL, when set, is the connection of the role that owns
	// the schema: migrations run with it, and the application connects as
	// DATABASE_URL's role, which row-level security binds (see README).
	MigrateDatabaseURL string `env:"CENTRALITA_MIGRATE_DATABASE_URL"`
	// RateLimitConfig is embedded so its variables parse and report like
	// the others (config_rate_limits.go).
	RateLimitConfig
	// WebhookConfig: outbound webhooks (config_webhooks.go).
	WebhookConfig
	// DemoGraphLatency delays every answer of the demo's fake Graph API
	// (serve --demo only), as Meta's own answers take time: the load
	// tool's reply scenario sets it.
	DemoGraphLatency time.Duration `env:"CENTRALITA_DEMO_GRAPH_LATENCY" envDefault:"0s"`
	// WebhookMaxInFlight bounds the WhatsApp deliveries worked on at once;
	// more are answered 503 with Retry-After (Meta retries). 0 means the
	// database pool size.
	WebhookMaxInFlight int `env:"CENTRALITA_WEBHOOK_MAX_IN_FLIGHT"`
	// DebugAddr, when set, serves Go's pprof profiles on a loopback
	// listener of its own, never on Addr.
	DebugAddr string `env:"CENTRALITA_DEBUG_ADDR"`
}

// webhookMaxInFlight is the bound on deliveries in progress: by default
// one per database connection, as more would only wait for one.
func (c *Config) webhookMaxInFlight() int {
	if c.WebhookMaxInFlight > 0 {
		return c.WebhookMaxInFlight
	}
	return c.DBMaxOpenConns
}

// mediaDir is where the local blob store keeps files.
func (c *Config) mediaDir() string {
	if c.MediaDir != "" {
		return c.MediaDir
	}
	return filepath.Join(c.DataDir, "media")
}

// loadConfig reads the environment and validates it.
func loadConfig() (Config, error) {
	var cfg Config
	if err := env.Parse(&cfg); err != nil {
		return cfg, settingParseErrors(err)
	}
	return cfg, cfg.validate()
}

func (c *Config) production() bool { return c.Env == "production" }

func (c *Config) validate() error {
	var errs []error
	if c.Env != "development" && c.Env != "production" && c.Env != "test" {
		errs = append(errs, badSetting("CENTRALITA_ENV", "must be development, production or test"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, fmt.Errorf("DATABASE_URL must be a postgres:// URL (leave it unset for embedded SQLite)"))
	}
	if c.MigrateDatabaseURL != "" && (c.DatabaseURL == "" || (!strings.HasPrefix(c.MigrateDatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.MigrateDatabaseURL, "postgresql://"))) {
		errs = append(errs, fmt.Errorf("CENTRALITA_MIGRATE_DATABASE_URL must be a postgres:// URL, with DATABASE_URL set too"))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		errs = append(errs, fmt.Errorf("CENTRALITA_JWT_SECRET must have at least 32 characters"))
	}
	if c.JWTSecret == "" && c.production() {
		errs = append(errs, fmt.Errorf("CENTRALITA_JWT_SECRET is required in production"))
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		errs = append(errs, fmt.Errorf("CENTRALITA_SECRET_KEY must have at least 32 characters"))
	}
	if c.SecretKey == "" && c.production() {
		errs = append(errs, fmt.Errorf("CENTRALITA_SECRET_KEY is required in production"))
	}
	if u, err := url.Parse(c.WhatsAppGraphURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, badSetting("WHATSAPP_GRAPH_URL", "must be an http(s) URL"))
	}
	if c.WhatsAppSendRate <= 0 || c.WhatsAppSendRate > 1000 {
		errs = append(errs, badSetting("WHATSAPP_SEND_RATE", "must be more than 0 and at most 1000 messages per second"))
	}
	if c.WhatsAppPairInterval < time.Millisecond || c.WhatsAppPairInterval > time.Hour {
		errs = append(errs, badSetting("WHATSAPP_PAIR_INTERVAL", "must be between 1ms and 1h"))
	}
	if c.WhatsAppPairBurst < 1 || c.WhatsAppPairBurst > 1000 {
		errs = append(errs, badSetting("WHATSAPP_PAIR_BURST", "must be between 1 and 1000"))
	}
	if c.WhatsAppReceiptWait < time.Second || c.WhatsAppReceiptWait > time.Hour {
		errs = append(errs, badSetting("WHATSAPP_SEND_RECEIPT_WAIT", "must be between 1s and 1h"))
	}
	if c.JobRetryUnit < time.Millisecond || c.JobRetryUnit > time.Hour {
		errs = append(errs, badSetting("CENTRALITA_JOB_RETRY_UNIT", "must be between 1ms and 1h"))
	}
	if c.JobTimeout < time.Second || c.JobTimeout > time.Hour {
		errs = append(errs, badSetting("CENTRALITA_JOB_TIMEOUT", "must be between 1s and 1h"))
	}
	if c.AccessTokenTTL < time.Minute || c.AccessTokenTTL > time.Hour {
		errs = append(errs, badSetting("CENTRALITA_ACCESS_TOKEN_TTL", "must be between 1m and 1h"))
	}
	if c.RefreshTokenTTL < time.Hour {
		errs = append(errs, badSetting("CENTRALITA_REFRESH_TOKEN_TTL", "must be at least 1h"))
	}
	if c.DBMaxOpenConns < 1 {
		errs = append(errs, badSetting("CENTRALITA_DB_MAX_CONNS", "must be at least 1"))
	}
	if c.GraphQLComplexity < 1 {
		errs = append(errs, badSetting("CENTRALITA_GRAPHQL_COMPLEXITY_LIMIT", "must be at least 1"))
	}
	if c.GraphQLDepth < 1 {
		errs = append(errs, badSetting("CENTRALITA_GRAPHQL_DEPTH_LIMIT", "must be at least 1"))
	}
	if c.GraphQLTimeout < 100*time.Millisecond || c.GraphQLTimeout > time.Hour {
		errs = append(errs, badSetting("CENTRALITA_GRAPHQL_TIMEOUT", "must be between 100ms and 1h"))
	}
	if c.LiveBuffer < 0 {
		errs = append(errs, badSetting("CENTRALITA_LIVE_BUFFER", "must be at least 1"))
	}
	if c.LiveRecheck < 0 || (c.LiveRecheck > 0 && c.LiveRecheck < time.Second) {
		errs = append(errs, badSetting("CENTRALITA_LIVE_RECHECK", "must be at least 1s"))
	}
	if c.Argon2MemoryKiB < 8 || c.Argon2MemoryKiB > api.Argon2MaxMemoryKiB {
		errs = append(errs, badSetting("CENTRALITA_ARGON2_MEMORY_KIB",
			fmt.Sprintf("must be between 8 and %d", api.Argon2MaxMemoryKiB)))
	}
	if c.Argon2Iterations < 1 || c.Argon2Iterations > api.Argon2MaxIterations {
		errs = append(errs, badSetting("CENTRALITA_ARGON2_ITERATIONS",
			fmt.Sprintf("must be between 1 and %d", api.Argon2MaxIterations)))
	}
	if c.ShutdownTimeout < time.Second {
		errs = append(errs, badSetting("CENTRALITA_SHUTDOWN_TIMEOUT", "must be at least 1s"))
	}
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, badSetting("CENTRALITA_MAX_BODY_BYTES", "must be at least 1024"))
	}
	if c.MaxUploadBytes < 1024 {
		errs = append(errs, badSetting("CENTRALITA_MAX_UPLOAD_BYTES", "must be at least 1024"))
	}
	for _, p := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			errs = append(errs, fmt.Errorf("CENTRALITA_TRUSTED_PROXIES: %q is not an IP or CIDR", p))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
		errs = append(errs, fmt.Errorf("CENTRALITA_METRICS_TOKEN must have at least 32 characters"))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil || c.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Errorf("CENTRALITA_METRICS_ADDR must be a host:port other than CENTRALITA_ADDR"))
		}
	}
	if c.WebhookMaxInFlight < 0 {
		errs = append(errs, badSetting("CENTRALITA_WEBHOOK_MAX_IN_FLIGHT", "must be 0 (the pool size) or more"))
	}
	if c.DebugAddr != "" && !loopbackAddr(c.DebugAddr) {
		errs = append(errs, fmt.Errorf("CENTRALITA_DEBUG_ADDR must be a loopback host:port (127.0.0.1:6060): profiles are not for the network"))
	}
	if _, err := c.logLevel(); err != nil {
		errs = append(errs, err)
	}
	if err := c.RateLimitConfig.validate(c.GraphQLComplexity); err != nil {
		errs = append(errs, err)
	}
	if err := c.WebhookConfig.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// badSetting names the variable and the value it was set to, as typed, so
// the operator sees which line of their environment to fix. Secrets and
// DATABASE_URL (which may hold a password) are never passed to it.
func badSetting(name, rule string) error {
	if value, set := os.LookupEnv(name); set {
		return fmt.Errorf("%s=%q %s", name, value, rule)
	}
	return fmt.Errorf("%s %s", name, rule)
}

func (c *Config) logLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, badSetting("CENTRALITA_LOG_LEVEL", "must be debug, info, warn or error")
	}
	return l, nil
}

// introspection is on by default outside production.
func (c *Config) introspection() bool {
	if c.GraphQLIntrospection != nil {
		return *c.GraphQLIntrospection
	}
	return !c.production()
}

// LogValue keeps secrets out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env), slog.String("addr", c.Addr),
		slog.String("database", c.databaseKind()), slog.Bool("separate_migration_role", c.MigrateDatabaseURL != ""),
		slog.String("data_dir", c.DataDir),
		slog.Bool("jwt_secret_set", c.JWTSecret != ""), slog.Bool("secret_key_set", c.SecretKey != ""), slog.Bool("graphiql", c.GraphiQL),
		slog.Bool("introspection", c.introspection()), slog.String("access_token_ttl", c.AccessTokenTTL.String()),
		slog.Bool("whatsapp_app_secret_set", c.WhatsAppAppSecret != ""),
		slog.Bool("whatsapp_verify_token_set", c.WhatsAppVerifyToken != ""),
		slog.String("metrics_addr", c.MetricsAddr), slog.Bool("metrics_token_set", c.MetricsToken != ""),
		slog.Int("api_rate_limit", c.APIRateLimit),
		slog.Int("webhook_max_in_flight", c.webhookMaxInFlight()), slog.String("debug_addr", c.DebugAddr))
}

func (c *Config) databaseKind() string {
	if c.DatabaseURL == "" {
		return "sqlite"
	}
	return "postgres"
}

// jwtSecret returns the configured access-token signing secret.
func (c *Config) jwtSecret() ([]byte, error) { return c.secret(c.JWTSecret, "jwt-secret") }

// secretKey returns the key that encrypts channel credentials at rest.
func (c *Config) secretKey() ([]byte, error) { return c.secret(c.SecretKey, "secret-key") }

// secret returns a configured secret. Outside production, when none is set,
// it keeps a random one in the data directory so a local install survives
// restarts (production refuses to start without them; see validate).
func (c *Config) secret(configured, file string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	path := filepath.Join(c.DataDir, file)
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	return secret, os.WriteFile(path, secret, 0o600)
}

// loopbackAddr reports whether addr is host:port on a loopback address.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
