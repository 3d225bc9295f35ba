package kb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func demoStore(t *testing.T) *kb.Store {
	t.Helper()
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	b, err := os.ReadFile("../internal/demo/articles.jsonl")
	require.NoError(t, err)
	res, err := s.ImportJSONL(context.Background(), bytes.NewReader(b), "test", nil)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.GreaterOrEqual(t, res.Imported, 30)
	return s
}

// Customers' own words find the right demo article first, nearly always above the answer threshold
// (the bot refuses rather than guess when the words say too little: "send back a jacket that
// doesn't fit" shares only "return" with the article); questions the help centre does not cover
// stay below it.
func TestSearchFindsParaphrases(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	const threshold = config.DefaultAnswerThreshold // the default BATON_ANSWER_THRESHOLD
	hits := []struct{ q, lang, title string }{
		{"衣服买大了能退吗", "zh", "7天无理由退货政策"},
		{"退款几天能到", "zh", "退款多久到账"},
		{"我的快递到哪了", "zh", "怎么查物流"},
		{"发票怎么开", "zh", "如何申请电子发票"},
		{"忘记密码了怎么办", "zh", "注册账号、找回密码与更换手机号"},
		{"how do i send back a jacket that doesn't fit", "en", "How to Start a Return and Who Pays Return Shipping"},
		{"where is my parcel right now", "en", "Tracking Your Order"},
		{"my payment keeps failing", "en", "What to Do If Your Payment Fails"},
		{"can you ship my order overseas", "en", "International Shipping"},
		{"what are your customer service hours", "en", "Customer Service Hours and How to Reach Us"},
	}
	answered := 0
	for _, h := range hits {
		res, err := s.Search(ctx, h.q, kb.SearchOptions{Language: h.lang, K: 5})
		require.NoError(t, err)
		require.NotEmpty(t, res, h.q)
		t.Logf("%-45s -> %.3f %s", h.q, res[0].Score, res[0].Title)
		require.Equal(t, h.title, res[0].Title, h.q)
		if res[0].Score >= threshold {
			answered++
		}
	}
	require.GreaterOrEqual(t, answered, 8, "paraphrases answered of %d", len(hits))
	// More off-topic questions, near misses included, are measured in evals/data/retrieval_offtopic.jsonl.
	misses := []struct{ q, lang string }{
		{"Do you sell replacement parts for vintage accordions?", "en"},
		{"what's the weather like in Paris", "en"},
		{"能帮我写一首诗吗", "zh"},
		{"明天会下雨吗", "zh"},
	}
	for _, m := range misses {
		res, err := s.Search(ctx, m.q, kb.SearchOptions{Language: m.lang, K: 1})
		require.NoError(t, err)
		if len(res) > 0 {
			t.Logf("%-45s -> %.3f %s", m.q, res[0].Score, res[0].Title)
			require.Less(t, res[0].Score, threshold, m.q)
		}
	}
}

// Drafts and archived articles are never found.
func TestSearchOnlyPublished(t *testing.T) {
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	ctx := context.Background()
	in := kb.ArticleInput{Title: "Gift wrapping", Body: "We gift wrap any order for ¥5.", Language: "en", Status: "draft"}
	require.NoError(t, in.Normalize())
	a, err := s.ArticleCreate(ctx, in, "test", nil)
	require.NoError(t, err)
	res, err := s.Search(ctx, "gift wrapping", kb.SearchOptions{K: 5})
	require.NoError(t, err)
	require.Empty(t, res)
	_, err = s.ArticleSetStatus(ctx, a.ID, kb.StatusPublished, kb.Change{})
	require.NoError(t, err)
	res, err = s.Search(ctx, "gift wrapping", kb.SearchOptions{K: 5})
	require.NoError(t, err)
	require.Len(t, res, 1)
	_, err = s.ArticleSetStatus(ctx, a.ID, kb.StatusArchived, kb.Change{})
	require.NoError(t, err)
	res, err = s.Search(ctx, "gift wrapping", kb.SearchOptions{K: 5})
	require.NoError(t, err)
	require.Empty(t, res)
}

