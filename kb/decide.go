package kb

import "math"

// The answer/refuse decision. A result's Score is the probability that it is the article that
// answers the question: a logistic model over the evidence below, each signal on the reference
// scale (vector scores mapped by the knowledge base's calibration, see calibrate.go). The bot
// answers when the first result's Score reaches BATON_ANSWER_THRESHOLD.

// Signal names, in the order of decisionFeatures.
var signalNames = []string{
	"rank",            // the ranking score: fused retrieval evidence mixed with the classifier
	"margin",          // how far the ranking score leads the best other article's
	"classifier",      // the article classifier's probability
	"fused",           // the fused vector and lexical score
	"coverage",        // the share of the question's term weight the article's matching chunks hold
	"agreement",       // 1 when it leads both the vector+lexical match and the classifier among the articles found
	"unknown",         // the share of the question's term weight the knowledge base has never seen
	"vector",          // the vector (cosine) score, calibrated
	"lexical",         // the lexical score
	"fused_lead",      // how far the fused score leads the best other article's
	"terms",           // log(1 + the number of the question's terms the article's matching chunks hold)
	"information",     // log(1 + the question's total term weight): how much the question says
	"key_term",        // 1 when the article holds the question's most informative term
	"none",            // the classifier's probability that the question is about none of the articles
	"classifier_lead", // how far the classifier's probability leads the best other article's
	"articles",        // log(1 + the number of published articles in the question's language)
	"specific",        // the share of the question's less common words' weight the article holds
}

// nSignals is the number of signals.
const nSignals = 17

// decisionModel is one logistic model: a weight per signal and an intercept.
type decisionModel struct {
	w    [nSignals]float64
	bias float64
}

// The decision models, fitted on the tune halves of the tuning sets (Banking77, HINT3, CMRC 2018 and
// the demo set, each weighing the same): one for knowledge bases with an article classifier, one
// for those without (a single article, or too many to classify), and one for small ones (up to
// smallKB articles in the language). Knowledge bases of 2 to 20 articles drawn from those sets
// (each asked its own articles' questions, a quarter as many of the other articles' and an eighth
// as many off-topic ones) fit the small model, and those above smallKB join the sets themselves in
// fitting the large one. `go test -tags tune -run TestFitDecision ./kb` refits and prints them.
var (
	largeModel     = decisionModel{w: [nSignals]float64{0.03, 1.63, 0.19, -0.05, 0.63, 0.80, 0.00, 0.41, -0.36, 2.17, 0.95, -0.00, 0.28, -0.27, 1.67, 0.00, 0.71}, bias: -3.09}
	retrievalModel = decisionModel{w: [nSignals]float64{-0.20, 4.54, 0.00, -0.20, 0.82, 0.06, 0.00, 2.78, -2.20, 4.54, 1.76, -0.53, 0.52, 0.00, 0.00, 0.00, 0.41}, bias: -2.61}
	smallModel     = decisionModel{w: [nSignals]float64{0.72, 1.16, 1.24, 0.44, 0.35, 0.61, 0.00, 1.85, -0.50, 1.91, 1.48, -0.33, 0.13, -0.50, 0.13, 0.09, 0.00}, bias: -3.19}
)

// smallKB is the most articles a language may have for the small-knowledge-base model.
const smallKB = 12

// decisionModelFor picks the decision model for a search's context, and names it.
func decisionModelFor(sc searchContext) (decisionModel, string) {
	switch {
	case !sc.hasClassifier:
		return retrievalModel, "retrieval"
	case sc.articles <= smallKB:
		return smallModel, "small"
	}
	return largeModel, "classifier"
}

// Signal is one piece of evidence behind a Score: its value, its weight in the decision and their
// product (the log-odds it adds).
type Signal struct {
	Name         string  `json:"name"`
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
}

// Evidence explains a Score: Score = 1/(1+e^-(Bias + Σ contributions)).
type Evidence struct {
	Signals []Signal `json:"signals"`
	Bias    float64  `json:"bias"`
	// Model names the decision model: classifier, small (a knowledge base of at most smallKB
	// articles) or retrieval (no article classifier).
	Model string `json:"model"`
	// Classifier says an article classifier trained on this knowledge base took part.
	Classifier bool `json:"classifier"`
	// Calibrated says another embedder's vector scores were mapped onto the local embedder's
	// scale, the one the decision was fitted on.
	Calibrated bool `json:"calibrated"`
	// VectorScores says how the vector scores entered: "as_given" (the local embedder's, the
	// reference scale), "calibrated" (mapped, as Calibrated says) or "left_out" (an embedder that
	// could not be calibrated: the decision rests on the lexical match and the classifier).
	VectorScores string `json:"vector_scores"`
}

// searchContext is what the signals need besides the evidence: the query's statistics, the
// classifier's probability that it is about none of the articles, whether there is a classifier,
// and how many articles the language has.
type searchContext struct {
	query         queryStats
	none          float64
	hasClassifier bool
	articles      int
}

// decisionFeatures are article i's signals among the ranked evidence ev.
func decisionFeatures(ev []evidence, i int, sc searchContext) [nSignals]float64 {
	q, hasClassifier := sc.query, sc.hasClassifier
	e := ev[i]
	otherRank, otherFused, otherCls := 0.0, 0.0, 0.0
	bestFused, bestCls := true, true
	for j, o := range ev {
		if j == i {
			continue
		}
		otherRank = math.Max(otherRank, o.rank)
		otherFused = math.Max(otherFused, o.fused)
		otherCls = math.Max(otherCls, o.cls)
		if o.fused > e.fused {
			bestFused = false
		}
		if o.cls > e.cls {
			bestCls = false
		}
	}
	agree := 0.0
	if bestFused && (bestCls || !hasClassifier) {
		agree = 1
	}
	return [nSignals]float64{e.rank, e.rank - otherRank, e.cls, e.fused, e.cov, agree, q.unknown, e.cos, e.lex, e.fused - otherFused,
		math.Log1p(float64(e.terms)), math.Log1p(q.weight), b2f(e.key), sc.none, e.cls - otherCls, math.Log1p(float64(sc.articles)), e.specific}
}

// decide turns signals into a Score and its explanation.
func decide(x [nSignals]float64, sc searchContext, vectors string) (float64, *Evidence) {
	m, name := decisionModelFor(sc)
	ev := &Evidence{Bias: m.bias, Model: name, Classifier: sc.hasClassifier, Calibrated: vectors == vectorsCalibrated,
		VectorScores: vectors, Signals: make([]Signal, 0, len(x))}
	z := m.bias
	for k, v := range x {
		c := m.w[k] * v
		z += c
		ev.Signals = append(ev.Signals, Signal{Name: signalNames[k], Value: round4(v), Weight: m.w[k], Contribution: round4(c)})
	}
	return round4(1 / (1 + math.Exp(-z))), ev
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
