package kb

import (
	"math"
	"sort"
)

// scoring holds the ranking's parameters. Chunk tokens are deduplicated (short passages rarely
// repeat a term), so the lexical score is the idf-weighted share of the query's terms a chunk
// holds, times BM25's length factor (K1, B; B = 0, no length normalisation, measured best: the
// chunks are short and alike in length).
type scoring struct {
	// VectorWeight fuses: fused = VectorWeight·cosine + (1-VectorWeight)·lexical, both 0..1.
	VectorWeight float64
	// UnigramWeight discounts single Chinese characters against bigrams: they match much more by chance.
	UnigramWeight float64
	K1, B         float64
	// ArticleWeight mixes in the share of the query's terms found anywhere in the article's matching chunks.
	ArticleWeight float64
	// Slope and Center calibrate the fused evidence into a confidence (a logistic, Platt scaling):
	// Score = 1 / (1 + e^(-Slope·(fused - Center))); Center is where the top result is as likely
	// right as wrong.
	Slope, Center float64
}

// defaultScoring was chosen on the tune half of evals/data/retrieval_demo.jsonl with the local
// embedder; the calibration is the logistic fit of "the top result is the expected article" (off-topic
// questions never are) on the top fused score there (slope 7.45, centre 0.235), rounded.
var defaultScoring = scoring{VectorWeight: 0.4, UnigramWeight: 0.5, K1: 1.2, B: 0, ArticleWeight: 0.25, Slope: 7.5, Center: 0.235}

// confidence maps fused evidence (0..1) to the calibrated Score.
func (sc scoring) confidence(fused float64) float64 {
	if sc.Slope == 0 {
		return fused
	}
	return 1 / (1 + math.Exp(-sc.Slope*(fused-sc.Center)))
}

// fuse scores every candidate chunk, keeps each article's best, and returns the top K. An
// article's lexical evidence also counts the query terms its other matching chunks hold (a title
// naming the topic, a paragraph naming the detail).
func (cs candidateSet) fuse(sc scoring, opt SearchOptions) []Result {
	weight := make(map[string]float64, len(cs.terms))
	var totalW float64
	for _, t := range cs.terms {
		weight[t.Term] = t.W
		totalW += t.W
	}
	coverage := func(terms []string) float64 {
		if totalW == 0 {
			return 0
		}
		var w float64
		for _, t := range terms {
			w += weight[t]
		}
		return w / totalW
	}
	articleTerms := map[int64]map[string]bool{}
	for _, c := range cs.chunks {
		m := articleTerms[c.articleID]
		if m == nil {
			m = map[string]bool{}
			articleTerms[c.articleID] = m
		}
		for _, t := range c.matched {
			m[t] = true
		}
	}
	articleLex := map[int64]float64{}
	for id, m := range articleTerms {
		terms := make([]string, 0, len(m))
		for t := range m {
			terms = append(terms, t)
		}
		articleLex[id] = coverage(terms)
	}
	best := map[int64]*Result{}
	for _, c := range cs.chunks {
		lex := math.Min(1, coverage(c.matched)*sc.lengthNorm(c.ntok, cs.avgLen))
		lex = (1-sc.ArticleWeight)*lex + sc.ArticleWeight*articleLex[c.articleID]
		// A chunk the current embedder has not re-embedded yet is judged on its lexical match alone.
		cos := lex
		if c.cos != nil && !math.IsNaN(*c.cos) {
			cos = math.Max(0, math.Min(1, *c.cos))
		}
		score := sc.VectorWeight*cos + (1-sc.VectorWeight)*lex
		if cur, ok := best[c.articleID]; ok && (cur.Score > score || cur.Score == score && cur.ChunkID < c.chunkID) {
			continue
		}
		best[c.articleID] = &Result{ArticleID: c.articleID, Title: c.title, Score: score, Language: c.language,
			MatchKind: c.kind, ChunkID: c.chunkID, Heading: c.heading, VectorScore: round4(cos), LexicalScore: round4(lex)}
	}
	out := make([]Result, 0, len(best))
	for _, r := range best {
		r.FusedScore = round4(r.Score)
		r.Score = round4(sc.confidence(r.Score))
		if r.Score >= opt.MinScore {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ArticleID < out[j].ArticleID
	})
	if len(out) > opt.K {
		out = out[:opt.K]
	}
	return out
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }
