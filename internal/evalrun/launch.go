// Package evalrun starts isolated Batons for evaluation runs: a scratch database (embedded, or a
// temporary schema on DATABASE_URL) with the suite's bot definition and knowledge base, and the
// real server on a loopback port, so a suite exercises exactly what customers reach.
package evalrun

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
)

const evaluatorEmail = "evaluator@eval.baton.local"

// Serve runs a Baton server until ctx ends (server.Serve, passed in so that the server can start
// evaluation runs itself).
type Serve func(ctx context.Context, cfg config.Config, log *slog.Logger) error

// Launcher returns an evals.Launcher that starts Batons with serve, configured like cfg (the
// embedder, the LLM and the answer threshold carry over; the database, address and data
// directory do not). log receives the servers' warnings and errors only.
func Launcher(cfg config.Config, log *slog.Logger, serve Serve) evals.Launcher {
	return func(ctx context.Context, botPath, kbPath string) (*evals.Instance, error) {
		return launch(ctx, cfg, botPath, kbPath, log, serve)
	}
}

func launch(ctx context.Context, base config.Config, botPath, kbPath string, log *slog.Logger, serve Serve) (inst *evals.Instance, err error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var botSrc []byte
	if botPath != "" {
		if botSrc, err = os.ReadFile(botPath); err != nil {
			return nil, err
		}
	}
	scratch, err := db.OpenScratch(ctx, base.DatabaseURL, base.NodeModules, log)
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp("", "baton-eval-")
	if err != nil {
		scratch.Close()
		return nil, err
	}
	cleanups := []func(){func() { os.RemoveAll(dataDir) }, scratch.Close}
	cleanup := func() {
		for _, f := range cleanups {
			f()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()

	if _, err = migrations.Up(ctx, scratch.Pool); err != nil {
		return nil, err
	}
	scratch.Pool.Reset()
	store := kb.NewStore(scratch.Pool, embedding.FromConfig(base.Embed))
	if err = store.EnsureIndex(ctx); err != nil {
		return nil, err
	}
	if kbPath == "" {
		err = demo.LoadArticles(ctx, store, log)
	} else {
		err = importKB(ctx, store, kbPath)
	}
	if err != nil {
		return nil, err
	}
	users := auth.NewService(scratch.Pool)
	pw := randomPassword()
	evaluator, err := users.EnsureUser(ctx, auth.UserSpec{Email: evaluatorEmail, Name: "Evaluator", Password: pw, Role: auth.RoleEvaluator})
	if err != nil {
		return nil, err
	}
	if botSrc != nil {
		if _, _, err = bot.NewStore(scratch.Pool).Save(ctx, botSrc, &evaluator.ID); err != nil {
			return nil, fmt.Errorf("%s: %w", botPath, err)
		}
	}
	token, _, err := users.Login(ctx, evaluatorEmail, pw)
	if err != nil {
		return nil, err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cfg := base
	cfg.DatabaseURL = scratch.URL
	cfg.DataDir = dataDir
	cfg.Listener = ln
	cfg.Addr = ln.Addr().String()
	cfg.Demo = true // the demo order service answers the demo bot's actions
	cfg.SkipDemoArticles = true
	cfg.AdminEmail = ""
	cfg.PublicRate = 1e6
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 5 * time.Second
	}
	srvCtx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(srvCtx, cfg, log) }()
	cleanups = append([]func(){func() { stop(); <-served }}, cleanups...)

	url := "http://" + ln.Addr().String()
	if err = waitReady(ctx, url, served); err != nil {
		return nil, err
	}
	return &evals.Instance{
		Client: &evals.Client{BaseURL: url, Token: token, HTTP: &http.Client{Timeout: 2 * time.Minute}},
		Close:  cleanup,
	}, nil
}

func importKB(ctx context.Context, store *kb.Store, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := store.ImportJSONL(ctx, f, "eval", nil)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		return fmt.Errorf("%s:%d: %s (and %d more bad lines)", path, e.Line, e.Reason, len(res.Errors)-1)
	}
	return nil
}

func waitReady(ctx context.Context, url string, served <-chan error) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-served:
			if err == nil {
				err = errors.New("stopped")
			}
			return fmt.Errorf("evaluation server: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		res, err := http.Get(url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("evaluation server: not ready after 2 minutes")
}

func randomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
