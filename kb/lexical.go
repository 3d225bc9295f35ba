package kb

import (
	"math"
	"sort"
	"unicode/utf8"
)

// Tokens are the lexical index terms of a text, deduplicated and sorted: English word stems,
// Chinese character bigrams and unigrams (Postgres full-text search has no Chinese parser, and
// bigrams approximate Chinese words without a dictionary), numbers. They share Features with the
// local embedder, stop words and synonym folding included, but not its typo-tolerant trigrams.
func Tokens(text string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, f := range Features(text) {
		if f.Key[0] == 'g' {
			continue
		}
		t := f.Key[2:]
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// queryTerm is one lexical term of a query with its weight (kind weight × idf).
type queryTerm struct {
	Term string
	DF   int64
	W    float64
}

// termKindWeight weighs a token by what it is.
func (sc scoring) termKindWeight(t string) float64 {
	r, n := utf8.DecodeRuneInString(t)
	if n == len(t) && r >= 0x2E80 { // one CJK character
		return sc.UnigramWeight
	}
	return 1
}

// weighQuery gives each query token its weight from the corpus statistics and, for English, from
// how common its word is in the language at large (see commonness: a small knowledge base's own
// statistics cannot tell a common verb from a product name); a misspelt token is replaced by its
// correction at a discount.
func (sc scoring) weighQuery(tokens []string, fixes map[string]string, df map[string]int64, n int64) []queryTerm {
	out := make([]queryTerm, 0, len(tokens))
	seen := map[string]bool{}
	for _, t := range tokens {
		w := 1.0
		if fix, ok := fixes[t]; ok {
			t, w = fix, correctedWeight
		}
		if seen[t] {
			continue
		}
		seen[t] = true
		d := df[t]
		out = append(out, queryTerm{Term: t, DF: d, W: w * sc.termWeight(t, d, n)})
	}
	return out
}

// termWeight is a term's weight: its kind's, its idf, and its commonness.
func (sc scoring) termWeight(t string, df, n int64) float64 {
	return sc.termKindWeight(t) * smoothedIDF(t, df, n) * commonness(t)
}

// smoothedIDF is idf over the knowledge base's chunks plus priorChunks imaginary ones of general
// language, in which the term occurs as often as its word does in English (backgroundShare). A
// five-article knowledge base's own counts say little ("take" and "alipay" are each in one
// chunk); a large one's outweigh the prior.
func smoothedIDF(t string, df, n int64) float64 {
	d := float64(df) + priorChunks*backgroundShare(t)
	return math.Log(1 + (float64(n)+priorChunks-d+0.5)/(d+0.5))
}

// priorChunks is how many chunks of general language the idf imagines beside the knowledge base's.
var priorChunks = 200.0

// backgroundShare is the share of general-language passages that hold t: 3/rank for an English
// word of the frequency list (3% for the hundredth), 1/10,000 for anything else.
func backgroundShare(t string) float64 {
	if r, ok := stemRanks()[t]; ok {
		return math.Min(0.3, 3/float64(r))
	}
	return 1e-4
}

// lengthNorm is BM25's length factor for a chunk of n tokens, 1 at the average length, above 1 for
// shorter chunks (bounded by (1+k1)/(1+k1(1-b))).
func (sc scoring) lengthNorm(n int, avg float64) float64 {
	if avg <= 0 {
		return 1
	}
	return (1 + sc.K1) / (1 + sc.K1*(1-sc.B+sc.B*float64(n)/avg))
}

// candidateTerms picks the rarest query terms whose chunks together stay under budget postings,
// with their weights: scoring every chunk that shares any term with the query would grow with the
// corpus (a common Chinese character is in a third of all chunks), while rare terms are the ones
// lexical search is for. Chunks matching only common terms still come in through the vector search.
func candidateTerms(terms []queryTerm, budget int64) ([]string, []float64) {
	sorted := make([]queryTerm, 0, len(terms))
	for _, t := range terms {
		if t.DF > 0 {
			sorted = append(sorted, t)
		}
	}
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].DF != sorted[j].DF {
			return sorted[i].DF < sorted[j].DF
		}
		return sorted[i].Term < sorted[j].Term
	})
	var out []string
	var ws []float64
	var total int64
	for _, t := range sorted {
		if len(out) > 0 && total+t.DF > budget {
			break
		}
		out = append(out, t.Term)
		ws = append(ws, t.W)
		total += t.DF
	}
	return out, ws
}