// Re-importing updates in place; bad lines are reported by number while good ones go in.
func TestImportJSONL(t *testing.T) {
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	ctx := context.Background()
	data := `{"title":"A","body":"alpha","language":"en"}
not json
{"title":"","body":"x","language":"en"}
{"title":"B","body":"beta","language":"fr"}
{"title":"C","body":"gamma","language":"en","extra":1}

{"title":"甲","body":"正文","questions":["问题一"]}
`
	res, err := s.ImportJSONL(ctx, bytes.NewBufferString(data), "test", nil)
	require.NoError(t, err)
	require.Equal(t, 2, res.Imported)
	require.Equal(t, []int{2, 3, 4, 5}, lines(res.Errors))
	res, err = s.ImportJSONL(ctx, bytes.NewBufferString(`{"title":"A","body":"alpha v2","language":"en"}`), "test", nil)
	require.NoError(t, err)
	require.Equal(t, 1, res.Updated)
	list, err := s.ArticleList(ctx, kb.ArticleFilter{})
	require.NoError(t, err)
	require.Len(t, list, 2)
	for _, a := range list {
		if a.Title == "A" {
			require.Equal(t, "alpha v2", a.Body)
		} else {
			require.Equal(t, "zh", a.Language, "language detected from the text")
		}
	}
}

func lines(errs []kb.ImportError) []int {
	out := []int{}
	for _, e := range errs {
		out = append(out, e.Line)
	}
	return out
}

// The loop the browser test drives: a question the help centre does not cover gets no answer;
// once an agent's answer is approved as an article (its question attached), a rephrasing finds it.
func TestSearchLearnsFromApprovedAnswer(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	const threshold = config.DefaultAnswerThreshold
	res, err := s.Search(ctx, "买的衣服不合适可以退吗", kb.SearchOptions{Language: "zh", K: 3})
	require.NoError(t, err)
	require.Equal(t, "7天无理由退货政策", res[0].Title)
	require.GreaterOrEqual(t, res[0].Score, threshold)
	res, err = s.Search(ctx, "可以去你们上海仓库自提吗", kb.SearchOptions{Language: "zh", K: 3})
	require.NoError(t, err)
	if len(res) > 0 {
		t.Logf("unknown: %.3f %s", res[0].Score, res[0].Title)
		require.Less(t, res[0].Score, threshold)
	}
	addArticles(t, s, kb.ArticleInput{Title: "上海仓库到仓自提", Language: "zh", Questions: []string{"可以去你们上海仓库自提吗"},
		Body: "可以的，上海仓库支持自提，工作日10:00-17:00，下单时选择“到仓自提”即可。"})
	res, err = s.Search(ctx, "你好，上海的仓库能自提吗？", kb.SearchOptions{Language: "zh", K: 3})
	require.NoError(t, err)
	require.Equal(t, "上海仓库到仓自提", res[0].Title)
	t.Logf("rephrased: %.3f", res[0].Score)
	require.GreaterOrEqual(t, res[0].Score, threshold)
}

// The same articles give the same answers: a knowledge base of up to 2,000 chunks is searched
// exactly (HNSW's randomly built graph would make borderline decisions differ between databases).
func TestSearchIsReproducible(t *testing.T) {
	ctx := context.Background()
	var qs []struct{ Query, Language string }
	for _, f := range []string{"../evals/data/retrieval_demo.jsonl", "../evals/data/retrieval_offtopic.jsonl"} {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			if i%3 != 0 {
				continue // a third of them is enough
			}
			var q struct{ Query, Language string }
			require.NoError(t, json.Unmarshal(line, &q))
			qs = append(qs, q)
		}
	}
	run := func() []string {
		s := demoStore(t)
		var out []string
		for _, q := range qs {
			res, err := s.Search(ctx, q.Query, kb.SearchOptions{Language: q.Language, K: 3})
			require.NoError(t, err)
			for _, r := range res {
				out = append(out, fmt.Sprintf("%s %s %.4f", q.Query, r.Title, r.Score))
			}
		}
		return out
	}
	require.Equal(t, run(), run())
}
