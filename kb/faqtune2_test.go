//go:build tune

package kb

// Fitting the decision (not part of the normal suite), over the cache TestFAQCache writes:
//   go test -tags tune -run TestFAQRank -v ./kb       hit@1 by classifier weight, each set
//   go test -tags tune -run TestFitDecision -v ./kb   the reference scale, the decision weights,
//                                                     and each set's figures by threshold
// Everything here reads the tune halves only.

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
)

type setModel struct {
	name   string
	c      tuneCache
	probs  []map[int64]float64 // per query
	scale  map[string]cosScale
	hasCls map[string]bool
	raw    map[string]cosScale // uncalibrated medians
}

func loadSetModel(t *testing.T, name string) setModel {
	c := loadCache(t, name)
	sm := setModel{name: name, c: c, scale: map[string]cosScale{}, raw: map[string]cosScale{}, hasCls: map[string]bool{}}
	byLang := map[string][]articleTexts{}
	for _, a := range c.Texts {
		byLang[a.Language] = append(byLang[a.Language], articleTexts{a.ID, a.Language, a.Texts})
	}
	models := map[string]*langModel{}
	for lang, as := range byLang {
		cls, _, err := trainClassifier(context.Background(), as)
		if err != nil {
			t.Fatal(err)
		}
		models[lang] = &langModel{cls: cls}
		sm.hasCls[lang] = cls != nil
		sm.scale[lang] = cosScale{} // the local embedder is the reference
	}
	for _, q := range c.Queries {
		sm.probs = append(sm.probs, models[q.Language].classify(q.Query))
	}
	return sm
}

func titleOf(c tuneCache) map[int64]string {
	m := map[int64]string{}
	for _, q := range c.Queries {
		for _, ch := range q.Set.Chunks {
			m[ch.ArticleID] = ch.Title
		}
	}
	for _, l := range c.LOO {
		for _, ch := range l.Set.Chunks {
			m[ch.ArticleID] = ch.Title
		}
	}
	return m
}

type fitSample struct {
	x   [nSignals]float64
	ok  bool // the top article is the expected one
	oos bool
	w   float64
}

// reweigh recomputes the query terms' weights with the commonness discount (COMMON=rank) or as cached.
func reweigh(cs candidateSet) candidateSet {
	v := os.Getenv("COMMON")
	if v == "" {
		return cs
	}
	fmt.Sscan(v, &commonRank)
	terms := make([]queryTerm, len(cs.terms))
	for i, q := range cs.terms {
		q.W = defaultScoring.termWeight(q.Term, q.DF, cs.n)
		terms[i] = q
	}
	cs.terms = terms
	return cs
}

// samples computes every tune query's top-result signals as search would.
func (sm setModel) samples(sc scoring, useCls bool) []fitSample {
	var out []fitSample
	for i, q := range sm.c.Queries {
		cs := reweigh(q.Set.set())
		probs := sm.probs[i]
		if !useCls || !sm.hasCls[q.Language] {
			probs = nil
		}
		ev := cs.evidence(sc, sm.scale[q.Language], probs)
		s := fitSample{oos: q.Article == ""}
		if len(ev) > 0 {
			s.x = decisionFeatures(ev, 0, cs.queryStats(), probs[noneID], probs != nil)
			s.ok = !s.oos && ev[0].Title == q.Article
		}
		out = append(out, s)
	}
	return out
}

func fitDecision(ss []fitSample, l2 float64) decisionModel {
	var m decisionModel
	var tot float64
	for _, s := range ss {
		tot += s.w
	}
	const lr = 0.5
	for it := 0; it < 6000; it++ {
		var g [nSignals]float64
		var gb float64
		for _, s := range ss {
			z := m.bias
			for k := range s.x {
				z += m.w[k] * s.x[k]
			}
			y := 0.0
			if s.ok {
				y = 1
			}
			d := (1/(1+math.Exp(-z)) - y) * s.w
			for k := range s.x {
				g[k] += d * s.x[k]
			}
			gb += d
		}
		for k := range m.w {
			m.w[k] -= lr * (g[k]/tot + l2*m.w[k])
			if os.Getenv("FREE") != "" {
				continue
			}
			switch signalNames[k] {
			case "margin", "classifier", "coverage", "agreement", "fused_lead", "terms", "key_term", "classifier_lead":
				m.w[k] = math.Max(m.w[k], 0)
			case "unknown", "none":
				m.w[k] = math.Min(m.w[k], 0)
			}
		}
		m.bias -= lr * gb / tot
	}
	return m
}

func (m decisionModel) p(x [nSignals]float64) float64 {
	z := m.bias
	for k := range x {
		z += m.w[k] * x[k]
	}
	return 1 / (1 + math.Exp(-z))
}

// figures: answered-correct of answerable, wrong of answered, off-topic refused.
func figures(ss []fitSample, ps []float64, tau float64) (ok, wrong, off float64) {
	var nAns, nOff, okN, wrongN, ans, offR float64
	for i, s := range ss {
		answered := ps[i] >= tau
		if s.oos {
			nOff++
			if !answered {
				offR++
			}
		} else {
			nAns++
			if answered && s.ok {
				okN++
			}
		}
		if answered {
			ans++
			if !s.ok {
				wrongN++
			}
		}
	}
	return okN / math.Max(nAns, 1), wrongN / math.Max(ans, 1), offR / math.Max(nOff, 1)
}

