package embedding_test

import (
	"context"
	"hash/fnv"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/internal/embedding/fakeopenai"
	"github.com/baton-cs/baton/kb"
)

// hashVec is a deterministic vector for a text, so results can be checked.
func hashVec(dim int) func(string) []float32 {
	return func(text string) []float32 {
		v := make([]float32, dim)
		h := fnv.New32a()
		h.Write([]byte(text))
		v[int(h.Sum32())%dim] = 3 // not unit length: the client normalises
		return v
	}
}

func newEmbedder(t *testing.T, srv *fakeopenai.Server, mut func(*config.EmbedConfig)) *embedding.OpenAI {
	t.Helper()
	cfg := config.EmbedConfig{Provider: "openai", BaseURL: srv.URL, Model: "text-embedding-3-small", Dim: 8,
		APIKey: "sk-test", BatchSize: 2, Timeout: 2 * time.Second, Retries: 3}
	if mut != nil {
		mut(&cfg)
	}
	require.NoError(t, cfg.Validate())
	e := embedding.NewOpenAI(cfg)
	e.Backoff = time.Millisecond
	return e
}

var _ kb.Embedder = (*embedding.OpenAI)(nil)

// Texts go in batches, each vector comes back for its own text (whatever order the server
// answers in), unit length, with the key, model and dimensions sent.
func TestOpenAIBatches(t *testing.T) {
	srv := fakeopenai.New(t, hashVec(8))
	e := newEmbedder(t, srv, nil)
	texts := []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	vecs, err := e.Embed(context.Background(), texts)
	require.NoError(t, err)
	require.Len(t, vecs, 5)
	for i, text := range texts {
		want := hashVec(8)(text)
		for j := range want {
			want[j] /= 3
		}
		require.Equal(t, want, vecs[i], text)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	require.Equal(t, []string{"alpha", "beta"}, reqs[0].Input)
	require.Equal(t, []string{"epsilon"}, reqs[2].Input)
	require.Equal(t, "Bearer sk-test", reqs[0].Auth)
	require.Equal(t, "text-embedding-3-small", reqs[0].Model)
	require.Equal(t, 8, reqs[0].Dimensions)
	require.Equal(t, "openai:text-embedding-3-small", e.Name())
	require.Equal(t, 8, e.Dim())
}

// Rate limits and server errors are retried with backoff; the call then succeeds.
func TestOpenAIRetries(t *testing.T) {
	srv := fakeopenai.New(t, hashVec(8))
	e := newEmbedder(t, srv, nil)
	srv.Fail(http.StatusTooManyRequests, http.StatusInternalServerError)
	vecs, err := e.Embed(context.Background(), []string{"hello"})
	require.NoError(t, err)
	require.Len(t, vecs, 1)
	require.Len(t, srv.Requests(), 3)
}

// A request that times out is retried.
func TestOpenAIRetriesTimeout(t *testing.T) {
	srv := fakeopenai.New(t, hashVec(8))
	e := newEmbedder(t, srv, func(c *config.EmbedConfig) { c.Timeout = 100 * time.Millisecond })
	srv.Delay(2 * time.Second)
	vecs, err := e.Embed(context.Background(), []string{"hello"})
	require.NoError(t, err)
	require.Len(t, vecs, 1)
	require.Len(t, srv.Requests(), 2)
}

// Client errors are not retried; retries give up after the configured number; a wrong dimension
// is an error, not a vector.
func TestOpenAIErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("unauthorized", func(t *testing.T) {
		srv := fakeopenai.New(t, hashVec(8))
		e := newEmbedder(t, srv, nil)
		srv.Fail(http.StatusUnauthorized)
		_, err := e.Embed(ctx, []string{"x"})
		require.ErrorContains(t, err, "after 1 attempt")
		require.Len(t, srv.Requests(), 1)
	})
	t.Run("gives up", func(t *testing.T) {
		srv := fakeopenai.New(t, hashVec(8))
		e := newEmbedder(t, srv, func(c *config.EmbedConfig) { c.Retries = 2 })
		srv.Fail(503, 503, 503, 503)
		_, err := e.Embed(ctx, []string{"x"})
		require.ErrorContains(t, err, "after 3 attempt")
		require.Len(t, srv.Requests(), 3)
	})
	t.Run("wrong dimension", func(t *testing.T) {
		srv := fakeopenai.New(t, hashVec(4))
		e := newEmbedder(t, srv, func(c *config.EmbedConfig) { c.Model = "nomic-embed-text" })
		_, err := e.Embed(ctx, []string{"x"})
		require.ErrorContains(t, err, "returned 4 dimensions")
		require.Zero(t, srv.Requests()[0].Dimensions, "only text-embedding-3 models are asked for a dimension")
	})
	t.Run("cancelled", func(t *testing.T) {
		srv := fakeopenai.New(t, hashVec(8))
		e := newEmbedder(t, srv, nil)
		srv.Fail(500, 500, 500)
		c, cancel := context.WithCancel(ctx)
		cancel()
		_, err := e.Embed(c, []string{"x"})
		require.ErrorIs(t, err, context.Canceled)
	})
}

// The configuration picks the embedder.
func TestFromConfig(t *testing.T) {
	require.Equal(t, kb.LocalEmbedder{}.Name(), embedding.FromConfig(config.EmbedConfig{Provider: "local"}).Name())
	e := embedding.FromConfig(config.EmbedConfig{Provider: "openai", BaseURL: "http://127.0.0.1:1/v1", Model: "m", Dim: 3, BatchSize: 1, Timeout: time.Second})
	require.Equal(t, "openai:m", e.Name())
	require.Equal(t, 3, e.Dim())
}
