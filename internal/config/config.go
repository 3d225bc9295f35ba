// Package config parses Baton's configuration from the environment once, into a typed struct.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

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
	// AnswerThreshold is the retrieval score below which the bot says it does not know.
	AnswerThreshold float64 // BATON_ANSWER_THRESHOLD
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
	// PresenceGrace is how long an online agent's workbench may stay silent before they go away.
	PresenceGrace time.Duration // BATON_PRESENCE_GRACE (default 90s)
	// ReplyTimeout is how long an assigned chat may go unanswered before it is reassigned.
	ReplyTimeout time.Duration // BATON_REPLY_TIMEOUT (default 3m)
	// RoutingSweep is how often the routing sweeper runs.
	RoutingSweep time.Duration // BATON_ROUTING_SWEEP (default 2s)
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
		{"BATON_ROUTING_SWEEP", &c.RoutingSweep, 2 * time.Second}} {
		*d.dst = d.def
		if v := os.Getenv(d.name); v != "" {
			if *d.dst, err = time.ParseDuration(v); err != nil || *d.dst <= 0 {
				return c, fmt.Errorf("config: %s must be a duration such as 90s, got %q", d.name, v)
			}
		}
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
	if c.AnswerThreshold, err = floatEnv("BATON_ANSWER_THRESHOLD", 0.38); err != nil {
		return c, err
	}
	if c.PublicRate, err = floatEnv("BATON_PUBLIC_RATE", 5); err != nil {
		return c, err
	}
	return c, nil
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
	return nil
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