func tuneNames() []string { return strings.Split(envOr("SETS", "banking77,hint3,demo,cmrc"), ",") }

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

func TestFAQRank(t *testing.T) {
	for _, name := range tuneNames() {
		sm := loadSetModel(t, name)
		line := fmt.Sprintf("%-9s", name)
		for _, beta := range []float64{0, 0.2, 0.35, 0.5, 0.65, 1} {
			sc := defaultScoring
			sc.ClassifierWeight = beta
			var h1, h5, n float64
			for i, q := range sm.c.Queries {
				if q.Article == "" {
					continue
				}
				n++
				ev := reweigh(q.Set.set()).evidence(sc, sm.scale[q.Language], sm.probs[i])
				for r, e := range ev {
					if e.Title == q.Article {
						if r == 0 {
							h1++
						}
						if r < 5 {
							h5++
						}
					}
				}
			}
			line += fmt.Sprintf("  β=%.2f hit@1 %.3f hit@5 %.3f", beta, h1/n, h5/n)
		}
		t.Log(line)
	}
}

func TestFitDecision(t *testing.T) {
	var sets []setModel
	for _, name := range tuneNames() {
		sets = append(sets, loadSetModel(t, name))
	}
	l2 := 1e-4
	for _, useCls := range []bool{true, false} {
		var pooled []fitSample
		per := make([][]fitSample, len(sets))
		for i, sm := range sets {
			per[i] = sm.samples(defaultScoring, useCls)
			for _, s := range per[i] {
				s.w = 300 / float64(len(per[i]))
				if !useCls {
					s.x[2] = 0
				}
				pooled = append(pooled, s)
			}
		}
		m := fitDecision(pooled, l2)
		if !useCls {
			m.w[2] = 0
		}
		t.Logf("classifier=%v: {w: [nSignals]float64{%s}, bias: %.2f}", useCls, joinF(m.w[:]), m.bias)
		for i, sm := range sets {
			ps := make([]float64, len(per[i]))
			for j, s := range per[i] {
				ps[j] = m.p(s.x)
			}
			line := fmt.Sprintf("  %-9s", sm.name)
			for _, tau := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
				ok, wr, off := figures(per[i], ps, tau)
				line += fmt.Sprintf(" | τ%.1f ok %.2f wr %.3f off %.2f", tau, ok, wr, off)
			}
			t.Log(line)
		}
	}
}

func joinF(v []float64) string {
	var s []string
	for _, x := range v {
		s = append(s, fmt.Sprintf("%.2f", x))
	}
	return strings.Join(s, ", ")
}

var _ = sort.Float64s

func TestFAQConfidentErrors(t *testing.T) {
	name := envOr("SETS", "hint3")
	sm := loadSetModel(t, name)
	m := decisionModels[true]
	for i, q := range sm.c.Queries {
		cs := reweigh(q.Set.set())
		ev := cs.evidence(defaultScoring, sm.scale[q.Language], sm.probs[i])
		if len(ev) == 0 {
			continue
		}
		x := decisionFeatures(ev, 0, cs.queryStats(), sm.probs[i][noneID], true)
		p := m.p(x)
		if p < 0.7 || ev[0].Title == q.Article {
			continue
		}
		t.Logf("%.2f %q want %q got %q  x=%.2f", p, q.Query, q.Article, ev[0].Title, x)
	}
}

func TestFAQUnknownKey(t *testing.T) {
	for _, name := range tuneNames() {
		sm := loadSetModel(t, name)
		var ok, wrong, oos, n int
		var ex []string
		for i, q := range sm.c.Queries {
			cs := reweigh(q.Set.set())
			maxW, maxDF := 0.0, int64(-1)
			for _, tt := range cs.terms {
				if tt.W > maxW {
					maxW, maxDF = tt.W, tt.DF
				}
			}
			if maxDF != 0 {
				continue
			}
			n++
			ev := cs.evidence(defaultScoring, sm.scale[q.Language], sm.probs[i])
			switch {
			case q.Article == "":
				oos++
			case len(ev) > 0 && ev[0].Title == q.Article:
				ok++
				if len(ex) < 6 {
					ex = append(ex, q.Query)
				}
			default:
				wrong++
			}
		}
		t.Logf("%s: %d of %d queries have an unknown key term: right %d wrong %d off-topic %d; right e.g. %q", name, n, len(sm.c.Queries), ok, wrong, oos, ex)
	}
}

// TestFAQThreshold weighs each threshold by correct answers minus COST wrong ones, each set
// weighing the same, on the tune halves.
func TestFAQThreshold(t *testing.T) {
	var cost float64 = 4
	fmt.Sscan(envOr("COST", "4"), &cost)
	m := decisionModels[true]
	var sets [][]fitSample
	for _, name := range tuneNames() {
		sets = append(sets, loadSetModel(t, name).samples(defaultScoring, true))
	}
	for tau := 0.4; tau < 0.96; tau += 0.05 {
		var u float64
		for _, ss := range sets {
			var ok, wrong float64
			for _, s := range ss {
				if m.p(s.x) >= tau {
					if s.ok {
						ok++
					} else {
						wrong++
					}
				}
			}
			u += (ok - cost*wrong) / float64(len(ss)) / float64(len(sets))
		}
		t.Logf("τ %.2f utility %.3f (correct − %.0f × wrong, per question)", tau, u, cost)
	}
}
