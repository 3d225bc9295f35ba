//go:build tune

package kb

// FAQ tuning harness (not part of the normal suite):
//   TEST_DATABASE_URL=... go test -tags tune -run TestFAQCache -v ./kb   (searches, cached in /tmp/faqtune)
//   go test -tags tune -run TestFAQTune -v ./kb                           (analysis over the cache)
// Only the tune half of each set's queries is read here.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-cs/baton/internal/dbtest"
)

type tuneSet struct {
	Name    string
	KB      string
	Queries string
}

var tuneSets = []tuneSet{
	{"banking77", "../../shared/datasets/faq/banking77/kb.jsonl", "../../shared/datasets/faq/banking77/queries.jsonl"},
	{"hint3", "../../shared/datasets/faq/hint3-sofmattress/kb.jsonl", "../../shared/datasets/faq/hint3-sofmattress/queries.jsonl"},
	{"cmrc", "../../shared/datasets/faq/cmrc2018-trial/kb.jsonl", "../../shared/datasets/faq/cmrc2018-trial/queries.jsonl"},
	{"demo", "../internal/demo/articles.jsonl", "../evals/data/retrieval_demo.jsonl"},
}

type cacheCand struct {
	ChunkID, ArticleID int64
	Kind, Heading      string
	Ntok               int
	Cos                *float64
	Matched            []string
	Title, Language    string
}

type cacheSet struct {
	Chunks []cacheCand
	Terms  []queryTerm
	AvgLen float64
	N      int64
}

func toCache(cs candidateSet) cacheSet {
	out := cacheSet{Terms: cs.terms, AvgLen: cs.avgLen, N: cs.n}
	for _, c := range cs.chunks {
		out.Chunks = append(out.Chunks, cacheCand{c.chunkID, c.articleID, c.kind, c.heading, c.ntok, c.cos, c.matched, c.title, c.language})
	}
	return out
}

func (c cacheSet) set() candidateSet {
	cs := candidateSet{terms: c.Terms, avgLen: c.AvgLen, n: c.N}
	for _, x := range c.Chunks {
		cs.chunks = append(cs.chunks, &candidate{x.ChunkID, x.ArticleID, x.Kind, x.Heading, x.Ntok, x.Cos, x.Matched, x.Title, x.Language})
	}
	return cs
}

type tuneQuery struct {
	Query, Article, Language, Split string
	Set                             cacheSet
}

// looQuery is a question of the knowledge base asked with its own chunk held out (Pos: the
// article should still answer it) or with its whole article held out (the right outcome is none).
type looQuery struct {
	Text     string
	Article  string // the article it belongs to
	Language string
	Pos      bool
	Set      cacheSet
}

type tuneArticle struct {
	ID        int64
	Title     string
	Language  string
	Questions []string
	Chunks    []string // body chunks' search text
}

type cacheTexts struct {
	ID       int64
	Language string
	Texts    []string
}

type tuneCache struct {
	// ChunkTokens holds every chunk's tokens by article (for knowledge bases made of a few articles).
	ChunkTokens map[int64][][]string
	Texts       []cacheTexts
	Articles    []tuneArticle
	Queries     []tuneQuery
	LOO         []looQuery
}

func splitOf(q string) string {
	h := fnv.New32a()
	h.Write([]byte(q))
	if h.Sum32()%2 == 0 {
		return "tune"
	}
	return "test"
}

