// Command centralita is the Centralita server and its operator tools.
//
//	centralita [serve] [--demo]   run the API (the default command)
//	centralita migrate            apply database migrations and exit
//	centralita bootstrap --workspace NAME --email EMAIL --password PASSWORD
//	                              create a workspace with its owner; prints JSON
//	centralita simulate --url URL --app-secret S --numbers ID,ID [--count --rate --batch --duplicates]
//	                              post signed WhatsApp deliveries to a local server
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		command, args = args[0], args[1:]
	}
	cfg, err := loadConfig()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	level, _ := cfg.logLevel()
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	switch command {
	case "serve":
		return runServe(ctx, cfg, args, logger, stdout)
	case "migrate":
		db, err := openDB(ctx, cfg, logger)
		if err != nil {
			return err
		}
		logger.Info("migrations applied", "database", cfg.databaseKind())
		return db.Close()
	case "bootstrap":
		return runBootstrap(ctx, cfg, args, logger, stdout)
	case "simulate":
		return runSimulate(ctx, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: centralita [serve [--demo] | migrate | bootstrap --workspace NAME --email EMAIL --password PASSWORD | simulate --url URL --app-secret S --numbers ID,ID]")
		return nil
	}
	return fmt.Errorf("unknown command %q (try: serve, migrate, bootstrap, simulate)", command)
}

func runServe(ctx context.Context, cfg Config, args []string, logger *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "seed a demo workspace and print how to log in")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *demo {
		if cfg.production() {
			return fmt.Errorf("--demo seeds a well-known API key and is refused in production")
		}
		if cfg.WhatsAppAppSecret == "" {
			cfg.WhatsAppAppSecret = demoAppSecret
		}
		graphURL, stop, err := startDemoGraph(demoCallbackURL(cfg.Addr), cfg.WhatsAppAppSecret)
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
	if *demo {
		info, err := seedDemo(ctx, a)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		printDemo(stdout, cfg.Addr, info)
	}
	return a.serve(ctx, nil)
}

func runBootstrap(ctx context.Context, cfg Config, args []string, logger *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("bootstrap", flag.ContinueOnError)
	workspace := fs.String("workspace", "", "workspace (company) name")
	email := fs.String("email", "", "owner's email")
	password := fs.String("password", "", "owner's password (at least 10 characters)")
	name := fs.String("name", "", "owner's name (default: the email's local part)")
	timezone := fs.String("timezone", domain.DefaultTimezone, "workspace IANA timezone")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *workspace == "" || *email == "" || *password == "" {
		return fmt.Errorf("bootstrap needs --workspace, --email and --password")
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
