//go:build tune

package kb

// Tuning harness (not part of the normal suite): go test -tags tune -run TestTune -v ./kb
// It searches the tune half of the retrieval set once per chunking/embedding variant, caches the
// candidates, and sweeps the fusion parameters over them. SPLIT=test reports the other half.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"testing"

	"github.com/baton-cs/baton/internal/dbtest"
)

type tuneCase struct {
	Query, Article, Language, Split string
}

func readTune(t *testing.T, split string) []tuneCase {
	var out []tuneCase
	for _, f := range []string{"../evals/data/retrieval_demo.jsonl", "../evals/data/retrieval_offtopic.jsonl"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var c tuneCase
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatal(err)
			}
			if split == "all" || c.Split == split {
				out = append(out, c)
			}
		}
	}
	return out
}

type outcome struct {
	rank  int
	score float64
	off   bool
}

func evaluate(outs []outcome) (h1, mrr, bestAcc, bestT, accAt float64) {
	var n float64
	for _, o := range outs {
		if o.off {
			continue
		}
		n++
		if o.rank == 1 {
			h1++
		}
		if o.rank > 0 {
			mrr += 1 / float64(o.rank)
		}
	}
	h1 /= n
	mrr /= n
	for th := 0.05; th < 0.96; th += 0.01 {
		var ok float64
		for _, o := range outs {
			ans := o.score >= th
			if o.off && !ans || !o.off && ans && o.rank == 1 {
				ok++
			}
		}
		acc := ok / float64(len(outs))
		if acc > bestAcc {
			bestAcc, bestT = acc, th
		}
	}
	return
}

func TestTune(t *testing.T) {
	split := os.Getenv("SPLIT")
	if split == "" {
		split = "tune"
	}
	ctx := context.Background()
	s := NewStore(dbtest.New(t), LocalEmbedder{})
	b, err := os.ReadFile("../internal/demo/articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportJSONL(ctx, bytes.NewReader(b), "tune", nil); err != nil {
		t.Fatal(err)
	}
	cases := readTune(t, split)
	sets := make([]candidateSet, len(cases))
	for i, c := range cases {
		if sets[i], err = s.candidates(ctx, c.Query, SearchOptions{Language: c.Language, K: 10}); err != nil {
			t.Fatal(err)
		}
	}
	type row struct {
		name                   string
		h1, mrr, acc, th, zhh1 float64
	}
	var rows []row
	for _, vw := range []float64{0.3, 0.4, 0.5} {
		for _, uw := range []float64{0.35, 0.5} {
			for _, bb := range []float64{0} {
				for _, aw := range []float64{0, 0.25, 0.5, 0.75} {
					sc := scoring{VectorWeight: vw, UnigramWeight: uw, K1: 1.2, B: bb, ArticleWeight: aw}
					outs := make([]outcome, len(cases))
					for i, c := range cases {
						cs := sets[i]
						// re-weigh with this unigram weight
						df := map[string]int64{}
						for _, q := range cs.terms {
							df[q.Term] = q.DF
						}
						toks := make([]string, len(cs.terms))
						for j, q := range cs.terms {
							toks[j] = q.Term
						}
						cs.terms = sc.weighQuery(toks, nil, df, cs.n)
						res := cs.fuse(sc, SearchOptions{K: 10})
						o := outcome{off: c.Article == ""}
						if len(res) > 0 {
							o.score = res[0].Score
						}
						for j, r := range res {
							if r.Title == c.Article {
								o.rank = j + 1
							}
						}
						outs[i] = o
					}
					h1, mrr, acc, th, _ := evaluate(outs)
					rows = append(rows, row{fmt.Sprintf("vw=%.1f uw=%.2f b=%.2f aw=%.2f", vw, uw, bb, aw), h1, mrr, acc, th, 0})
				}
			}
		}
	}
	// Calibration of the default scoring: logistic fit of P(top result right) on the top score.
	var xs, ys []float64
	for i, c := range cases {
		raw := defaultScoring
		raw.Slope = 0
		res := sets[i].fuse(raw, SearchOptions{K: 10})
		if len(res) == 0 {
			continue
		}
		xs = append(xs, res[0].Score)
		y := 0.0
		if res[0].Title == c.Article {
			y = 1
		}
		ys = append(ys, y)
	}
	a, b0 := 1.0, 0.0
	for it := 0; it < 20000; it++ {
		var ga, gb float64
		for i := range xs {
			p := 1 / (1 + math.Exp(-(a*xs[i] + b0)))
			ga += (p - ys[i]) * xs[i]
			gb += p - ys[i]
		}
		a -= 0.5 * ga / float64(len(xs))
		b0 -= 0.5 * gb / float64(len(xs))
	}
	t.Logf("calibration: P = sigmoid(%.3f * raw %+.3f); P=0.5 at raw %.3f", a, b0, -b0/a)
	for _, r := range []float64{0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6} {
		t.Logf("  raw %.2f -> %.3f", r, 1/(1+math.Exp(-(a*r+b0))))
	}
	// Multi-feature logistic: top result's cosine, lexical, and the query's out-of-vocabulary share.
	var feats [][]float64
	for i := range cases {
		raw := defaultScoring
		raw.Slope = 0
		res := sets[i].fuse(raw, SearchOptions{K: 10})
		if len(res) == 0 {
			continue
		}
		var tw, uw float64
		for _, q := range sets[i].terms {
			tw += q.W
			if q.DF == 0 {
				uw += q.W
			}
		}
		oov := 0.0
		if tw > 0 {
			oov = uw / tw
		}
		margin := res[0].Score
		if len(res) > 1 {
			margin -= res[1].Score
		}
		feats = append(feats, []float64{res[0].VectorScore, res[0].LexicalScore, oov, margin, 1, math.Log(1 + tw)})
	}
	for _, use := range [][]int{{0, 1, 4}, {0, 1, 2, 4}, {0, 1, 3, 4}, {0, 1, 5, 4}} {
		w := make([]float64, len(use))
		for it := 0; it < 50000; it++ {
			g := make([]float64, len(use))
			for i, f := range feats {
				z := 0.0
				for k, u := range use {
					z += w[k] * f[u]
				}
				p := 1 / (1 + math.Exp(-z))
				for k, u := range use {
					g[k] += (p - ys[i]) * f[u]
				}
			}
			for k := range w {
				w[k] -= 1.0 * g[k] / float64(len(feats))
			}
		}
		var ok, ll float64
		for i, f := range feats {
			z := 0.0
			for k, u := range use {
				z += w[k] * f[u]
			}
			p := 1 / (1 + math.Exp(-z))
			if (p >= 0.5) == (ys[i] == 1) {
				ok++
			}
			ll += -ys[i]*math.Log(p) - (1-ys[i])*math.Log(1-p)
		}
		t.Logf("features %v weights %.3f acc(top-right prediction) %.3f logloss %.4f", use, w, ok/float64(len(feats)), ll/float64(len(feats)))
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].mrr > rows[j].mrr })
	for _, r := range rows[:25] {
		t.Logf("%-28s hit@1 %.3f MRR %.3f best-acc %.3f @ %.2f", r.name, r.h1, r.mrr, r.acc, r.th)
	}
}