func readJSONL[T any](t *testing.T, path string) []T {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func cachePath(name string) string { return filepath.Join("/tmp/faqtune", name+".gob") }

func TestFAQCache(t *testing.T) {
	ctx := context.Background()
	os.MkdirAll("/tmp/faqtune", 0o755)
	only := os.Getenv("SET")
	for _, ts := range tuneSets {
		if only != "" && only != ts.Name {
			continue
		}
		s := NewStore(dbtest.New(t), LocalEmbedder{})
		b, err := os.ReadFile(ts.KB)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportJSONL(ctx, bytes.NewReader(b), "tune", nil); err != nil {
			t.Fatal(err)
		}
		var c tuneCache
		texts, err := s.publishedTexts(ctx, []string{"en", "zh"})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range texts {
			c.Texts = append(c.Texts, cacheTexts{a.id, a.language, a.texts})
		}
		c.ChunkTokens = map[int64][][]string{}
		trows, err := s.pool.Query(ctx, `SELECT article_id, tokens FROM kb_chunks ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for trows.Next() {
			var aid int64
			var toks []string
			if err := trows.Scan(&aid, &toks); err != nil {
				t.Fatal(err)
			}
			c.ChunkTokens[aid] = append(c.ChunkTokens[aid], toks)
		}
		trows.Close()
		rows, err := s.pool.Query(ctx, `SELECT a.id, a.title, a.language, a.questions FROM kb_articles a WHERE status = 'published' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a tuneArticle
			if err := rows.Scan(&a.ID, &a.Title, &a.Language, &a.Questions); err != nil {
				t.Fatal(err)
			}
			c.Articles = append(c.Articles, a)
		}
		rows.Close()
		for i := range c.Articles {
			a := &c.Articles[i]
			r, err := s.pool.Query(ctx, `SELECT id, kind, text, heading FROM kb_chunks WHERE article_id = $1 ORDER BY ord`, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			type ch struct {
				id         int64
				kind, text string
			}
			var chs []ch
			for r.Next() {
				var x ch
				var heading string
				if err := r.Scan(&x.id, &x.kind, &x.text, &heading); err != nil {
					t.Fatal(err)
				}
				if x.kind == ChunkBody {
					a.Chunks = append(a.Chunks, Chunk{Kind: ChunkBody, Heading: heading, Text: x.text}.SearchText(a.Title))
				}
				chs = append(chs, x)
			}
			r.Close()
			_ = chs
		}
		for _, q := range readJSONL[struct{ Query, Article, Language, Split string }](t, ts.Queries) {
			if q.Split == "" {
				q.Split = splitOf(q.Query)
			}
			if q.Split != "tune" {
				continue
			}
			if q.Language == "" {
				q.Language = "en"
				for _, r := range q.Query {
					if r >= 0x4E00 && r <= 0x9FFF {
						q.Language = "zh"
						break
					}
				}
			}
			cs, err := s.candidates(ctx, q.Query, SearchOptions{Language: q.Language, K: 10})
			if err != nil {
				t.Fatal(err)
			}
			c.Queries = append(c.Queries, tuneQuery{q.Query, q.Article, q.Language, q.Split, toCache(cs)})
		}
		if ts.Name == "demo" {
			for _, q := range readJSONL[struct{ Query, Article, Language, Split string }](t, "../evals/data/retrieval_offtopic.jsonl") {
				if splitOf(q.Query) != "tune" {
					continue
				}
				cs, err := s.candidates(ctx, q.Query, SearchOptions{Language: q.Language, K: 10})
				if err != nil {
					t.Fatal(err)
				}
				c.Queries = append(c.Queries, tuneQuery{q.Query, "", q.Language, "tune", toCache(cs)})
			}
		}
		f, err := os.Create(cachePath(ts.Name))
		if err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(f).Encode(c); err != nil {
			t.Fatal(err)
		}
		f.Close()
		t.Logf("%s: %d articles, %d tune queries, %d LOO searches", ts.Name, len(c.Articles), len(c.Queries), len(c.LOO))
	}
}

func loadCache(t *testing.T, name string) tuneCache {
	f, err := os.Open(cachePath(name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c tuneCache
	if err := gob.NewDecoder(f).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDebugQueries prints the evidence behind each query's results: KB=file.jsonl Q="q1|q2".
func TestDebugQueries(t *testing.T) {
	ctx := context.Background()

	s := NewStore(dbtest.New(t), LocalEmbedder{})
	b, err := os.ReadFile(os.Getenv("KB"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportJSONL(ctx, bytes.NewReader(b), "debug", nil); err != nil {
		t.Fatal(err)
	}
	info, err := s.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for l, lm := range info.Languages {
		t.Logf("model %s: %+v", l, lm)
	}
	for _, q := range strings.Split(os.Getenv("Q"), "|") {
		lang := "en"
		for _, r := range q {
			if r >= 0x4E00 && r <= 0x9FFF {
				lang = "zh"
			}
		}
		res, err := s.Search(ctx, q, SearchOptions{Language: lang, K: 3})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q", q)
		for _, r := range res {
			line := fmt.Sprintf("   %.3f %-30s rank %.3f fused %.3f cos %.3f lex %.3f cls %.3f cov %.3f |", r.Score, r.Title, r.RankScore, r.FusedScore, r.VectorScore, r.LexicalScore, r.ClassifierScore, r.Coverage)
			for _, sg := range r.Evidence.Signals {
				line += fmt.Sprintf(" %s=%.2f(%+.2f)", sg.Name, sg.Value, sg.Contribution)
			}
			t.Log(line)
		}
	}
}
