package kb

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Question similarity groups the same question asked in other words: suggestions from agents'
// answers and the questions the bot could not answer. It compares the texts' lexical features
// (the ones search uses): English word stems plus character trigrams, so "refnd" still meets
// "refund"; Chinese character unigrams and bigrams, so similarity is character-level and needs no
// dictionary. Stop words ("how do I", "请问", "吗") and colloquial synonyms ("退钱" → "退款") are
// folded first, so politeness and filler do not separate two askings of one question.

// SameQuestionThreshold is the similarity from which two questions count as one. Measured by
// TestSimilarityThresholds on testdata/question_pairs.jsonl (46 pairs of one question asked two
// ways, 24 pairs of questions differing in one key word, zh and en) and on every pair of questions
// about different articles in evals/data: at 0.55, 78% of the same-question pairs group, 1 of 24
// near misses does, and none of the 31,819 different-article pairs (0.5 groups 85% but 4 near misses).
const SameQuestionThreshold = 0.55

// CoveredThreshold is the search Score (the probability that the article answers the question)
// from which an article counts as already covering a question, a hint an editor then checks.
// Measured by TestSimilarityThresholds on evals/data (325 customer questions with their article,
// 40 the help centre does not cover): at 0.6 the first result is the expected article for 95% of
// the questions it attaches, none of the 40 uncovered questions is attached, and 65% of the
// covered ones are (at 0.5: 92%, 2 of 40, 71%; at 0.7: 94%, 0, 55%).
const CoveredThreshold = 0.6

// questionVec is a question's feature weights, as the local embedder weighs them but without
// hashing (so unrelated features never collide) and without discounting shop-generic words: "cancel
// my order" and "cancel my membership" are different questions.
type questionVec map[string]float64

func newQuestionVec(q string) questionVec {
	tf := map[string]float64{}
	for _, f := range Features(q) {
		tf[f.Key] += f.Weight
	}
	v := make(questionVec, len(tf))
	for k, w := range tf {
		v[k] = (1 + math.Log(w)) * baseWeight(k)
	}
	return v
}

// jaccard is the weighted Jaccard (Ruzicka) similarity: shared weight over total weight, so every
// word only one side has counts against the pair (cosine forgives a differing word too easily).
func (v questionVec) jaccard(o questionVec) float64 {
	var shared, total float64
	for k, x := range v {
		y := o[k]
		shared += math.Min(x, y)
		total += math.Max(x, y)
	}
	for k, y := range o {
		if _, ok := v[k]; !ok {
			total += y
		}
	}
	if total == 0 {
		return 0
	}
	return shared / total
}

// QuestionSimilarity says how alike two questions are, 0..1: 1 for the same words up to case,
// width, punctuation and filler.
func QuestionSimilarity(a, b string) float64 {
	na, nb := normalizeQuestion(a), normalizeQuestion(b)
	if na == nb {
		if na == "" {
			return 0
		}
		return 1
	}
	return round3(newQuestionVec(a).jaccard(newQuestionVec(b)))
}

// normalizeQuestion keeps a question's letters and digits, lower-cased and narrowed: the key under
// which two askings are the same phrasing.
func normalizeQuestion(q string) string {
	q = strings.ToLower(width.Narrow.String(q))
	var b strings.Builder
	for _, r := range q {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// questionKeys are the features a question is looked up by: its stems and Chinese bigrams (the
// unigrams and trigrams are too common to narrow anything), or its unigrams when it has none.
func questionKeys(q string) []string {
	seen := map[string]bool{}
	var keys, uni []string
	for _, f := range Features(q) {
		if seen[f.Key] {
			continue
		}
		seen[f.Key] = true
		switch f.Key[0] {
		case 'w', 'b':
			keys = append(keys, f.Key)
		case 'u':
			uni = append(uni, f.Key)
		}
	}
	if len(keys) == 0 {
		keys = uni
	}
	if len(keys) == 0 {
		if n := normalizeQuestion(q); n != "" {
			keys = []string{"n:" + n}
		}
	}
	sort.Strings(keys)
	if keys == nil {
		keys = []string{}
	}
	return keys
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
