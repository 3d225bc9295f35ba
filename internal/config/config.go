// Package config parses Baton's configuration from the environment once, into a typed struct.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultAnswerThreshold is the answer threshold by default: the bot answers when its best article
// is at least 70% likely to be the right one (chosen on the tune halves of the tuning sets; the
// README's "Retrieval" section has the figures).
const DefaultAnswerThreshold = 0.7

// Config is everything Baton reads from its environment. Flags may override fields after Load.
type Config struct {
	Addr          string // BATON_ADDR
	DataDir       string // BATON_DATA_DIR
	DatabaseURL   string // DATABASE_URL; empty means the embedded database
	AdminEmail    string // BATON_ADMIN_EMAIL
	AdminPassword string // BATON_ADMIN_PASSWORD (or BATON_ADMIN_PASSWORD_FILE)
	Demo          bool   // BATON_DEMO=1
	LogFormat     string // BATON_LOG_FORMAT: text or json
	LogLevel      string // BATON_LOG_LEVEL: debug, info, warn, error
	// AnswerThreshold is the probability that its best article is right below which the bot says
	// it does not know (see kb.Result.Score).
	AnswerThreshold float64 // BATON_ANSWER_THRESHOLD
	// KBEfSearch is the HNSW candidate list of a knowledge-base search (recall against latency);
	// it matters only past the exact-search size (2,000 chunks).
	KBEfSearch int // BATON_KB_EF_SEARCH
	// DefaultSkill is the queue a handoff goes to when nothing more specific applies.
	DefaultSkill string // BATON_DEFAULT_SKILL
	// CookieSecure marks the session cookie Secure. Browsers accept Secure cookies on http://localhost.
	CookieSecure bool // BATON_COOKIE_SECURE (default true)
	// NodeModules is where the embedded database's npm packages are installed; empty means search.
	NodeModules string // BATON_NODE_MODULES
	// PublicRate is the sustained requests per second one client IP may make to the public customer API.
	PublicRate float64 // BATON_PUBLIC_RATE
	// LLMURL is an OpenAI-compatible endpoint (base URL, e.g. http://host:8000/v1) for reading
	// intents and slots with function calling; empty keeps the bot offline.
	LLMURL     string        // BATON_LLM_URL
	LLMModel   string        // BATON_LLM_MODEL
	LLMAPIKey  string        // BATON_LLM_API_KEY (or BATON_LLM_API_KEY_FILE)
	LLMTimeout time.Duration // BATON_LLM_TIMEOUT (default 10s)
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration
	// Listener, when set, is used instead of listening on Addr (in-process evaluation runs).
	Listener net.Listener
	// SkipDemoArticles keeps demo mode from loading the demo knowledge base (an evaluation run
	// that brings its own); the demo bot, accounts and order service are unaffected.
	SkipDemoArticles bool
	// PresenceGrace is how long an online agent's workbench may stay silent before they go away.
	PresenceGrace time.Duration // BATON_PRESENCE_GRACE (default 90s)
	// ReplyTimeout is how long an assigned chat may go unanswered before it is reassigned.
	ReplyTimeout time.Duration // BATON_REPLY_TIMEOUT (default 3m)
	// RoutingSweep is how often the routing sweeper runs.
	RoutingSweep time.Duration // BATON_ROUTING_SWEEP (default 2s)
	// OfferTimeout is how long an agent has to accept a conversation the router offered them
	// before it goes to the next agent; 0 means offers do not time out.
	OfferTimeout time.Duration // BATON_OFFER_TIMEOUT (default 30s)
	// TicketEscalateAfter is how long a ticket may stay unsolved before it escalates (raised
	// priority, supervisors notified); 0 means tickets do not escalate by age.
	TicketEscalateAfter time.Duration // BATON_TICKET_ESCALATE_AFTER (default 72h)
	// CSATEditWindow is how long after rating a conversation or ticket the customer may change it.
	CSATEditWindow time.Duration // BATON_CSAT_EDIT_WINDOW (default 30m)
	// Embed chooses the embedder knowledge-base chunks are embedded with.
	Embed EmbedConfig
	// MetricsToken, when set, serves Prometheus metrics at /metrics to requests bearing it.
	MetricsToken string // BATON_METRICS_TOKEN (or BATON_METRICS_TOKEN_FILE)
	// The e-mail channel: the token the mail provider's inbound posts carry, and the SMTP server
	// and sender address replies go out with. All three of token, SMTPAddr and EmailFrom, or none.
	EmailInboundToken string // BATON_EMAIL_INBOUND_TOKEN (or _FILE)
	SMTPAddr          string // BATON_SMTP_ADDR, host:port
	SMTPUsername      string // BATON_SMTP_USERNAME
	SMTPPassword      string // BATON_SMTP_PASSWORD (or _FILE)
	EmailFrom         string // BATON_EMAIL_FROM, e.g. "Support <support@example.com>"
	// DeliveryEvery is how often webhook and channel deliveries are looked for (tests shorten it).
	DeliveryEvery time.Duration
	// IdentitySecret signs customers' external ids (HMAC-SHA256) on the site that embeds Baton;
	// empty means identity verification is off and external ids are never trusted.
	IdentitySecret string // BATON_IDENTITY_SECRET (or BATON_IDENTITY_SECRET_FILE)
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose X-Forwarded-For names the
	// client (for rate limits, socket caps and logs); empty trusts none: the client is the
	// connection's peer.
	TrustedProxies []string // BATON_TRUSTED_PROXIES, comma-separated
	// ChannelPriority is added to the priority of handoffs from conversations of each channel
	// (e.g. api customers, an app, first).
	ChannelPriority map[string]int // BATON_CHANNEL_PRIORITY, e.g. "api=10,web=0"
}

// EmbedConfig chooses the knowledge-base embedder: the offline local one, or an OpenAI-compatible
// embeddings endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp server). Changing it re-embeds the
// knowledge base in the background at the next start.
type EmbedConfig struct {
	Provider  string        // BATON_EMBEDDER: local (default) or openai
	BaseURL   string        // BATON_EMBED_URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1
	Model     string        // BATON_EMBED_MODEL, e.g. text-embedding-3-small
	Dim       int           // BATON_EMBED_DIM: the vectors' dimension (asked of models that can shorten theirs)
	APIKey    string        // BATON_OPENAI_API_KEY (or BATON_OPENAI_API_KEY_FILE); optional for local servers
	BatchSize int           // BATON_EMBED_BATCH: texts per request (default 64)
	Timeout   time.Duration // BATON_EMBED_TIMEOUT: per request, retries included separately (default 30s)
	Retries   int           // BATON_EMBED_RETRIES: retries on 429, 5xx and network errors (default 4)
}

// Load reads the environment, applying defaults.
func Load() (Config, error) {
	c := Config{
		Addr:            env("BATON_ADDR", "127.0.0.1:8080"),
		DataDir:         env("BATON_DATA_DIR", "./.baton"),
		DatabaseURL:     os.Getenv("DATABASE_URL"),
		AdminEmail:      os.Getenv("BATON_ADMIN_EMAIL"),
		LogFormat:       env("BATON_LOG_FORMAT", "text"),
		LogLevel:        env("BATON_LOG_LEVEL", "info"),
		DefaultSkill:    env("BATON_DEFAULT_SKILL", "general"),
		NodeModules:     os.Getenv("BATON_NODE_MODULES"),
		ShutdownTimeout: 15 * time.Second,
		LLMURL:          os.Getenv("BATON_LLM_URL"),
		LLMModel:        env("BATON_LLM_MODEL", "gpt-4o-mini"),
		LLMTimeout:      10 * time.Second,
	}
	var err error
	if c.IdentitySecret, err = secret("BATON_IDENTITY_SECRET"); err != nil {
		return c, err
	}
	if c.IdentitySecret != "" && len(c.IdentitySecret) < 16 {
		return c, errors.New("config: BATON_IDENTITY_SECRET must be at least 16 characters")
	}
	if err := c.loadEmail(); err != nil {
		return c, err
	}
	if c.MetricsToken, err = secret("BATON_METRICS_TOKEN"); err != nil {
		return c, err
	}
	if c.ChannelPriority, err = channelPriority(os.Getenv("BATON_CHANNEL_PRIORITY")); err != nil {
		return c, err
	}
	for _, p := range strings.Split(os.Getenv("BATON_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
				return c, fmt.Errorf("config: BATON_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR", p)
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.LLMAPIKey, err = secret("BATON_LLM_API_KEY"); err != nil {
		return c, err
	}
	if v := os.Getenv("BATON_LLM_TIMEOUT"); v != "" {
		if c.LLMTimeout, err = time.ParseDuration(v); err != nil || c.LLMTimeout <= 0 {
			return c, fmt.Errorf("config: BATON_LLM_TIMEOUT must be a duration such as 10s, got %q", v)
		}
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
		def  time.Duration
	}{{"BATON_PRESENCE_GRACE", &c.PresenceGrace, 90 * time.Second}, {"BATON_REPLY_TIMEOUT", &c.ReplyTimeout, 3 * time.Minute},
		{"BATON_ROUTING_SWEEP", &c.RoutingSweep, 2 * time.Second}, {"BATON_CSAT_EDIT_WINDOW", &c.CSATEditWindow, 30 * time.Minute}} {
		*d.dst = d.def
		if v := os.Getenv(d.name); v != "" {
			if *d.dst, err = time.ParseDuration(v); err != nil || *d.dst <= 0 {
				return c, fmt.Errorf("config: %s must be a duration such as 90s, got %q", d.name, v)
			}
		}
	}
	if c.OfferTimeout, err = durationEnv("BATON_OFFER_TIMEOUT", 30*time.Second); err != nil || c.OfferTimeout < 0 {
		return c, fmt.Errorf("config: BATON_OFFER_TIMEOUT must be a duration such as 30s (0 = never), got %q", os.Getenv("BATON_OFFER_TIMEOUT"))
	}
	if c.TicketEscalateAfter, err = durationEnv("BATON_TICKET_ESCALATE_AFTER", 72*time.Hour); err != nil || c.TicketEscalateAfter < 0 {
		return c, fmt.Errorf("config: BATON_TICKET_ESCALATE_AFTER must be a duration such as 72h (0 = never), got %q", os.Getenv("BATON_TICKET_ESCALATE_AFTER"))
	}
	if c.AdminPassword, err = secret("BATON_ADMIN_PASSWORD"); err != nil {
		return c, err
	}
	if c.Demo, err = boolEnv("BATON_DEMO", false); err != nil {
		return c, err
	}
	if c.CookieSecure, err = boolEnv("BATON_COOKIE_SECURE", true); err != nil {
		return c, err
	}
	if c.AnswerThreshold, err = floatEnv("BATON_ANSWER_THRESHOLD", DefaultAnswerThreshold); err != nil {
		return c, err
	}
	if c.KBEfSearch, err = intEnv("BATON_KB_EF_SEARCH", 100); err != nil {
		return c, err
	}
	if c.KBEfSearch < 1 || c.KBEfSearch > 1000 {
		return c, fmt.Errorf("config: BATON_KB_EF_SEARCH must be between 1 and 1000 (pgvector's limit), not %d", c.KBEfSearch)
	}
	if c.PublicRate, err = floatEnv("BATON_PUBLIC_RATE", 5); err != nil {
		return c, err
	}
	if c.Embed, err = loadEmbed(); err != nil {
		return c, err
	}
	return c, nil
}

func loadEmbed() (EmbedConfig, error) {
	e := EmbedConfig{
		Provider: strings.ToLower(env("BATON_EMBEDDER", "local")),
		BaseURL:  env("BATON_EMBED_URL", "https://api.openai.com/v1"),
		Model:    os.Getenv("BATON_EMBED_MODEL"),
	}
	var err error
	if e.APIKey, err = secret("BATON_OPENAI_API_KEY"); err != nil {
		return e, err
	}
	if e.Dim, err = intEnv("BATON_EMBED_DIM", 0); err != nil {
		return e, err
	}
	if e.BatchSize, err = intEnv("BATON_EMBED_BATCH", 64); err != nil {
		return e, err
	}
	if e.Retries, err = intEnv("BATON_EMBED_RETRIES", 4); err != nil {
		return e, err
	}
	if e.Timeout, err = durationEnv("BATON_EMBED_TIMEOUT", 30*time.Second); err != nil {
		return e, err
	}
	return e, nil
}

// Validate reports the first embedder setting that cannot work.
func (e EmbedConfig) Validate() error {
	switch e.Provider {
	case "local":
		return nil
	case "openai":
	default:
		return fmt.Errorf("config: BATON_EMBEDDER must be local or openai, got %q", e.Provider)
	}
	u, err := url.Parse(e.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: BATON_EMBED_URL must be an http(s) URL, got %q", e.BaseURL)
	}
	switch {
	case e.Model == "":
		return errors.New("config: BATON_EMBEDDER=openai needs BATON_EMBED_MODEL")
	case e.Dim <= 0 || e.Dim > 16000:
		return fmt.Errorf("config: BATON_EMBEDDER=openai needs BATON_EMBED_DIM between 1 and 16000, got %d", e.Dim)
	case e.BatchSize <= 0 || e.BatchSize > 2048:
		return fmt.Errorf("config: BATON_EMBED_BATCH must be between 1 and 2048, got %d", e.BatchSize)
	case e.Retries < 0 || e.Retries > 20:
		return fmt.Errorf("config: BATON_EMBED_RETRIES must be between 0 and 20, got %d", e.Retries)
	case e.Timeout <= 0:
		return fmt.Errorf("config: BATON_EMBED_TIMEOUT must be positive, got %s", e.Timeout)
	}
	return nil
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("config: BATON_ADDR %q is not host:port: %w", c.Addr, err)
	}
	if c.DataDir == "" {
		return errors.New("config: BATON_DATA_DIR must not be empty")
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return errors.New("config: set both BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD, or neither")
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 8 {
		return errors.New("config: BATON_ADMIN_PASSWORD must be at least 8 characters")
	}
	if c.AnswerThreshold <= 0 || c.AnswerThreshold >= 1 {
		return fmt.Errorf("config: BATON_ANSWER_THRESHOLD must be between 0 and 1, got %v", c.AnswerThreshold)
	}
	if c.PublicRate <= 0 {
		return fmt.Errorf("config: BATON_PUBLIC_RATE must be positive, got %v", c.PublicRate)
	}
	if c.LLMURL != "" {
		if u, err := url.Parse(c.LLMURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: BATON_LLM_URL must be an http(s) URL, got %q", c.LLMURL)
		}
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("config: BATON_LOG_FORMAT must be text or json, got %q", c.LogFormat)
	}
	return c.Embed.Validate()
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

// secret reads KEY, or the file named by KEY_FILE.
func secret(key string) (string, error) {
	if f := os.Getenv(key + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("config: %s_FILE: %w", key, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return os.Getenv(key), nil
}

func boolEnv(key string, def bool) (bool, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, fmt.Errorf("config: %s must be a boolean (1/0/true/false), got %q", key, v)
	}
	return b, nil
}

func intEnv(key string, def int) (int, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("config: %s must be a whole number, got %q", key, v)
	}
	return n, nil
}

func durationEnv(key string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return def, fmt.Errorf("config: %s must be a duration such as 30s, got %q", key, v)
	}
	return d, nil
}

func floatEnv(key string, def float64) (float64, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return def, fmt.Errorf("config: %s must be a number, got %q", key, v)
	}
	return f, nil
}

// channelPriority parses "channel=n,…": customer channels (web, api) with a bonus from -100 to 100.
func channelPriority(v string) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, num, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		n, err := strconv.Atoi(strings.TrimSpace(num))
		switch {
		case !ok || err != nil:
			return nil, fmt.Errorf("config: BATON_CHANNEL_PRIORITY: %q is not channel=number", part)
		case name != "web" && name != "api":
			return nil, fmt.Errorf("config: BATON_CHANNEL_PRIORITY: unknown channel %q (web or api)", name)
		case n < -100 || n > 100:
			return nil, fmt.Errorf("config: BATON_CHANNEL_PRIORITY: %s=%d is outside -100..100", name, n)
		}
		out[name] = n
	}
	return out, nil
}

