package evals

import (
	"cmp"
	"slices"

	"github.com/baton-cs/baton/intent"
)

// OOSLabel names the out-of-scope class in reports.
const OOSLabel = "oos"

// Outcome is one classified test row: the gold intent and the prediction, "" meaning out of
// scope for either; Top is the highest-ranked intent whatever the threshold, with its
// calibrated probability.
type Outcome struct {
	Gold, Predicted string
	Top             string
	Confidence      float64
}

// IntentScore is one in-scope intent's precision, recall and F1.
type IntentScore struct {
	Intent    string  `json:"intent"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Confusion is a gold → predicted pair that went wrong, "oos" standing for out of scope.
type Confusion struct {
	Gold      string `json:"gold"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// Metrics summarise outcomes.
type Metrics struct {
	// Accuracy is over in-scope rows; a refusal counts as wrong.
	Accuracy float64 `json:"accuracy"`
	// AccuracyNoRefusal is the top-ranked intent's accuracy over in-scope rows, ignoring the threshold.
	AccuracyNoRefusal float64 `json:"accuracy_no_refusal"`
	// MacroF1 averages F1 over the in-scope intents of the test rows.
	MacroF1 float64 `json:"macro_f1"`
	// OOSPrecision and OOSRecall treat "out of scope" as the positive class; nil without
	// out-of-scope test rows.
	OOSPrecision *float64 `json:"oos_precision"`
	OOSRecall    *float64 `json:"oos_recall"`
	// ECE is the expected calibration error (15 bins) of the top intent's probability over
	// in-scope rows, ignoring the threshold.
	ECE       float64       `json:"ece"`
	PerIntent []IntentScore `json:"per_intent"`
	// Confused lists the most frequent wrong pairs, most first.
	Confused []Confusion `json:"confused_pairs"`
}

// maxConfused is how many confused pairs a report lists.
const maxConfused = 10

// Score computes the metrics of outcomes.
func Score(outcomes []Outcome) Metrics {
	var m Metrics
	type counts struct{ tp, fp, fn int }
	per := map[string]*counts{}
	get := func(k string) *counts {
		if per[k] == nil {
			per[k] = &counts{}
		}
		return per[k]
	}
	pairs := map[[2]string]int{}
	inScope, correct, topCorrect := 0, 0, 0
	oosGold, oosPred, oosTP := 0, 0, 0
	var conf []float64
	var confOK []bool
	for _, o := range outcomes {
		if o.Gold == "" {
			oosGold++
		} else {
			inScope++
			get(o.Gold) // every gold intent is scored, even with no hit
			if o.Top == o.Gold {
				topCorrect++
			}
			conf = append(conf, o.Confidence)
			confOK = append(confOK, o.Top == o.Gold)
		}
		if o.Predicted == "" {
			oosPred++
		}
		if o.Gold == o.Predicted {
			if o.Gold == "" {
				oosTP++
			} else {
				correct++
				get(o.Gold).tp++
			}
			continue
		}
		if o.Gold != "" {
			get(o.Gold).fn++
		}
		if o.Predicted != "" {
			get(o.Predicted).fp++
		}
		pairs[[2]string{label(o.Gold), label(o.Predicted)}]++
	}
	if inScope > 0 {
		m.Accuracy = float64(correct) / float64(inScope)
		m.AccuracyNoRefusal = float64(topCorrect) / float64(inScope)
	}
	gold := map[string]bool{}
	for _, o := range outcomes {
		if o.Gold != "" {
			gold[o.Gold] = true
		}
	}
	sumF1 := 0.0
	for intent, c := range per {
		if !gold[intent] {
			continue // predicted but never gold: counted as false positives only
		}
		s := IntentScore{Intent: intent, Support: c.tp + c.fn}
		s.Precision = ratio(c.tp, c.tp+c.fp)
		s.Recall = ratio(c.tp, c.tp+c.fn)
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		sumF1 += s.F1
		m.PerIntent = append(m.PerIntent, s)
	}
	slices.SortFunc(m.PerIntent, func(a, b IntentScore) int { return cmp.Compare(a.Intent, b.Intent) })
	if len(m.PerIntent) > 0 {
		m.MacroF1 = sumF1 / float64(len(m.PerIntent))
	}
	if oosGold > 0 {
		p, r := ratio(oosTP, oosPred), ratio(oosTP, oosGold)
		m.OOSPrecision, m.OOSRecall = &p, &r
	}
	m.ECE = intent.ECE(conf, confOK, 15)
	for k, n := range pairs {
		m.Confused = append(m.Confused, Confusion{Gold: k[0], Predicted: k[1], Count: n})
	}
	slices.SortFunc(m.Confused, func(a, b Confusion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Gold, b.Gold), cmp.Compare(a.Predicted, b.Predicted))
	})
	m.Confused = m.Confused[:min(maxConfused, len(m.Confused))]
	return m
}

func label(intent string) string {
	if intent == "" {
		return OOSLabel
	}
	return intent
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
