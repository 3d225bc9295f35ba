package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/kb"
)

func newChat() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "chat",
		Short: "Chat with the bot in the terminal",
		Long: `Chat with the bot in the terminal, through the same path as the web chat: every message is
stored in the database (embedded unless DATABASE_URL; the first line says which), and the bot
takes its turn with the active bot definition and the knowledge base.

A handoff is shown here and stays out of the live queue: no agent is offered a terminal
conversation unless --queue is given.
With --demo (the default when no bot definition is stored) the demo knowledge base and bot are
loaded. Unless BATON_BOT_ENV_ORDERS_URL names an order system, a demo order service answers the
bot's order actions.
With --debug each reply shows what the bot understood: intent, confidence, slots, reply kind.

Commands: /new starts a new conversation, /state prints the bot's memory, /quit exits.`,
		Args: cobra.NoArgs,
		RunE: runChat,
	}
	cmd.Flags().Bool("debug", false, "show intent, confidence, slots and reply kind per turn")
	cmd.Flags().String("lang", "zh", "the conversation's language (zh or en); the bot answers in the language you write")
	cmd.Flags().String("vip", "", "the customer's VIP tier (e.g. gold); empty for a regular customer")
	cmd.Flags().Bool("demo", false, "load the demo knowledge base and bot definition first")
	cmd.Flags().Bool("queue", false, "send handoffs to the live queue, where agents are offered them")
	dbFlags(cmd)
	return cmd
}

func runChat(cmd *cobra.Command, _ []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	lang, _ := cmd.Flags().GetString("lang")
	if lang != "zh" && lang != "en" {
		return usageError{fmt.Errorf("--lang must be zh or en")}
	}
	debug, _ := cmd.Flags().GetBool("debug")
	vip, _ := cmd.Flags().GetString("vip")
	wantDemo, _ := cmd.Flags().GetBool("demo")
	toQueue, _ := cmd.Flags().GetBool("queue")
	ctx := cmd.Context()
	// Logs would interleave with the conversation; only warnings go to stderr.
	quiet := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openDatabase(ctx, cfg, quiet)
	if err != nil {
		return err
	}
	defer d.Close()
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "Database: %s\n", describeDatabase(d, cfg.DataDir))

	kbStore := kb.NewStore(d.Pool, kb.LocalEmbedder{})
	botStore := bot.NewStore(d.Pool)
	if _, err := botStore.Active(ctx); err == bot.ErrNoDefinition {
		wantDemo = true
	}
	env := bot.EnvFromEnviron()
	if wantDemo || cfg.Demo {
		if err := demo.LoadArticles(ctx, kbStore, quiet); err != nil {
			return err
		}
		if err := demo.EnsureBot(ctx, botStore, quiet); err != nil {
			return err
		}
	}
	// The stored definition may be the demo's, loaded by baton serve, which serves the orders
	// itself: here, as there, the demo order service stands in unless an order system is named.
	if _, ok := env["orders_url"]; !ok {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: &demo.OrderService{}}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()
		env["orders_url"] = "http://" + ln.Addr().String()
	}
	loader := &bot.Loader{Store: botStore, Holder: &bot.Holder{}, Env: env}
	if err := loader.Reload(ctx); err != nil {
		return err
	}
	convs := conversation.NewStore(d.Pool)
	// The bot's answers are checked against the compliance rules as they are in baton serve.
	svc := &bot.Service{Convs: convs, Skill: cfg.DefaultSkill, KeepOutOfQueue: !toQueue, Compliance: compliance.NewChecker(d.Pool, quiet),
		Bot: &bot.Bot{KB: kbStore, Threshold: cfg.AnswerThreshold, Engines: loader.Holder, HTTP: &http.Client{}}}
	if cfg.LLMURL != "" {
		svc.Bot.LLM = bot.NewLLM(cfg.LLMURL, cfg.LLMAPIKey, cfg.LLMModel, cfg.LLMTimeout)
	}

	newConv := func() (conversation.Conversation, error) {
		cust, _, err := convs.CustomerCreate(ctx, conversation.Customer{Name: "Terminal customer", Language: lang, VIPTier: vip})
		if err != nil {
			return conversation.Conversation{}, err
		}
		return convs.ConversationCreate(ctx, cust.ID, "cli", lang)
	}
	conv, err := newConv()
	if err != nil {
		return err
	}
	if e := loader.Holder.Load(); e != nil {
		fmt.Fprintf(out, "Bot %q v%d (%d intents). Conversation %s. Type /quit to exit.\n", e.Def.Name, e.Version, len(e.Def.Intents), conv.ID)
	} else {
		fmt.Fprintf(out, "No bot definition: answering from the knowledge base only. Conversation %s.\n", conv.ID)
	}
	in := bufio.NewScanner(cmd.InOrStdin())
	in.Buffer(make([]byte, 64<<10), 64<<10)
	for {
		fmt.Fprint(out, "> ")
		if !in.Scan() {
			fmt.Fprintln(out)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		switch line {
		case "":
			continue
		case "/quit", "/exit":
			return nil
		case "/new":
			if conv, err = newConv(); err != nil {
				return err
			}
			fmt.Fprintf(out, "(new conversation %s)\n", conv.ID)
			continue
		case "/state":
			c, err := convs.Get(ctx, conv.ID)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, string(c.BotState))
			continue
		}
		res, err := svc.HandleCustomerMessage(ctx, conv, line, "")
		if err != nil {
			return err
		}
		conv = res.Conversation
		for _, r := range res.Replies {
			printReply(out, r, debug)
		}
		if conv.Status != conversation.StatusBot && len(res.Replies) == 0 {
			fmt.Fprintln(out, "(a person holds this conversation; the bot stays quiet. /new starts another)")
		}
		if conv.Status == conversation.StatusQueued && len(res.Replies) > 0 {
			fmt.Fprintf(out, "(handed off: %s; the conversation waits in the queue at /workbench)\n", conv.HandoffReason)
		} else if reason := handoffReason(res.Replies); reason != "" && !toQueue {
			fmt.Fprintf(out, "(handed off: %s; not queued — run with --queue to send handoffs to agents)\n", reason)
		}
	}
}