// EmailEnabled reports whether the e-mail channel is set up.
func (c Config) EmailEnabled() bool { return c.EmailInboundToken != "" }

func (c *Config) loadEmail() error {
	var err error
	if c.EmailInboundToken, err = secret("BATON_EMAIL_INBOUND_TOKEN"); err != nil {
		return err
	}
	if c.SMTPPassword, err = secret("BATON_SMTP_PASSWORD"); err != nil {
		return err
	}
	c.SMTPAddr = strings.TrimSpace(os.Getenv("BATON_SMTP_ADDR"))
	c.SMTPUsername = strings.TrimSpace(os.Getenv("BATON_SMTP_USERNAME"))
	c.EmailFrom = strings.TrimSpace(os.Getenv("BATON_EMAIL_FROM"))
	set := 0
	for _, v := range []string{c.EmailInboundToken, c.SMTPAddr, c.EmailFrom} {
		if v != "" {
			set++
		}
	}
	switch {
	case set == 0:
		return nil
	case set < 3:
		return errors.New("config: the e-mail channel needs BATON_EMAIL_INBOUND_TOKEN, BATON_SMTP_ADDR and BATON_EMAIL_FROM together")
	case len(c.EmailInboundToken) < 16:
		return errors.New("config: BATON_EMAIL_INBOUND_TOKEN must be at least 16 characters")
	}
	if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
		return fmt.Errorf("config: BATON_SMTP_ADDR must be host:port: %w", err)
	}
	if _, err := mail.ParseAddress(c.EmailFrom); err != nil {
		return fmt.Errorf("config: BATON_EMAIL_FROM is not an address: %w", err)
	}
	return nil
}
