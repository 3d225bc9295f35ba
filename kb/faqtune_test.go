//go:build tune

package kb

// FAQ tuning harness (not part of the normal suite):
//   go test -tags tune -run TestFAQCache -v ./kb   (searches the tune halves, cached in /tmp/faqtune;
//                                                   TEST_DATABASE_URL=postgres://… makes it faster)
//   go test -tags tune -run TestFitDecision -v ./kb (and the others of faqtune2_test.go, over the cache)
// Only the tune half of each set's questions is read here: the file's split when it has one, else
// the hash halves of evals.DefaultSplit.

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
	{"banking77", "../evals/data/faq/banking77/kb.jsonl", "../evals/data/faq/banking77/queries.jsonl"},
	{"hint3", "../evals/data/faq/hint3-sofmattress/kb.jsonl", "../evals/data/faq/hint3-sofmattress/queries.jsonl"},
	{"cmrc", "../evals/data/faq/cmrc2018-trial/kb.jsonl", "../evals/data/faq/cmrc2018-trial/queries.jsonl"},
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

type cacheTexts struct {
	ID       int64
	Language string
	Texts    []string
}

type tuneCache struct {
	// ChunkTokens holds every chunk's tokens by article (for knowledge bases made of a few articles).
	ChunkTokens map[int64][][]string
	Texts       []cacheTexts
	Queries     []tuneQuery
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
				if q.Split == "" {
					q.Split = splitOf(q.Query)
				}
				if q.Split != "tune" {
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
		t.Logf("%s: %d articles, %d tune queries", ts.Name, len(c.Texts), len(c.Queries))
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