func printReply(w io.Writer, m conversation.Message, debug bool) {
	fmt.Fprintf(w, "bot: %s\n", m.Text)
	for _, c := range m.Citations {
		fmt.Fprintf(w, "     [source: %s  score %.3f]\n", c.Title, c.Score)
	}
	if !debug || len(m.Meta) == 0 {
		return
	}
	var meta bot.Meta
	if json.Unmarshal(m.Meta, &meta) != nil {
		return
	}
	parts := []string{"kind=" + meta.Kind}
	if meta.Intent != "" {
		parts = append(parts, fmt.Sprintf("intent=%s %.2f", meta.Intent, meta.Confidence))
	} else {
		parts = append(parts, "intent=(none)")
	}
	if meta.Asking != "" {
		parts = append(parts, "asking="+meta.Asking)
	}
	if meta.Reason != "" {
		parts = append(parts, "handoff="+meta.Reason)
	}
	if len(meta.Slots) > 0 {
		keys := make([]string, 0, len(meta.Slots))
		for k := range meta.Slots {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var kv []string
		for _, k := range keys {
			kv = append(kv, k+"="+meta.Slots[k])
		}
		parts = append(parts, "slots{"+strings.Join(kv, ", ")+"}")
	}
	if meta.Sentiment != 0 {
		parts = append(parts, fmt.Sprintf("sentiment=%.2f", meta.Sentiment))
	}
	fmt.Fprintf(w, "     (%s)\n", strings.Join(parts, "  "))
}

// handoffReason is the reason of the bot's handoff among replies, or "".
func handoffReason(replies []conversation.Message) string {
	for _, r := range replies {
		var meta bot.Meta
		if json.Unmarshal(r.Meta, &meta) == nil && meta.Kind == "handoff" {
			return meta.Reason
		}
	}
	return ""
}

// describeDatabase says which database the chat writes to, without its password.
func describeDatabase(d *db.Database, dataDir string) string {
	if d.Embedded != nil {
		return "embedded (PGlite) in " + dataDir
	}
	u, err := url.Parse(d.URL)
	if err != nil || u.Host == "" {
		if c, err := pgconn.ParseConfig(d.URL); err == nil {
			return fmt.Sprintf("%s:%d/%s (DATABASE_URL)", c.Host, c.Port, c.Database)
		}
		return "DATABASE_URL"
	}
	return fmt.Sprintf("%s%s (DATABASE_URL)", u.Host, u.Path)
}
