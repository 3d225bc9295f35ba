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
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

type setModel struct {
	name     string
	c        tuneCache
	probs    []map[int64]float64 // per query
	scale    map[string]cosScale
	hasCls   map[string]bool
	raw      map[string]cosScale // uncalibrated medians
	articles map[string]int
}

func loadSetModel(t *testing.T, name string) setModel {
	c := loadCache(t, name)
	sm := setModel{name: name, c: c, scale: map[string]cosScale{}, raw: map[string]cosScale{}, hasCls: map[string]bool{}, articles: map[string]int{}}
	byLang := map[string][]articleTexts{}
	for _, a := range c.Texts {
		byLang[a.Language] = append(byLang[a.Language], articleTexts{a.ID, a.Language, a.Texts})
	}
	models := map[string]*langModel{}
	for lang, as := range byLang {
		sm.articles[lang] = len(as)
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

// titleOf maps article ids to titles (an article's first text is its title).
func titleOf(c tuneCache) map[int64]string {
	m := map[int64]string{}
	for _, a := range c.Texts {
		m[a.ID] = a.Texts[0]
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
	if v := os.Getenv("COMMON"); v != "" {
		fmt.Sscan(v, &commonRank)
	}
	if v := os.Getenv("PRIOR"); v != "" {
		fmt.Sscan(v, &priorChunks)
	}
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
			s.x = decisionFeatures(ev, 0, searchContext{query: cs.queryStats(), none: probs[noneID], hasClassifier: probs != nil, articles: sm.articles[q.Language]})
			s.ok = !s.oos && ev[0].Title == q.Article
		}
		out = append(out, s)
	}
	return out
}

func fitDecision(ss []fitSample, l2 float64, fixed ...int) decisionModel {
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
			if slices.Contains(fixed, k) {
				m.w[k] = 0
				continue
			}
			if os.Getenv("FREE") != "" {
				continue
			}
			switch signalNames[k] {
			case "margin", "classifier", "coverage", "agreement", "fused_lead", "terms", "key_term", "classifier_lead", "specific":
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
	// Knowledge bases drawn from the sets' own articles: small ones (up to smallKB articles) fit
	// the small model, the others join the large model's data.
	type small struct {
		name string
		k    int
		fit  []fitSample // drawn with one seed, fitted on
		eval []fitSample // drawn with another, reported
	}
	var smalls []small
	if os.Getenv("NOSMALL") == "" {
		for _, sm := range sets {
			for lang := range sm.articles {
				if sm.name == "cmrc" {
					continue
				}
				for _, k := range []int{2, 3, 5, 8, 12, 16, 20} {
					if f := sm.subSamples(t, lang, k, 12, 1); len(f) > 0 {
						smalls = append(smalls, small{fmt.Sprintf("%s-%s-k%d", sm.name, lang, k), k, f, sm.subSamples(t, lang, k, 12, 2)})
					}
				}
			}
		}
	}
	l2 := 1e-4
	report := func(m decisionModel, name string, ss []fitSample) {
		ps := make([]float64, len(ss))
		for j, s := range ss {
			ps[j] = m.p(s.x)
		}
		line := fmt.Sprintf("  %-16s", name)
		for _, tau := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
			ok, wr, off := figures(ss, ps, tau)
			line += fmt.Sprintf(" | τ%.1f ok %.2f wr %.3f off %.2f", tau, ok, wr, off)
		}
		t.Log(line)
	}
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
		if useCls {
			for _, sm := range smalls {
				if sm.k > smallKB {
					for _, s := range sm.fit {
						s.w = 100 / float64(len(sm.fit))
						pooled = append(pooled, s)
					}
				}
			}
		}
		// The four sets have four sizes: a weight on the size would only tell the sets apart.
		m := fitDecision(pooled, l2, slices.Index(signalNames, "articles"))
		if !useCls {
			m.w[2] = 0
		}
		t.Logf("large, classifier=%v: {w: [nSignals]float64{%s}, bias: %.2f}", useCls, joinF(m.w[:]), m.bias)
		for i, sm := range sets {
			report(m, sm.name, per[i])
		}
		if useCls {
			for _, sm := range smalls {
				if sm.k > smallKB {
					report(m, sm.name, sm.eval)
				}
			}
		}
	}
	if len(smalls) > 0 {
		var pooled []fitSample
		for _, sm := range smalls {
			if sm.k > smallKB {
				continue
			}
			for _, s := range sm.fit {
				s.w = 100 / float64(len(sm.fit))
				pooled = append(pooled, s)
			}
		}
		m := fitDecision(pooled, l2)
		t.Logf("small: {w: [nSignals]float64{%s}, bias: %.2f}", joinF(m.w[:]), m.bias)
		for _, sm := range smalls {
			if sm.k <= smallKB {
				report(m, sm.name, sm.eval)
			}
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
	m := largeModel
	for i, q := range sm.c.Queries {
		cs := reweigh(q.Set.set())
		ev := cs.evidence(defaultScoring, sm.scale[q.Language], sm.probs[i])
		if len(ev) == 0 {
			continue
		}
		x := decisionFeatures(ev, 0, searchContext{query: cs.queryStats(), none: sm.probs[i][noneID], hasClassifier: true, articles: sm.articles[q.Language]})
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
	var sets [][]fitSample
	for _, name := range tuneNames() {
		sets = append(sets, loadSetModel(t, name).samples(defaultScoring, true))
	}
	utilityCurve(t, largeModel, sets, 0.4)
}

// utilityCurve logs, for thresholds from lo, the correct answers minus COST (default 4) times the
// wrong ones per question, averaged over sets.
func utilityCurve(t *testing.T, m decisionModel, sets [][]fitSample, lo float64) {
	var cost float64 = 4
	fmt.Sscan(envOr("COST", "4"), &cost)
	for tau := lo; tau < 0.96; tau += 0.05 {
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

// subSamples simulates knowledge bases of k articles of sm's language lang, draws times: each
// asks the tune questions of its own articles (to be answered), a quarter as many of the other
// articles' (near misses: to be refused) and an eighth as many off-topic ones, with the document
// frequencies, the candidates and the classifier of those k articles alone.
func (sm setModel) subSamples(t *testing.T, lang string, k, draws int, seed uint64) []fitSample {
	var arts []cacheTexts
	for _, a := range sm.c.Texts {
		if a.Language == lang {
			arts = append(arts, a)
		}
	}
	if len(arts) <= k {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, uint64(k)))
	titles := titleOf(sm.c)
	var out []fitSample
	for d := 0; d < draws; d++ {
		perm := rng.Perm(len(arts))
		in := map[int64]bool{}
		var texts []articleTexts
		for _, i := range perm[:k] {
			in[arts[i].ID] = true
			texts = append(texts, articleTexts{arts[i].ID, lang, arts[i].Texts})
		}
		inTitle := map[string]bool{}
		for id := range in {
			inTitle[titles[id]] = true
		}
		df := map[string]int64{}
		var n, ntok int64
		for id := range in {
			for _, toks := range sm.c.ChunkTokens[id] {
				n++
				ntok += int64(len(toks))
				for _, tk := range toks {
					df[tk]++
				}
			}
		}
		cls, _, err := trainClassifier(context.Background(), texts)
		if err != nil {
			t.Fatal(err)
		}
		lm := &langModel{cls: cls}
		var pos, neg, off []int
		for i, q := range sm.c.Queries {
			switch {
			case q.Language != lang:
			case q.Article == "":
				off = append(off, i)
			case inTitle[q.Article]:
				pos = append(pos, i)
			default:
				neg = append(neg, i)
			}
		}
		rng.Shuffle(len(neg), func(i, j int) { neg[i], neg[j] = neg[j], neg[i] })
		rng.Shuffle(len(off), func(i, j int) { off[i], off[j] = off[j], off[i] })
		// About a quarter of the questions are not covered, as in the tuning sets (19-25 %).
		neg = neg[:min(len(neg), max(1, len(pos)/4))]
		off = off[:min(len(off), max(1, len(pos)/8))]
		for _, i := range append(append(pos, neg...), off...) {
			q := sm.c.Queries[i]
			full := q.Set.set()
			cs := candidateSet{n: n, avgLen: float64(ntok) / math.Max(float64(n), 1)}
			for _, ch := range full.chunks {
				if in[ch.articleID] {
					cs.chunks = append(cs.chunks, ch)
				}
			}
			for _, tm := range full.terms {
				tm.DF = df[tm.Term]
				tm.W = defaultScoring.termWeight(tm.Term, tm.DF, n)
				cs.terms = append(cs.terms, tm)
			}
			probs := lm.classify(q.Query)
			ev := cs.evidence(defaultScoring, cosScale{}, probs)
			s := fitSample{oos: !inTitle[q.Article]}
			if len(ev) > 0 {
				s.x = decisionFeatures(ev, 0, searchContext{query: cs.queryStats(), none: probs[noneID], hasClassifier: probs != nil, articles: k})
				s.ok = !s.oos && ev[0].Title == q.Article
			}
			out = append(out, s)
		}
	}
	return out
}

func TestFAQThresholdSmall(t *testing.T) {
	var sets [][]fitSample
	for _, name := range []string{"banking77", "hint3", "demo"} {
		sm := loadSetModel(t, name)
		for lang := range sm.articles {
			for _, k := range []int{2, 3, 5, 8, 12} {
				if ss := sm.subSamples(t, lang, k, 12, 3); len(ss) > 0 {
					sets = append(sets, ss)
				}
			}
		}
	}
	utilityCurve(t, smallModel, sets, 0.5)
}

// TestFAQOracle fits the decision on each set's own tune half and reports it there (in sample): what
// the features could do at best with a per-set fit.
func TestFAQOracle(t *testing.T) {
	for _, name := range tuneNames() {
		ss := loadSetModel(t, name).samples(defaultScoring, true)
		for i := range ss {
			ss[i].w = 1
		}
		m := fitDecision(ss, 1e-4)
		ps := make([]float64, len(ss))
		for j, s := range ss {
			ps[j] = m.p(s.x)
		}
		best := ""
		for tau := 0.3; tau < 0.99; tau += 0.01 {
			ok, wr, off := figures(ss, ps, tau)
			if wr <= 0.05 {
				best = fmt.Sprintf("at τ %.2f: answered right %.3f, wrong %.3f, off-topic refused %.3f", tau, ok, wr, off)
				break
			}
		}
		var h1, n float64
		for _, s := range ss {
			if !s.oos {
				n++
				if s.ok {
					h1++
				}
			}
		}
		t.Logf("%s: hit@1 %.3f; the first threshold with ≤5%% wrong %s", name, h1/n, best)
	}
}
