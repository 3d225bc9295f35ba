package intent

// TEMPORARY stand-in for the classifier being built on branch intent-classifier; deleted at merge.

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
)

type Example struct{ Text, Intent string }
type TrainOptions struct{ OOS []string }
type Scored struct {
	Intent string  `json:"intent"`
	Prob   float64 `json:"prob"`
}
type Prediction struct {
	Intent     string
	Confidence float64
	Ranked     []Scored
	OOS        bool
}
type Model struct {
	labels    []string
	cents     []map[string]float64
	threshold float64
}

func stubFeats(t string) map[string]float64 {
	t = strings.ToLower(Normalize(t))
	r := []rune(t)
	m := map[string]float64{}
	for n := 1; n <= 3; n++ {
		for i := 0; i+n <= len(r); i++ {
			m[string(r[i:i+n])]++
		}
	}
	var s float64
	for _, v := range m {
		s += v * v
	}
	s = math.Sqrt(s)
	for k := range m {
		m[k] /= s
	}
	return m
}

func Train(ctx context.Context, ex []Example, opt TrainOptions) (*Model, error) {
	idx := map[string]int{}
	m := &Model{threshold: 0.3}
	for _, e := range ex {
		i, ok := idx[e.Intent]
		if !ok {
			i = len(m.labels)
			idx[e.Intent] = i
			m.labels = append(m.labels, e.Intent)
			m.cents = append(m.cents, map[string]float64{})
		}
		for k, v := range stubFeats(e.Text) {
			m.cents[i][k] += v
		}
	}
	if len(m.labels) < 2 {
		return nil, errors.New("intent: need at least 2 intents")
	}
	for _, c := range m.cents {
		var s float64
		for _, v := range c {
			s += v * v
		}
		s = math.Sqrt(s)
		for k := range c {
			c[k] /= s
		}
	}
	return m, nil
}

func (m *Model) Predict(text string) Prediction {
	f := stubFeats(text)
	sc := make([]Scored, len(m.labels))
	var z float64
	for i, c := range m.cents {
		var d float64
		for k, v := range f {
			d += v * c[k]
		}
		sc[i] = Scored{m.labels[i], math.Exp(d * 12)}
		z += sc[i].Prob
	}
	for i := range sc {
		sc[i].Prob /= z
	}
	sort.Slice(sc, func(a, b int) bool { return sc[a].Prob > sc[b].Prob })
	if len(sc) > 5 {
		sc = sc[:5]
	}
	p := Prediction{Intent: sc[0].Intent, Confidence: sc[0].Prob, Ranked: sc}
	if p.Confidence < m.threshold {
		p.Intent, p.OOS = "", true
	}
	return p
}
func (m *Model) Threshold() float64     { return m.threshold }
func (m *Model) SetThreshold(t float64) { m.threshold = t }
func (m *Model) Intents() []string      { return m.labels }
