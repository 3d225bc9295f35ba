package intent

import (
	"math"
	"slices"
)

// addScores adds this view's scores for hashed text to dst and returns how many of the text's
// features the vocabulary knows.
func (v *view) addScores(hs []uint64, dst []float64) int {
	x := v.voc.vector(hs, &v.fc)
	v.lin.addScores(x, dst)
	return len(x.idx)
}

// Predict classifies one text.
func (m *Model) Predict(text string) Prediction {
	scores := make([]float64, len(m.intents))
	var toks []token
	known := 0
	for i := range m.views {
		fc := &m.views[i].fc
		// views that tokenize alike share one analysis
		if i == 0 || fc.digitClass != m.views[i-1].fc.digitClass || fc.stem != m.views[i-1].fc.stem {
			toks = fc.analyze(text, m.stems)
			m.correct(toks, fc)
		}
		known += m.views[i].addScores(fc.hashTokens(toks), scores)
	}
	for c := range scores {
		scores[c] /= float64(len(m.views))
	}
	probs := m.cal.probs(scores, scores)
	if known == 0 {
		// Not one n-gram of the examples ("xqzv blorp", "龘靐齉"): no evidence for any intent,
		// whatever the SVMs' biases would make of an empty text.
		clear(probs)
	}
	p := Prediction{Ranked: topK(probs, m.intents, maxRanked)}
	p.Confidence = p.Ranked[0].Prob
	p.OOS = p.Confidence < m.Threshold()
	if !p.OOS {
		p.Intent = p.Ranked[0].Intent
	}
	return p
}

// correct replaces misspelt words the training texts never used with the word they were
// probably meant as (see speller).
func (m *Model) correct(toks []token, fc *featureConfig) {
	for i, t := range toks {
		if t.han {
			continue
		}
		if c := m.spell.correct(t.text, t.stem); c != "" {
			toks[i].text, toks[i].stem = c, c
			if st, ok := m.stems[c]; ok && fc.stem {
				toks[i].stem = st
			}
		}
	}
}

// topK returns the k most probable intents, best first (ties by name order).
func topK(probs []float64, intents []string, k int) []Scored {
	k = min(k, len(probs))
	out := make([]Scored, 0, k)
	taken := make([]bool, len(probs))
	for len(out) < k {
		best := -1
		for i, p := range probs {
			if !taken[i] && (best < 0 || p > probs[best]) {
				best = i
			}
		}
		taken[best] = true
		out = append(out, Scored{Intent: intents[best], Prob: probs[best]})
	}
	return out
}

// Threshold is the calibrated probability below which Predict refuses (out of scope).
func (m *Model) Threshold() float64 { return math.Float64frombits(m.threshold.Load()) }

// SetThreshold replaces the tuned out-of-scope threshold; 0 never refuses.
func (m *Model) SetThreshold(t float64) { m.threshold.Store(math.Float64bits(t)) }

// Intents lists the intents the model knows, sorted.
func (m *Model) Intents() []string { return slices.Clone(m.intents) }

// CV reports the cross-validation behind calibration and the threshold.
func (m *Model) CV() CVReport { return m.cv }

// Columns is the number of weight rows (features) over all views; the weights take
// Columns × len(Intents) × 4 bytes.
func (m *Model) Columns() int {
	n := 0
	for _, v := range m.views {
		n += len(v.voc.idf)
	}
	return n
}
