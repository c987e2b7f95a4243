// Command centralita is the Centralita server and its operator tools.
//
//	centralita [serve] [--demo]   run the API (the default command)
//	centralita migrate            apply database migrations and exit
//	centralita bootstrap --workspace NAME --email EMAIL --password PASSWORD
//	                              create a workspace with its owner; prints JSON
//	centralita simulate --url URL --app-secret S --numbers ID,ID [--count N --types T,T ...]
//	                              post signed WhatsApp deliveries to a local server
//	centralita bench SCENARIO [flags]
//	                              open-loop load against a server on this machine (bench/)
//	centralita help [COMMAND]     this list, or a command's flags
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/centralita/centralita/bench"
	"github.com/centralita/centralita/domain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "centralita:", err)
		os.Exit(1)
	}
}

const usage = `usage: centralita [COMMAND] [flags]

Commands:
  serve      run the API (the default command); --demo seeds a demo workspace
  migrate    apply the database migrations and exit
  bootstrap  create a workspace with its owner; prints JSON with its API key
  simulate   post signed WhatsApp webhook deliveries to a server on this machine
  subscribe  print live GraphQL subscription events (messages, conversations, events) as JSON lines
  bench      open-loop load (ingest, reply, inbox) against a server on this machine; see BENCHMARKS.md
  help       show this, or a command's flags: centralita help simulate

Settings come from the environment (CENTRALITA_ADDR, DATABASE_URL, ...; see README.md).
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	command := ""
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		command, args = args[0], args[1:]
	}
	switch {
	case command == "help" && len(args) > 0:
		// "help simulate" is "simulate --help".
		command, args = args[0], []string{"--help"}
	case command == "help", command == "" && len(args) == 1 && isHelpFlag(args[0]):
		// "centralita --help" asks about centralita, not about serve.
		fmt.Fprint(stdout, usage)
		return nil
	case command == "":
		command = "serve"
	}
	switch command {
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, stdout, stderr)
	case "bootstrap":
		return runBootstrap(ctx, args, stdout, stderr)
	case "simulate":
		return runSimulate(ctx, args, stdout, stderr)
	case "subscribe":
		return runSubscribe(ctx, args, stdout, stderr)
	case "bench":
		return bench.Main(ctx, args, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q (try: centralita help)", command)
}

func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "--h"
}

// newFlagSet is a command's flags with a usage that starts with its
// synopsis: what it does and how it is called.
func newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: centralita %s\n", synopsis)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses a command's arguments. Asked for help, it prints the
// usage to stdout and says so (the caller then stops, successfully); a bad
// flag or a stray argument prints the usage to stderr and is an error.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (helped bool, err error) {
	fs.SetOutput(io.Discard) // the flag package's own messages; ours follow
	err = fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return true, nil
	case err != nil:
		fs.SetOutput(stderr)
		fs.Usage()
		return false, err
	}
	return false, nil
}

// configure reads the settings and makes the JSON logger.
func configure(stderr io.Writer) (Config, *slog.Logger, error) {
	cfg, err := loadConfig()
	if err != nil {
		return cfg, nil, fmt.Errorf("configuration: %w", err)
	}
	level, _ := cfg.logLevel()
	return cfg, slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})), nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--demo]\n\nRuns the API on CENTRALITA_ADDR (applying migrations first) until SIGTERM or Ctrl-C.")
	demo := fs.Bool("demo", false, "seed a demo workspace (once) with a fake WhatsApp Graph API, and print how to log in")
	if helped, err := parseFlags(fs, args, stdout, stderr); helped || err != nil {
		return err
	}
	cfg, logger, err := configure(stderr)
	if err != nil {
		return err
	}
	if *demo {
		if cfg.production() {
			return fmt.Errorf("--demo seeds a well-known API key and is refused in production")
		}
		if cfg.WhatsAppAppSecret == "" {
			cfg.WhatsAppAppSecret = demoAppSecret
		}
		graphURL, stop, err := startDemoGraph(demoCallbackURL(cfg.Addr), cfg.WhatsAppAppSecret, cfg.DemoGraphLatency)
		if err != nil {
			return err
		}
		defer stop()
		cfg.WhatsAppGraphURL = graphURL
	}
	logger.Info("starting", "config", cfg)
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newApp(ctx, cfg, db, logger)
	if err != nil {
		return err
	}
	if cfg.production() {
		if err := warnDemoCredentials(ctx, a); err != nil {
			return err
		}
	}
	if *demo {
		info, err := seedDemo(ctx, a)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		printDemo(stdout, cfg.Addr, info)
	}
	return a.serve(ctx, nil)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "migrate\n\nApplies the versioned database migrations (as CENTRALITA_MIGRATE_DATABASE_URL when set, else DATABASE_URL, else SQLite in CENTRALITA_DATA_DIR) and exits.")
	if helped, err := parseFlags(fs, args, stdout, stderr); helped || err != nil {
		return err
	}
	cfg, logger, err := configure(stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	logger.Info("migrations applied", "database", cfg.databaseKind())
	return db.Close()
}

func runBootstrap(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bootstrap", "bootstrap --workspace NAME --email EMAIL --password PASSWORD\n\n"+
		"Creates a workspace and its owner; prints workspace_id, user_id, email, api_key (an admin key, shown once) and api_key_id as JSON.")
	workspace := fs.String("workspace", "", "workspace (company) name")
	email := fs.String("email", "", "owner's email")
	password := fs.String("password", "", "owner's password (at least 10 characters)")
	name := fs.String("name", "", "owner's name (default: the email's local part)")
	timezone := fs.String("timezone", domain.DefaultTimezone, "workspace IANA timezone")
	if helped, err := parseFlags(fs, args, stdout, stderr); helped || err != nil {
		return err
	}
	if *workspace == "" || *email == "" || *password == "" {
		return fmt.Errorf("bootstrap needs --workspace, --email and --password")
	}
	cfg, logger, err := configure(stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := newService(cfg, db)
	if err != nil {
		return err
	}
	out, err := svc.Bootstrap(ctx, domain.BootstrapInput{WorkspaceName: *workspace,
		Timezone: *timezone, OwnerName: *name, Email: *email, Password: *password})
	if err != nil {
		return userFacing(err)
	}
	return json.NewEncoder(stdout).Encode(map[string]string{
		"workspace_id": out.Workspace.ID, "user_id": out.Owner.ID, "email": out.Owner.Email,
		"api_key": out.APIKey.Secret, "api_key_id": out.APIKey.Key.ID,
		"default_queue_id": out.Workspace.DefaultQueueID,
	})
}

// userFacing shows domain errors by their safe message and keeps the detail
// of anything else (and of an outage's cause), which only the operator sees.
func userFacing(err error) error {
	if code := domain.ErrorCode(err); code == domain.CodeInternal || code == domain.CodeUnavailable {
		return err
	}
	return fmt.Errorf("%s", domain.ErrorMessage(err))
}
