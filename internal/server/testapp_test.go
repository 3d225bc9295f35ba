package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/internal/evalrun"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/kb"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testApp is a wired Baton on a clean database behind an httptest server.
type testApp struct {
	*App
	URL string
	t   *testing.T
}

type appOptions struct {
	demo bool
	// sweep runs the routing sweeper this often (0: not at all); offerTimeout is its offer time-out.
	sweep, offerTimeout time.Duration
	// shared: the database already holds the content (another app loaded it); just read the bot.
	shared bool
	// metricsToken serves /metrics to this bearer token.
	metricsToken string
	// trustedProxies sets BATON_TRUSTED_PROXIES.
	trustedProxies []string
	// channelPriority sets BATON_CHANNEL_PRIORITY.
	channelPriority map[string]int
	// identitySecret sets BATON_IDENTITY_SECRET.
	identitySecret string
	// emailToken, smtpAddr and emailFrom set up the e-mail channel.
	emailToken, smtpAddr, emailFrom string
}

func newTestApp(t *testing.T, opt appOptions) *testApp {
	t.Helper()
	return newTestAppOn(t, dbtest.New(t), opt)
}

// newTestAppOn wires a Baton on pool, as `baton serve` would: its own event bus, and the
// routing sweeper when asked for.
func newTestAppOn(t *testing.T, pool *pgxpool.Pool, opt appOptions) *testApp {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("BATON_TEST_VERBOSE") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	cfg, err := config.Load()
	require.NoError(t, err)
	cfg.PublicRate = 1000
	cfg.CookieSecure = false
	cfg.MetricsToken = opt.metricsToken
	cfg.TrustedProxies = opt.trustedProxies
	cfg.IdentitySecret = opt.identitySecret
	cfg.EmailInboundToken, cfg.SMTPAddr, cfg.EmailFrom = opt.emailToken, opt.smtpAddr, opt.emailFrom
	ctx, cancel := context.WithCancel(context.Background())
	bus := events.NewBus(pool, dbtest.Embedded(), log)
	go bus.Run(ctx)
	<-bus.Ready()
	done := make(chan struct{})
	users := auth.NewService(pool)
	kbStore := kb.NewStore(pool, kb.LocalEmbedder{})
	a := &App{Config: cfg, Log: log, DB: &db.Database{Pool: pool}, Users: users, KB: kbStore, Bus: bus, Done: done,
		Convs: conversation.NewStore(pool)}
	a.Handoffs = handoff.NewStore(pool, kbSuggestionSink)
	a.Handoffs.OfferTimeout = opt.offerTimeout
	orders := httptest.NewServer(&demo.OrderService{})
	t.Cleanup(orders.Close)
	a.Bots = &bot.Loader{Store: bot.NewStore(pool), Holder: &bot.Holder{}, Env: map[string]string{"orders_url": orders.URL}, Log: log}
	a.Turns = &bot.Service{Convs: a.Convs, Skill: "general", ChannelPriority: opt.channelPriority,
		Bot: &bot.Bot{KB: kbStore, Threshold: cfg.AnswerThreshold, Engines: a.Bots.Holder, HTTP: orders.Client()}}
	if opt.shared {
		require.NoError(t, a.Bots.Reload(ctx))
	}
	if opt.sweep > 0 {
		sw := &handoff.Sweeper{Store: a.Handoffs, Every: opt.sweep, PresenceGrace: time.Hour, ReplyTimeout: time.Hour,
			OfferTimeout: opt.offerTimeout, Log: log}
		go sw.Run(ctx)
	}
	if opt.demo {
		_, err := demo.Load(ctx, kbStore, users, t.TempDir(), log)
		require.NoError(t, err)
		require.NoError(t, demo.EnsureBot(ctx, a.Bots.Store, log))
		require.NoError(t, a.Bots.Reload(ctx))
	}
	launchCfg := cfg
	launchCfg.DatabaseURL = "" // evaluation runs get embedded scratch databases of their own
	a.EvalRuns = &evals.Runs{Pool: pool, Launch: evalrun.Launcher(launchCfg, log, Serve), Log: log, Ctx: ctx}
	h, err := a.Routes()
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		close(done)
		srv.Close()
		cancel()
		a.EvalRuns.Wait()
	})
	return &testApp{App: a, URL: srv.URL, t: t}
}

// user makes a staff user and returns a bearer token for it.
func (ta *testApp) user(email, role string, skills ...string) string {
	ta.t.Helper()
	_, err := ta.Users.EnsureUser(context.Background(), auth.UserSpec{Email: email, Password: "password-123", Role: role, Skills: skills})
	require.NoError(ta.t, err)
	token, _, err := ta.Users.Login(context.Background(), email, "password-123")
	require.NoError(ta.t, err)
	return token
}

// do sends a JSON request and checks the status; out, when given, receives the JSON answer.
func (ta *testApp) do(method, path, token string, body any, wantStatus int, out any) []byte {
	ta.t.Helper()
	status, b := ta.raw(method, path, token, body)
	require.Equal(ta.t, wantStatus, status, "%s %s answered %s", method, path, b)
	if out != nil {
		require.NoError(ta.t, json.Unmarshal(b, out), string(b))
	}
	return b
}

func (ta *testApp) raw(method, path, token string, body any) (int, []byte) {
	ta.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(ta.t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, ta.URL+path, rd)
	require.NoError(ta.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(ta.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(ta.t, err)
	return resp.StatusCode, b
}

type convOut struct {
	Conversation struct {
		ID            string `json:"id"`
		Status        string `json:"status"`
		HandoffReason string `json:"handoff_reason"`
		Language      string `json:"language"`
	} `json:"conversation"`
	CustomerToken string `json:"customer_token"`
}

type msgOut struct {
	ID        int64  `json:"id"`
	Seq       int64  `json:"seq"`
	Sender    string `json:"sender"`
	Text      string `json:"text"`
	Citations []struct {
		ArticleID int64  `json:"article_id"`
		Title     string `json:"title"`
	} `json:"citations"`
	Meta struct {
		Kind   string            `json:"kind"`
		Intent string            `json:"intent"`
		Asking string            `json:"asking"`
		Slots  map[string]string `json:"slots"`
		Reason string            `json:"reason"`
	} `json:"meta"`
}

type turnOut struct {
	Message msgOut   `json:"message"`
	Replies []msgOut `json:"replies"`
}

// customer opens a conversation and returns its id and token.
func (ta *testApp) customer(lang string) (string, string) {
	ta.t.Helper()
	var out convOut
	ta.do("POST", "/api/v1/conversations", "", map[string]any{"customer": map[string]string{"name": "Test " + lang, "language": lang}}, 201, &out)
	require.Equal(ta.t, "bot", out.Conversation.Status)
	return out.Conversation.ID, out.CustomerToken
}

func (ta *testApp) say(conv, token, text string) turnOut {
	ta.t.Helper()
	var out turnOut
	ta.do("POST", "/api/v1/conversations/"+conv+"/messages", token, map[string]string{"text": text}, 201, &out)
	return out
}
