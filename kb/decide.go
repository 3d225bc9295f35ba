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
	"agreement",       // 1 when the vector+lexical evidence and the classifier pick the same article
	"unknown",         // the share of the question's term weight the knowledge base has never seen
	"vector",          // the vector (cosine) score, calibrated
	"lexical",         // the lexical score
	"fused_lead",      // how far the fused score leads the best other article's
	"terms",           // log(1 + the number of the question's terms the article's matching chunks hold)
	"information",     // log(1 + the question's total term weight): how much the question says
	"key_term",        // 1 when the article holds the question's most informative term
	"none",            // the classifier's probability that the question is about none of the articles
	"classifier_lead", // how far the classifier's probability leads the best other article's
}

// nSignals is the number of signals.
const nSignals = 15

// decisionModel is one logistic model: a weight per signal and an intercept.
type decisionModel struct {
	w    [nSignals]float64
	bias float64
}

// decisionModels were fitted on the tune halves of the tuning sets (Banking77, HINT3, CMRC 2018 and
// the demo set, each weighing the same), one with the article classifier and one for knowledge
// bases without one; `go test -tags tune -run TestFitDecision ./kb` refits and prints them.
var decisionModels = map[bool]decisionModel{
	true:  {w: [nSignals]float64{0.05, 1.71, 0.15, -0.00, 0.72, 1.04, 0.00, 0.52, -0.35, 2.56, 1.20, -0.31, 0.32, 0.00, 1.66}, bias: -2.50},
	false: {w: [nSignals]float64{-0.35, 4.65, 0.00, -0.35, 0.98, 0.23, 0.00, 2.99, -2.58, 4.65, 2.06, -0.78, 0.57, 0.00, 0.00}, bias: -2.14},
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
	// Classifier says an article classifier trained on this knowledge base took part.
	Classifier bool `json:"classifier"`
	// Calibrated says vector scores were mapped by this knowledge base's calibration (false: not
	// calibrated yet, the embedder's raw scores were used).
	Calibrated bool `json:"calibrated"`
}

// decisionFeatures are article i's signals among the ranked evidence ev.
func decisionFeatures(ev []evidence, i int, q queryStats, none float64, hasClassifier bool) [nSignals]float64 {
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
		math.Log1p(float64(e.terms)), math.Log1p(q.weight), b2f(e.key), none, e.cls - otherCls}
}

// decide turns signals into a Score and its explanation.
func decide(x [nSignals]float64, hasClassifier, calibrated bool) (float64, *Evidence) {
	m := decisionModels[hasClassifier]
	ev := &Evidence{Bias: m.bias, Classifier: hasClassifier, Calibrated: calibrated, Signals: make([]Signal, 0, len(x))}
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
