package kb

import (
	"context"
	"hash/fnv"
	"math"
)

// Embedder turns texts into vectors of a fixed dimension. Implementations: LocalEmbedder here
// (offline, the default) and the OpenAI-compatible client in internal/embedding.
type Embedder interface {
	// Name identifies the model; chunks remember which embedder made them.
	Name() string
	// Dim is the length of every vector Embed returns.
	Dim() int
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// LocalEmbedder is the offline default: hashed features, deterministic, no model to load. English
// gives stemmed words plus character trigrams (so typos still overlap); Chinese, which has no
// spaces, gives character unigrams and bigrams, which approximate words without a dictionary.
type LocalEmbedder struct{}

// LocalDim is the local embedder's dimension.
const LocalDim = 512

// Name implements Embedder.
func (LocalEmbedder) Name() string { return "local-hash-v1" }

// Dim implements Embedder.
func (LocalEmbedder) Dim() int { return LocalDim }

// Embed implements Embedder.
func (e LocalEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = e.embedOne(t)
	}
	return out, nil
}

func (LocalEmbedder) embedOne(text string) []float32 {
	weights := map[string]float64{}
	for _, f := range Features(text) {
		weights[f.Key] += f.Weight
	}
	v := make([]float64, LocalDim)
	for k, w := range weights {
		h := fnv.New64a()
		h.Write([]byte(k))
		x := h.Sum64()
		idx := int(x % LocalDim)
		sign := 1.0
		if x>>63 == 1 {
			sign = -1
		}
		v[idx] += sign * (1 + math.Log(w)) * baseWeight(k) * genericWeight(k)
	}
	return unit(v)
}

// unit scales v to length 1 (a zero vector stays zero).
func unit(v []float64) []float32 {
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, len(v))
	if norm == 0 {
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// Cosine is the cosine similarity of two unit vectors.
func Cosine(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}
