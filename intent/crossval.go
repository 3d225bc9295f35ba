package intent

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
)

// folds deals each intent's examples, shuffled, round-robin over k folds, so every fold holds
// about the same share of every intent.
func folds(labels []int32, classes, k int, seed uint64) []int {
	byClass := make([][]int, classes)
	for i, y := range labels {
		byClass[y] = append(byClass[y], i)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	fold := make([]int, len(labels))
	next := 0
	for _, idx := range byClass {
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for _, i := range idx {
			fold[i] = next % k
			next++
		}
	}
	return fold
}

// crossValidate adds to cv the out-of-fold scores of one view for every training text, and
// to oos, for every OOS text, its scores under the model of the fold it is dealt to
// (round-robin). Each fold's vocabulary is built from its own training part, so held-out
// texts meet unseen n-grams as new text will. alphas, the full model's dual variables (or
// nil), warm-start each fold's SVMs: the held-out texts' variables are dropped, so no fold
// model carries its held-out texts.
func crossValidate(ctx context.Context, fc featureConfig, docs [][]uint64, labels []int32, oosDocs [][]uint64, fold []int, alphas [][]float64, opt TrainOptions, cv, oos [][]float64) error {
	k := opt.Folds
	for f := 0; f < k; f++ {
		var trDocs [][]uint64
		var trLabels []int32
		var trIndex []int
		for i, d := range docs {
			if fold[i] != f {
				trDocs = append(trDocs, d)
				trLabels = append(trLabels, labels[i])
				trIndex = append(trIndex, i)
			}
		}
		var init [][]float64
		if alphas != nil {
			init = make([][]float64, len(alphas))
			for c, a := range alphas {
				init[c] = make([]float64, len(trIndex))
				for j, i := range trIndex {
					init[c][j] = a[i]
				}
			}
		}
		v, _, err := fitView(ctx, fc, trDocs, trLabels, len(cv[0]), opt, init, false)
		if err != nil {
			return err
		}
		parallel(len(docs), opt.Workers, func(i int) {
			if fold[i] == f {
				v.addScores(docs[i], cv[i])
			}
		})
		parallel(len(oosDocs), opt.Workers, func(i int) {
			if i%k == f {
				v.addScores(oosDocs[i], oos[i])
			}
		})
	}
	return nil
}

func newScores(n, classes int) [][]float64 {
	flat := make([]float64, n*classes)
	out := make([][]float64, n)
	for i := range out {
		out[i] = flat[i*classes : (i+1)*classes : (i+1)*classes]
	}
	return out
}

func scale(scores [][]float64, f float64) {
	for _, s := range scores {
		for c := range s {
			s[c] *= f
		}
	}
}

// calibrate fits the probabilities and the threshold on cross-validated scores.
func (m *Model) calibrate(cv [][]float64, labels []int32, oos [][]float64, opt TrainOptions) {
	m.cal = fitCalibration(calRows(cv, labels), backgroundFloor(cv, labels, opt.bgQuantile))
	conf := make([]float64, len(cv))
	correct := make([]bool, len(cv))
	probs := make([]float64, len(m.intents))
	nCorrect := 0
	for i, s := range cv {
		probs = m.cal.probs(s, probs)
		top := argmax(probs)
		conf[i], correct[i] = probs[top], int32(top) == labels[i]
		if correct[i] {
			nCorrect++
		}
	}
	oosConf := make([]float64, len(oos))
	for i, s := range oos {
		probs = m.cal.probs(s, probs)
		oosConf[i] = probs[argmax(probs)]
	}
	var t float64
	if len(oos) > 0 {
		t = thresholdFromOOS(conf, correct, oosConf)
	} else {
		t = thresholdFromInScope(conf, correct, opt.Keep, opt.MaxThreshold)
	}
	m.SetThreshold(t)
	kept, refused := 0, 0
	for i, c := range conf {
		if correct[i] && c >= t {
			kept++
		}
	}
	for _, c := range oosConf {
		if c < t {
			refused++
		}
	}
	m.cv = CVReport{
		Folds:       opt.Folds,
		Accuracy:    float64(nCorrect) / float64(len(cv)),
		ECE:         ECE(conf, correct, 15),
		Temperature: m.cal.temp,
		Background:  m.cal.bg,
		KeptCorrect: float64(kept) / math.Max(1, float64(nCorrect)),
		OOSRecall:   math.NaN(),
	}
	if len(oos) > 0 {
		m.cv.OOSRecall = float64(refused) / float64(len(oos))
	}
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// parallel runs fn(0..n-1) over workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
