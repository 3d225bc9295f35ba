package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The embedder settings come from the environment with defaults, and bad ones are named.
func TestEmbedConfig(t *testing.T) {
	t.Setenv("BATON_EMBEDDER", "")
	c, err := Load()
	require.NoError(t, err)
	require.Equal(t, "local", c.Embed.Provider)
	require.NoError(t, c.Validate())
	require.Equal(t, 0.7, c.AnswerThreshold)

	t.Setenv("BATON_EMBEDDER", "openai")
	t.Setenv("BATON_EMBED_URL", "http://localhost:11434/v1")
	t.Setenv("BATON_EMBED_MODEL", "nomic-embed-text")
	t.Setenv("BATON_EMBED_DIM", "768")
	t.Setenv("BATON_EMBED_TIMEOUT", "5s")
	c, err = Load()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, EmbedConfig{Provider: "openai", BaseURL: "http://localhost:11434/v1", Model: "nomic-embed-text",
		Dim: 768, BatchSize: 64, Timeout: 5 * time.Second, Retries: 4}, c.Embed)

	for _, tc := range []struct{ key, value, want string }{
		{"BATON_EMBEDDER", "bert", "local or openai"},
		{"BATON_EMBED_MODEL", "", "needs BATON_EMBED_MODEL"},
		{"BATON_EMBED_DIM", "0", "BATON_EMBED_DIM between"},
		{"BATON_EMBED_URL", "localhost:11434", "http(s) URL"},
		{"BATON_EMBED_BATCH", "0", "BATON_EMBED_BATCH"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			t.Setenv(tc.key, tc.value)
			c, err := Load()
			require.NoError(t, err)
			require.ErrorContains(t, c.Validate(), tc.want)
		})
	}
	t.Setenv("BATON_EMBED_DIM", "many")
	_, err = Load()
	require.ErrorContains(t, err, "BATON_EMBED_DIM must be a whole number")
}

// Offers time out after 30 s unless set; 0 turns it off; a negative one is refused.
func TestOfferTimeoutConfig(t *testing.T) {
	t.Setenv("BATON_OFFER_TIMEOUT", "")
	c, err := Load()
	require.NoError(t, err)
	require.Equal(t, 30*time.Second, c.OfferTimeout)

	t.Setenv("BATON_OFFER_TIMEOUT", "0")
	c, err = Load()
	require.NoError(t, err)
	require.Zero(t, c.OfferTimeout)

	t.Setenv("BATON_OFFER_TIMEOUT", "-5s")
	_, err = Load()
	require.ErrorContains(t, err, "BATON_OFFER_TIMEOUT")
}

func TestTrustedProxiesConfig(t *testing.T) {
	t.Setenv("BATON_TRUSTED_PROXIES", "")
	c, err := Load()
	require.NoError(t, err)
	require.Empty(t, c.TrustedProxies)

	t.Setenv("BATON_TRUSTED_PROXIES", " 10.0.0.0/8, 192.168.1.5 ,::1")
	c, err = Load()
	require.NoError(t, err)
	require.Equal(t, []string{"10.0.0.0/8", "192.168.1.5", "::1"}, c.TrustedProxies)

	t.Setenv("BATON_TRUSTED_PROXIES", "10.0.0.0/8,proxy.local")
	_, err = Load()
	require.ErrorContains(t, err, `"proxy.local" is neither an IP address nor a CIDR`)
}

func TestChannelPriorityConfig(t *testing.T) {
	t.Setenv("BATON_CHANNEL_PRIORITY", " api=10, web=-5 ")
	c, err := Load()
	require.NoError(t, err)
	require.Equal(t, map[string]int{"api": 10, "web": -5}, c.ChannelPriority)
	for v, msg := range map[string]string{
		"api":      "is not channel=number",
		"app=10":   `unknown channel "app"`,
		"web=1000": "outside -100..100",
		"api=ten":  "is not channel=number",
	} {
		t.Setenv("BATON_CHANNEL_PRIORITY", v)
		_, err := Load()
		require.ErrorContains(t, err, msg, v)
	}
}

func TestKBEfSearchConfig(t *testing.T) {
	t.Setenv("BATON_KB_EF_SEARCH", "")
	c, err := Load()
	require.NoError(t, err)
	require.Equal(t, 100, c.KBEfSearch)

	t.Setenv("BATON_KB_EF_SEARCH", "200")
	c, err = Load()
	require.NoError(t, err)
	require.Equal(t, 200, c.KBEfSearch)

	for _, bad := range []string{"0", "1001", "many"} {
		t.Setenv("BATON_KB_EF_SEARCH", bad)
		_, err = Load()
		require.ErrorContains(t, err, "BATON_KB_EF_SEARCH", bad)
	}
}

func TestEmailConfig(t *testing.T) {
	for _, k := range []string{"BATON_EMAIL_INBOUND_TOKEN", "BATON_SMTP_ADDR", "BATON_EMAIL_FROM"} {
		t.Setenv(k, "")
	}
	c, err := Load()
	require.NoError(t, err)
	require.False(t, c.EmailEnabled())

	t.Setenv("BATON_EMAIL_INBOUND_TOKEN", "inbound-token-0123456789")
	_, err = Load()
	require.ErrorContains(t, err, "together")
	t.Setenv("BATON_SMTP_ADDR", "smtp.example.com:587")
	t.Setenv("BATON_EMAIL_FROM", "Support <support@example.com>")
	c, err = Load()
	require.NoError(t, err)
	require.True(t, c.EmailEnabled())

	t.Setenv("BATON_SMTP_ADDR", "smtp.example.com")
	_, err = Load()
	require.ErrorContains(t, err, "host:port")
	t.Setenv("BATON_SMTP_ADDR", "smtp.example.com:587")
	t.Setenv("BATON_EMAIL_FROM", "not an address")
	_, err = Load()
	require.ErrorContains(t, err, "BATON_EMAIL_FROM")
}

// A rating may be changed for 30 minutes unless set; a malformed or non-positive window is refused.
func TestCSATEditWindowConfig(t *testing.T) {
	t.Setenv("BATON_CSAT_EDIT_WINDOW", "")
	c, err := Load()
	require.NoError(t, err)
	require.Equal(t, 30*time.Minute, c.CSATEditWindow)

	t.Setenv("BATON_CSAT_EDIT_WINDOW", "2h")
	c, err = Load()
	require.NoError(t, err)
	require.Equal(t, 2*time.Hour, c.CSATEditWindow)

	for _, bad := range []string{"0", "-1m", "soon"} {
		t.Setenv("BATON_CSAT_EDIT_WINDOW", bad)
		_, err = Load()
		require.ErrorContains(t, err, "BATON_CSAT_EDIT_WINDOW")
	}
}
