package kb_test

import (
	"context"
	"hash/fnv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/internal/embedding/fakeopenai"
	"github.com/baton-cs/baton/kb"
)

// conceptDim is the fake model's dimension: a constant axis, one per concept it knows, and the
// rest shared by hashing among the other words.
const conceptDim = 48

// concepts is what the fake embedding model understands: words of the same meaning share an axis,
// so paraphrases without a word in common are close; words it does not know (codes) add nothing.
var concepts = map[string]int{
	"refund": 1, "refunded": 1, "cash": 1, "compensated": 1, "reimbursed": 1, "退款": 1, "退钱": 1,
	"delivery": 2, "parcel": 2, "parcels": 2, "arrive": 2, "shipping": 2, "快递": 2,
	"password": 3, "login": 3, "locked": 3, "sign": 3,
	"checkout": 4, "pay": 4, "payment": 4, "card": 4,
	"warranty": 5, "repair": 5, "broken": 5,
}

func conceptVec(text string) []float32 {
	v := make([]float32, conceptDim)
	v[0] = 0.2
	lower := strings.ToLower(text)
	for w, axis := range concepts {
		if strings.Contains(lower, w) {
			v[axis] += 2
		}
	}
	// Other words land on hashed axes; codes with digits mean nothing to the model.
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if _, known := concepts[w]; known || strings.ContainsAny(w, "0123456789") {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(w))
		v[8+int(h.Sum32()%(conceptDim-8))] += 0.5
	}
	return v
}

// conceptEmbedder is the OpenAI-compatible embedder talking to a fake server that embeds by concepts.
func conceptEmbedder(t *testing.T) (*embedding.OpenAI, *fakeopenai.Server) {
	srv := fakeopenai.New(t, conceptVec)
	e := embedding.NewOpenAI(config.EmbedConfig{Provider: "openai", BaseURL: srv.URL, Model: "concepts",
		Dim: conceptDim, BatchSize: 16, Timeout: 5 * time.Second, Retries: 1})
	return e, srv
}

func addArticles(t *testing.T, s *kb.Store, arts ...kb.ArticleInput) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, in := range arts {
		if in.Status == "" {
			in.Status = kb.StatusPublished
		}
		require.NoError(t, in.Normalize())
		a, err := s.ArticleCreate(context.Background(), in, "test", nil)
		require.NoError(t, err)
		ids[a.Title] = a.ID
	}
	return ids
}

var hybridArticles = []kb.ArticleInput{
	{Title: "Refund policy", Language: "en", Body: "## How it works\nWe refund the purchase price to your original payment method within five days."},
	{Title: "Delivery times", Language: "en", Body: "Parcels usually arrive in two to four days. Shipping is free over 99 yuan."},
	{Title: "Checkout problems", Language: "en", Body: "## Error codes\nIf checkout shows error XR7731, empty the basket and try again."},
	{Title: "Account security", Language: "en", Body: "Change your password under Settings. We never ask for it by phone."},
	{Title: "退款说明", Language: "zh", Body: "退款会在五天内退回原支付账户。"},
}

func hybridStore(t *testing.T) (*kb.Store, map[string]int64, *pgxpool.Pool) {
	pool := dbtest.New(t)
	e, _ := conceptEmbedder(t)
	s := kb.NewStore(pool, e)
	require.NoError(t, s.EnsureIndex(context.Background()))
	return s, addArticles(t, s, hybridArticles...), pool
}

// An exact rare term the embedding model does not know (an error code) is found lexically.
func TestHybridLexicalRescuesRareTerm(t *testing.T) {
	s, ids, _ := hybridStore(t)
	res, err := s.Search(context.Background(), "what does XR7731 mean", kb.SearchOptions{Language: "en", K: 3})
	require.NoError(t, err)
	require.NotEmpty(t, res)
	for _, r := range res {
		t.Logf("%s %.3f vec %.3f lex %.3f", r.Title, r.Score, r.VectorScore, r.LexicalScore)
	}
	top := res[0]
	require.Equal(t, ids["Checkout problems"], top.ArticleID)
	require.Greater(t, top.LexicalScore, 0.3)
	require.Equal(t, "body", top.MatchKind)
	require.Equal(t, "Error codes", top.Heading)
	require.NotZero(t, top.ChunkID)
	require.Contains(t, top.Snippet, "XR7731")
	require.Contains(t, top.Body, "empty the basket")
	// The vector alone ranks it no higher than the others: the code means nothing to the model.
	for _, r := range res[1:] {
		require.InDelta(t, r.VectorScore, top.VectorScore, 0.05)
	}
}

// A paraphrase sharing no word with the article is found through the embedding.
func TestHybridVectorRescuesParaphrase(t *testing.T) {
	s, ids, _ := hybridStore(t)
	res, err := s.Search(context.Background(), "will I be compensated in cash", kb.SearchOptions{Language: "en", K: 3})
	require.NoError(t, err)
	require.NotEmpty(t, res)
	require.Equal(t, ids["Refund policy"], res[0].ArticleID)
	require.Zero(t, res[0].LexicalScore, "no word in common")
	for _, r := range res[1:] {
		require.Greater(t, res[0].VectorScore, r.VectorScore+0.2, "the embedding sets it apart from %s", r.Title)
	}
}

// Language and status filter; the threshold option drops weak results; scores are 0..1, best first.
func TestHybridFiltersAndThreshold(t *testing.T) {
	s, ids, _ := hybridStore(t)
	ctx := context.Background()
	for _, lang := range []string{"en", "zh"} {
		res, err := s.Search(ctx, "refund 退款", kb.SearchOptions{Language: lang, K: 10})
		require.NoError(t, err)
		require.NotEmpty(t, res)
		for i, r := range res {
			require.Equal(t, lang, r.Language)
			require.True(t, r.Score > 0 && r.Score < 1, r.Score)
			if i > 0 {
				require.LessOrEqual(t, r.Score, res[i-1].Score)
			}
		}
	}
	all, err := s.Search(ctx, "refund", kb.SearchOptions{K: 10})
	require.NoError(t, err)
	require.Greater(t, len(all), 2)
	strong, err := s.Search(ctx, "refund", kb.SearchOptions{K: 10, MinScore: all[1].Score + 1e-6})
	require.NoError(t, err)
	require.Len(t, strong, 1)
	require.Equal(t, all[0].ArticleID, strong[0].ArticleID)

	_, err = s.ArticleSetStatus(ctx, ids["Refund policy"], kb.StatusArchived, kb.Change{})
	require.NoError(t, err)
	res, err := s.Search(ctx, "refund", kb.SearchOptions{Language: "en", K: 10})
	require.NoError(t, err)
	for _, r := range res {
		require.NotEqual(t, ids["Refund policy"], r.ArticleID, "archived articles are not found")
	}
}
