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
	// ClassifierWeight mixes the article classifier's probability into the ranking:
	// rank = (1-ClassifierWeight)·fused + ClassifierWeight·classifier.
	ClassifierWeight float64
}

// defaultScoring: the retrieval weights were chosen on the tune half of evals/data/retrieval_demo.jsonl
// with the local embedder; ClassifierWeight on the tune halves of the four tuning sets (hit@1 from
// retrieval alone to 0.35: Banking77 0.710 → 0.787, HINT3 0.716 → 0.821, the demo 0.817 → 0.844,
// CMRC 0.993 → 0.993; `go test -tags tune -run TestFAQRank ./kb` after TestFAQCache).
var defaultScoring = scoring{VectorWeight: 0.4, UnigramWeight: 0.5, K1: 1.2, B: 0, ArticleWeight: 0.25, ClassifierWeight: 0.35}

// evidence is one article's evidence for a query, from its best-matching chunk and the classifier.
type evidence struct {
	Result
	fused, cos, lex float64
	// cov is the share of the query's term weight held anywhere in the article's matching chunks.
	cov float64
	// cls is the article classifier's probability (0 when it does not rank the article or there is none).
	cls  float64
	rank float64
	// terms is how many of the query's terms the article's matching chunks hold; key says whether
	// they hold its most informative one.
	terms int
	key   bool
	// specific is the share of the weight of the question's specific words (see evidence) the
	// article's matching chunks hold.
	specific float64
}

// evidence scores every candidate chunk (vector scores mapped by scale), keeps each article's best,
// mixes in the classifier's probabilities (probs, nil without a classifier) and returns the
// articles best first by rank. An article's lexical evidence also counts the query terms its
// other matching chunks hold (a title naming the topic, a paragraph naming the detail).
func (cs candidateSet) evidence(sc scoring, scale cosScale, probs map[int64]float64) []evidence {
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
	keyTerm, keyW := "", 0.0
	for _, t := range cs.terms {
		if t.W > keyW && t.DF > 0 {
			keyTerm, keyW = t.Term, t.W
		}
	}
	// The question's specific words: those not among the language's commonest (all Chinese terms).
	var specificW float64
	for _, t := range cs.terms {
		if commonness(t.Term) >= 1 {
			specificW += t.W
		}
	}
	specific := func(terms map[string]bool) float64 {
		if specificW == 0 {
			return 1
		}
		var w float64
		for t := range terms {
			if commonness(t) >= 1 {
				w += weight[t]
			}
		}
		return w / specificW
	}
	articleLex := map[int64]float64{}
	for id, m := range articleTerms {
		terms := make([]string, 0, len(m))
		for t := range m {
			terms = append(terms, t)
		}
		articleLex[id] = coverage(terms)
	}
	best := map[int64]*evidence{}
	for _, c := range cs.chunks {
		lex := math.Min(1, coverage(c.matched)*sc.lengthNorm(c.ntok, cs.avgLen))
		lex = (1-sc.ArticleWeight)*lex + sc.ArticleWeight*articleLex[c.articleID]
		// A chunk the current embedder has not re-embedded yet is judged on its lexical match
		// alone, as is every chunk when the embedder could not be calibrated.
		cos := lex
		if c.cos != nil && !math.IsNaN(*c.cos) && !scale.drop {
			cos = math.Max(0, math.Min(1, scale.apply(*c.cos)))
		}
		fused := sc.VectorWeight*cos + (1-sc.VectorWeight)*lex
		if cur, ok := best[c.articleID]; ok && (cur.fused > fused || cur.fused == fused && cur.ChunkID < c.chunkID) {
			continue
		}
		best[c.articleID] = &evidence{Result: Result{ArticleID: c.articleID, Title: c.title, Language: c.language,
			MatchKind: c.kind, ChunkID: c.chunkID, Heading: c.heading}, fused: fused, cos: cos, lex: lex, cov: articleLex[c.articleID],
			terms: len(articleTerms[c.articleID]), key: articleTerms[c.articleID][keyTerm], specific: specific(articleTerms[c.articleID])}
	}
	out := make([]evidence, 0, len(best))
	beta := sc.ClassifierWeight
	if probs == nil {
		beta = 0
	}
	for _, e := range best {
		e.cls = probs[e.ArticleID]
		e.rank = (1-beta)*e.fused + beta*e.cls
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].rank != out[j].rank {
			return out[i].rank > out[j].rank
		}
		return out[i].ArticleID < out[j].ArticleID
	})
	return out
}

// results decides every article's Score (see decide) and returns the top K scoring at least
// opt.MinScore, in rank order.
func (cs candidateSet) results(sc scoring, scale cosScale, probs map[int64]float64, articles int, opt SearchOptions) []Result {
	ev := cs.evidence(sc, scale, probs)
	ctx := searchContext{query: cs.queryStats(), none: probs[noneID], hasClassifier: probs != nil, articles: articles}
	out := make([]Result, 0, min(len(ev), opt.K))
	for i := range ev {
		if len(out) == opt.K {
			break
		}
		r := ev[i].Result
		r.VectorScore, r.LexicalScore, r.FusedScore = round4(ev[i].cos), round4(ev[i].lex), round4(ev[i].fused)
		r.ClassifierScore, r.RankScore, r.Coverage = round4(ev[i].cls), round4(ev[i].rank), round4(ev[i].cov)
		x := decisionFeatures(ev, i, ctx)
		r.Score, r.Evidence = decide(x, ctx, scale.use())
		if r.Score >= opt.MinScore {
			out = append(out, r)
		}
	}
	return out
}

// queryStats describe the query itself: its total term weight, and the share of it no chunk
// holds (words the knowledge base has never seen).
type queryStats struct{ weight, unknown float64 }

func (cs candidateSet) queryStats() queryStats {
	var tw, uw float64
	for _, t := range cs.terms {
		tw += t.W
		if t.DF == 0 {
			uw += t.W
		}
	}
	q := queryStats{weight: tw}
	if tw > 0 {
		q.unknown = uw / tw
	}
	return q
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }
