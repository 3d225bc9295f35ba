// Package server assembles `baton serve`: it opens the database, applies migrations, loads the
// admin and demo content, wires every package's handlers and runs until told to stop.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/canned"
	"github.com/baton-cs/baton/csat"
	"github.com/baton-cs/baton/customer"
	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/internal/evalrun"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/internal/metrics"
	"github.com/baton-cs/baton/internal/outbound"
	"github.com/baton-cs/baton/internal/pii"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
	"github.com/baton-cs/baton/ticket"
)

// Serve runs Baton until ctx ends, then shuts down in order: stop accepting, close WebSockets
// with a close frame, finish requests, close the pool, stop the embedded database last.
func Serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	started := time.Now()
	// Take the port first: a busy port fails at once, before any database work.
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("server: listen on %s: %w", cfg.Addr, err)
		}
	}
	defer ln.Close()
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.NodeModules, log)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := migrations.Up(ctx, d.Pool)
	if err != nil {
		return err
	}
	for _, m := range applied {
		log.Info("migration applied", "version", m.Version, "name", m.Name)
	}
	d.Pool.Reset() // fresh connections know the vector type

	users := auth.NewService(d.Pool)
	if cfg.AdminEmail != "" {
		if _, err := users.EnsureUser(ctx, auth.UserSpec{Email: cfg.AdminEmail, Name: "Admin", Password: cfg.AdminPassword, Role: auth.RoleAdmin}); err != nil {
			return err
		}
		log.Info("admin account ensured", "email", pii.Plain(cfg.AdminEmail))
	}
	kbStore := kb.NewStore(d.Pool, embedding.FromConfig(cfg.Embed))
	kbStore.SetLogger(log)
	kbStore.SetEfSearch(cfg.KBEfSearch)
	if err := kbStore.EnsureIndex(ctx); err != nil {
		return err
	}
	// Chunks another embedder (or an older chunker) made are redone in the background; search
	// meanwhile uses the current embedder's vectors and finds the rest lexically. The knowledge
	// base's model (article classifier, calibration) is built in the background too, once the
	// demo content is in; a search before it is ready waits for it (see kb.Store.Search), and each
	// change to the published articles retrains it.
	refreshCtx, stopRefresh := context.WithCancel(context.Background())
	kbStore.SetBackground(refreshCtx)
	var background sync.WaitGroup
	background.Add(1)
	go func() {
		defer background.Done()
		RefreshKB(refreshCtx, kbStore, log)
	}()
	defer func() { stopRefresh(); background.Wait(); kbStore.Wait() }() // before the pool closes
	if cfg.Demo {
		demoKB := kbStore
		if cfg.SkipDemoArticles {
			demoKB = nil
		}
		accounts, err := demo.Load(ctx, demoKB, users, cfg.DataDir, log)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			log.Info("demo account", "role", a.Role, "email", pii.Plain(a.Email), "password", a.Password)
		}
	}
	background.Add(1)
	go func() {
		defer background.Done()
		info, err := kbStore.Model(refreshCtx)
		if err != nil {
			if refreshCtx.Err() == nil {
				log.Warn("knowledge-base model not built", "err", err)
			}
			return
		}
		for lang, lm := range info.Languages {
			log.Info("knowledge-base model ready", "language", lang, "articles", lm.Articles, "classifier", lm.Classifier,
				"examples", lm.Examples, "calibrated", lm.Calibration.Calibrated)
		}
	}()

	bus := events.NewBus(d.Pool, d.OnEmbedded(), log)
	busCtx, stopBus := context.WithCancel(context.Background())
	defer stopBus()
	go bus.Run(busCtx)

	// The bot definition: compiled from the active version, recompiled when any process saves one.
	botEnv := bot.EnvFromEnviron()
	botStore := bot.NewStore(d.Pool)
	if cfg.Demo {
		if _, ok := botEnv["orders_url"]; !ok {
			botEnv["orders_url"] = "http://" + loopback(ln.Addr()) + "/demo/api"
		}
		if err := demo.EnsureBot(ctx, botStore, log); err != nil {
			return err
		}
	}
	loader := &bot.Loader{Store: botStore, Holder: &bot.Holder{}, Env: botEnv, Log: log}
	if err := loader.Reload(ctx); err != nil {
		return err
	}
	defs, unsubscribe := bus.Subscribe(bot.DefinitionTopic)
	defer unsubscribe()
	go func() {
		for range defs {
			if err := loader.Reload(busCtx); err != nil && busCtx.Err() == nil {
				log.Error("bot definition reload failed", "err", err)
			}
		}
	}()

	done := make(chan struct{})
	app := &App{
		Config: cfg, Log: log, DB: d, Users: users, KB: kbStore, Bus: bus, Done: done,
		Convs: conversation.NewStore(d.Pool),
	}
	app.Handoffs = handoff.NewStore(d.Pool, kbSuggestionSink)
	app.Handoffs.OfferTimeout = cfg.OfferTimeout
	sweeper := &handoff.Sweeper{Store: app.Handoffs, Every: cfg.RoutingSweep, PresenceGrace: cfg.PresenceGrace,
		ReplyTimeout: cfg.ReplyTimeout, OfferTimeout: cfg.OfferTimeout, Log: log}
	go sweeper.Run(busCtx)
	// Tickets untouched past their due time or unsolved too long escalate; every process sweeps,
	// the escalation's primary key lets one record each.
	app.Tickets = ticket.NewStore(d.Pool)
	go (&ticket.Sweeper{Store: app.Tickets, After: cfg.TicketEscalateAfter, Log: log}).Run(busCtx)
	// Webhook events and channels' messages out of the deliveries outbox.
	go (&outbound.Dispatcher{Pool: d.Pool, Log: log, Every: cfg.DeliveryEvery, Mail: Mailer(cfg, d.Pool)}).Run(busCtx)
	app.Bots = loader
	app.Turns = &bot.Service{Convs: app.Convs, Skill: cfg.DefaultSkill, ChannelPriority: cfg.ChannelPriority,
		Bot: &bot.Bot{KB: kbStore, Threshold: cfg.AnswerThreshold, Engines: loader.Holder, HTTP: &http.Client{}}}
	if cfg.LLMURL != "" {
		app.Turns.Bot.LLM = bot.NewLLM(cfg.LLMURL, cfg.LLMAPIKey, cfg.LLMModel, cfg.LLMTimeout)
		log.Info("intents and slots read by an LLM", "model", cfg.LLMModel)
		app.Turns.Bot.Writer = bot.NewLLM(cfg.LLMURL, cfg.LLMAPIKey, cfg.LLMModel, cfg.LLMTimeout)
		log.Info("knowledge-base answers written by an LLM from the retrieved passages", "model", cfg.LLMModel)
	}
	quiet := slog.New(pii.LogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	app.EvalRuns = &evals.Runs{Pool: d.Pool, Launch: evalrun.Launcher(cfg, quiet, Serve), Log: log, Ctx: busCtx}
	if err := app.EvalRuns.InterruptStale(ctx); err != nil {
		return err
	}
	defer func() { stopBus(); app.EvalRuns.Wait() }() // a run in progress ends before the pool closes
	app.wireAgentContext()
	if cfg.Demo {
		if err := demo.EnsureCanned(ctx, app.Canned, log); err != nil {
			return err
		}
		if err := demo.EnsureCompliance(ctx, &compliance.Store{Pool: d.Pool}, log); err != nil {
			return err
		}
	}
	handler, err := app.Routes()
	if err != nil {
		return err
	}

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-bus.Ready():
	case <-time.After(5 * time.Second):
		log.Warn("event listener not ready yet; live updates may lag")
	}
	log.Info("baton ready", "url", "http://"+ln.Addr().String(), "embedded_db", d.Embedded != nil,
		"startup_seconds", time.Since(started).Round(10*time.Millisecond).Seconds())

	var failure error
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case failure = <-d.Embedded.Failed(): // the embedded database died and could not be restarted
		log.Error("stopping: the embedded database is gone", "err", failure)
	}
	log.Info("shutting down")
	close(done) // WebSocket loops send their close frames
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("shutdown incomplete", "err", err)
	}
	stopBus()
	return failure
}

// RefreshKB re-embeds what the configured embedder has not embedded yet, logging progress about
// every tenth of the way; it returns when done or when ctx ends.
func RefreshKB(ctx context.Context, store *kb.Store, log *slog.Logger) {
	st, err := store.Stale(ctx)
	if err != nil {
		log.Warn("knowledge base: cannot count chunks to re-embed", "err", err)
		return
	}
	if st.Total() == 0 {
		return
	}
	e := store.Embedder()
	log.Info("knowledge base: re-embedding in the background", "embedder", e.Name(), "dim", e.Dim(),
		"articles_to_recut", st.Articles, "chunks_to_reembed", st.Chunks)
	started, lastTenth := time.Now(), 0
	n, err := store.Refresh(ctx, func(done, total int) {
		if tenth := done * 10 / max(total, 1); tenth > lastTenth {
			lastTenth = tenth
			log.Info("knowledge base: re-embedding", "done", done, "total", total)
		}
	})
	switch {
	case ctx.Err() != nil:
		log.Info("knowledge base: re-embedding stopped; it resumes at the next start", "done", n)
	case err != nil:
		log.Error("knowledge base: re-embedding failed; it resumes at the next start", "done", n, "err", err)
	default:
		log.Info("knowledge base: re-embedding done", "done", n, "seconds", time.Since(started).Round(10*time.Millisecond).Seconds())
	}
}

// App holds the wired services the routes use.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *db.Database
	Users    *auth.Service
	Convs    *conversation.Store
	KB       *kb.Store
	Handoffs *handoff.Store
	Turns    *bot.Service
	Bots     *bot.Loader
	Bus      *events.Bus
	Done     chan struct{}
	// EvalRuns plays evaluation runs started from the workbench.
	EvalRuns *evals.Runs
	// The agent's context: canned responses, handoff summaries, the customer 360.
	Canned    *canned.Store
	Summaries *handoff.Summaries
	Customers *customer.Store
	// Tickets are the ticket desk (工单).
	Tickets *ticket.Store
	// Audit is the staff audit log; Privacy the admin's privacy settings (masking for agents).
	Audit   *audit.Log
	Privacy *audit.Privacy
	// Metrics are served at /metrics when Config.MetricsToken is set (nil otherwise).
	Metrics *metrics.Metrics
	// CSAT keeps the customers' satisfaction ratings (built by Routes when nil).
	CSAT *csat.Store
	// Compliance holds the banned-phrase rules replies and answers are checked against.
	Compliance *compliance.Checker
}

func init() { gin.SetMode(gin.ReleaseMode) }

// loopback is the address this process can call itself on, whatever interface it listens on.
func loopback(addr net.Addr) string {
	if ta, ok := addr.(*net.TCPAddr); ok {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(ta.Port))
	}
	return addr.String()
}

// Mailer sends the e-mail channel's replies, nil when the channel is not set up.
func Mailer(cfg config.Config, pool *pgxpool.Pool) outbound.Sender {
	if !cfg.EmailEnabled() {
		return nil
	}
	return &outbound.Mailer{Pool: pool, Addr: cfg.SMTPAddr, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.EmailFrom}
}
