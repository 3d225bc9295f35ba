package embedding

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/baton-cs/baton/internal/config"
)

// OpenAI embeds through an OpenAI-compatible /embeddings endpoint (OpenAI, Azure, Ollama, vLLM,
// llama.cpp server): texts in batches, each request under its own timeout, retried with
// exponential backoff and jitter on 429, 5xx and network errors. Vectors come back unit length.
type OpenAI struct {
	client  *openai.Client
	model   string
	dim     int
	batch   int
	timeout time.Duration
	retries int
	// Backoff is the first retry's wait, doubled on each further retry (tests shorten it).
	Backoff time.Duration
}

// NewOpenAI returns an embedder for cfg (validated).
func NewOpenAI(cfg config.EmbedConfig) *OpenAI {
	cc := openai.DefaultConfig(cfg.APIKey)
	cc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	cc.HTTPClient = &http.Client{} // each request gets a context deadline instead
	return &OpenAI{
		client:  openai.NewClientWithConfig(cc),
		model:   cfg.Model,
		dim:     cfg.Dim,
		batch:   max(cfg.BatchSize, 1),
		timeout: cfg.Timeout,
		retries: cfg.Retries,
		Backoff: 500 * time.Millisecond,
	}
}

// Name implements kb.Embedder: chunks remember the model that embedded them.
func (e *OpenAI) Name() string { return "openai:" + e.model }

// Dim implements kb.Embedder.
func (e *OpenAI) Dim() int { return e.dim }

// Embed implements kb.Embedder.
func (e *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.batch {
		vecs, err := e.embedBatch(ctx, texts[start:min(start+e.batch, len(texts))])
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *OpenAI) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	input := make([]string, len(texts))
	for i, t := range texts {
		if input[i] = strings.TrimSpace(t); input[i] == "" {
			input[i] = " " // the API rejects empty input
		}
	}
	req := openai.EmbeddingRequestStrings{Input: input, Model: openai.EmbeddingModel(e.model)}
	// Only the text-embedding-3 family can shorten its vectors; other models must already have Dim.
	if strings.HasPrefix(e.model, "text-embedding-3") {
		req.Dimensions = e.dim
	}
	for attempt := 0; ; attempt++ {
		reqCtx, cancel := context.WithTimeout(ctx, e.timeout)
		res, err := e.client.CreateEmbeddings(reqCtx, req)
		cancel()
		if err == nil {
			return e.vectors(res, len(texts))
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("embedding: %w", ctx.Err())
		}
		if !retryable(err) || attempt >= e.retries {
			return nil, fmt.Errorf("embedding: %s after %d attempt(s): %w", e.model, attempt+1, err)
		}
		wait := e.Backoff << attempt
		wait += time.Duration(rand.Int64N(int64(wait)/4 + 1)) // jitter, so clients do not retry in step
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("embedding: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
}

// vectors checks the response and returns unit vectors in input order.
func (e *OpenAI) vectors(res openai.EmbeddingResponse, n int) ([][]float32, error) {
	if len(res.Data) != n {
		return nil, fmt.Errorf("embedding: %s returned %d vectors for %d texts", e.model, len(res.Data), n)
	}
	out := make([][]float32, n)
	for _, d := range res.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, fmt.Errorf("embedding: %s returned a bad index %d", e.model, d.Index)
		}
		if len(d.Embedding) != e.dim {
			return nil, fmt.Errorf("embedding: %s returned %d dimensions, BATON_EMBED_DIM says %d", e.model, len(d.Embedding), e.dim)
		}
		out[d.Index] = normalize(d.Embedding)
	}
	return out, nil
}

// retryable reports whether a failed request may succeed later: rate limits, server errors,
// timeouts and connection failures. Other client errors (a bad key, a bad model) will not.
func retryable(err error) bool {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode == http.StatusTooManyRequests || apiErr.HTTPStatusCode >= 500
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode == http.StatusTooManyRequests || reqErr.HTTPStatusCode >= 500
	}
	return true // transport errors: timeouts, refused or reset connections
}

func normalize(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return v
	}
	n := float32(math.Sqrt(s))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / n
	}
	return out
}
