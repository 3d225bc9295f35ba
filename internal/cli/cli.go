// Package cli defines baton's commands; cmd/baton only calls Execute.
package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/pii"
)

// Execute runs the command line and returns the process exit code.
func Execute(args []string) int {
	root := newRoot()
	root.SetArgs(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "baton:", err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		var re regressionError
		if errors.As(err, &re) {
			return 3
		}
		return 1
	}
	return 0
}

type usageError struct{ error }

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "baton",
		Short: "Baton: a bot-first customer-service platform on Postgres",
		Long: `Baton answers customers with a bot first: it reads their intent (a classifier trained on the
bot definition, see "baton intent"), fills the slots a task needs over several turns, runs the
task's action, answers questions from the knowledge base with citations, hands conversations to
people when it should, and learns from what agents answer. "baton eval run" plays conversation
suites against it and gates regressions.

Configuration comes from the environment (flags override):
  BATON_ADDR            listen address (default 127.0.0.1:8080)
  BATON_DATA_DIR        data directory, holds the embedded database (default ./.baton)
  DATABASE_URL          Postgres with pgvector; unset = start the embedded database
  BATON_ADMIN_EMAIL     ensure this admin exists at start (with BATON_ADMIN_PASSWORD)
  BATON_ADMIN_PASSWORD  the admin's password (or BATON_ADMIN_PASSWORD_FILE)
  BATON_DEMO=1          load the demo help centre, demo bot and demo accounts
  BATON_LLM_URL         OpenAI-compatible endpoint that reads intents and slots, writes cited
                        knowledge-base answers and summarizes handoffs for agents (optional;
                        offline answers and extractive summaries without it)
  BATON_ANSWER_THRESHOLD  probability (0..1) that its best article is right from which the bot answers (default 0.7)
  BATON_METRICS_TOKEN   serve Prometheus metrics at /metrics to this bearer token (unset: off)
  BATON_TRUSTED_PROXIES reverse proxies (IPs/CIDRs, comma-separated) whose X-Forwarded-For is believed
  BATON_IDENTITY_SECRET the secret a site signs its users' ids with (verified identity)
  BATON_EMAIL_INBOUND_TOKEN, BATON_SMTP_ADDR, BATON_EMAIL_FROM
                        the e-mail channel: the mail provider's inbound token, the SMTP server
                        (BATON_SMTP_USERNAME/BATON_SMTP_PASSWORD) and the sender address

Knowledge-base embedder (changing it re-embeds in the background at the next start):
  BATON_EMBEDDER        local (default, offline) or openai (any OpenAI-compatible endpoint)
  BATON_EMBED_URL       the endpoint's base URL (default https://api.openai.com/v1)
  BATON_EMBED_MODEL     model name, e.g. text-embedding-3-small (required for openai)
  BATON_EMBED_DIM       vector dimension, e.g. 1536 (required for openai)
  BATON_KB_EF_SEARCH    HNSW candidates per search past 2,000 chunks (default 100; higher: better
                        recall, slower; see bench kb)
  BATON_OPENAI_API_KEY  API key (or BATON_OPENAI_API_KEY_FILE); optional for local servers
  BATON_EMBED_BATCH, BATON_EMBED_TIMEOUT, BATON_EMBED_RETRIES  texts per request (64),
                        per-request timeout (30s), retries on 429/5xx/network errors (4)

Routing (README.md, "Routing and the customer's wait"):
  BATON_OFFER_TIMEOUT   an offered chat not accepted for this long goes to the next agent (30s)
  BATON_CHANNEL_PRIORITY  handoff priority added per channel, e.g. api=10

Tickets (README.md, "Tickets"):
  BATON_TICKET_ESCALATE_AFTER  an unsolved ticket this old escalates once: priority raised,
                        supervisors notified (72h; 0 = never)
Customer satisfaction (README.md, "Customer satisfaction (CSAT)"):
  BATON_CSAT_EDIT_WINDOW  how long after rating the customer may change it (default 30m)
See README.md for every setting.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newServe(), newMigrate(), newKB(), newIntent(), newChat(), newEval(), newBench())
	return root
}

// loadConfig reads the environment, applies the common flags and validates.
func loadConfig(cmd *cobra.Command) (config.Config, error) {
	cfg, err := config.Load()
	if err != nil {
		return cfg, err
	}
	if f := cmd.Flags().Lookup("data-dir"); f != nil && f.Changed {
		cfg.DataDir = f.Value.String()
	}
	if f := cmd.Flags().Lookup("database-url"); f != nil && f.Changed {
		cfg.DatabaseURL = f.Value.String()
	}
	if f := cmd.Flags().Lookup("addr"); f != nil && f.Changed {
		cfg.Addr = f.Value.String()
	}
	if f := cmd.Flags().Lookup("demo"); f != nil && f.Changed {
		cfg.Demo = f.Value.String() == "true"
	}
	return cfg, cfg.Validate()
}

func dbFlags(cmd *cobra.Command) {
	cmd.Flags().String("data-dir", "", "data directory (env BATON_DATA_DIR, default ./.baton)")
	cmd.Flags().String("database-url", "", "Postgres URL (env DATABASE_URL; unset = embedded database)")
}

func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(cfg.LogLevel) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	// Phones, e-mails, ID and bank cards are masked in every line (pii.LogHandler).
	if cfg.LogFormat == "json" {
		return slog.New(pii.LogHandler(slog.NewJSONHandler(os.Stderr, opts)))
	}
	return slog.New(pii.LogHandler(slog.NewTextHandler(os.Stderr, opts)))
}
