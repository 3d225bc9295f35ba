package intent

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// linear is a one-vs-rest linear model: score_c(x) = bias_c + Σ x_f·w[f·classes+c]. Weights are
// stored feature-major so one text's features touch contiguous memory.
type linear struct {
	classes int
	w       []float32
	bias    []float32
}

// addScores adds the scores of x to dst, which holds one entry per class. It accumulates in
// float32, four classes at a time: this loop is most of the time Predict takes.
func (m *linear) addScores(x sparse, dst []float64) {
	acc := make([]float32, m.classes)
	copy(acc, m.bias)
	n := len(acc)
	for k, f := range x.idx {
		v := x.val[k]
		row := m.w[int(f)*n : int(f)*n+n]
		c := 0
		for ; c+4 <= n; c += 4 {
			a := acc[c : c+4 : c+4]
			r := row[c : c+4 : c+4]
			a[0] += v * r[0]
			a[1] += v * r[1]
			a[2] += v * r[2]
			a[3] += v * r[3]
		}
		for ; c < n; c++ {
			acc[c] += v * row[c]
		}
	}
	for c, a := range acc {
		dst[c] += float64(a)
	}
}

// svmParams are the solver's settings.
type svmParams struct {
	c       float64 // cost of a margin violation
	eps     float64 // stop when the projected gradient's spread is below this
	maxIter int
	workers int
	seed    uint64
}

// trainOVR fits one L2-regularised squared-hinge SVM per class by dual coordinate descent
// (Hsieh et al. 2008, as in liblinear's solver 2 dual form), classes spread over workers. When
// init is given, class c starts from the dual variables init[c] (one per example; a warm start
// from a model of a superset of the examples, which halves the cross-validation's work); the
// final dual variables are returned when keep is set.
func trainOVR(ctx context.Context, xs []sparse, ys []int32, classes, nFeat int, p svmParams, init [][]float64, keep bool) (*linear, [][]float64, error) {
	m := &linear{classes: classes, w: make([]float32, nFeat*classes), bias: make([]float32, classes)}
	qd := make([]float64, len(xs)) // x·x + 1 (the bias feature)
	for i, x := range xs {
		s := 1.0
		for _, v := range x.val {
			s += float64(v) * float64(v)
		}
		qd[i] = s
	}
	var alphas [][]float64
	if keep {
		alphas = make([][]float64, classes)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	workers := max(1, p.workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float64, nFeat+1)
			alpha := make([]float64, len(xs))
			for c := range jobs {
				clear(w)
				clear(alpha)
				if init != nil {
					copy(alpha, init[c])
				}
				solveBinary(xs, ys, int32(c), qd, p, w, alpha)
				if keep {
					alphas[c] = slices.Clone(alpha)
				}
				for f := 0; f < nFeat; f++ {
					m.w[f*classes+c] = float32(w[f])
				}
				m.bias[c] = float32(w[nFeat])
			}
		}()
	}
	var err error
	for c := 0; c < classes; c++ {
		if err = ctx.Err(); err != nil {
			break
		}
		jobs <- c
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	return m, alphas, nil
}

// solveBinary runs dual coordinate descent for class c against the rest from the dual
// variables alpha (zero for a cold start), which it updates; w (zero on entry) gets the
// weights, its last element the bias.
func solveBinary(xs []sparse, ys []int32, c int32, qd []float64, p svmParams, w, alpha []float64) {
	n := len(xs)
	bias := len(w) - 1
	y := make([]float64, n)
	diag := make([]float64, n)
	for i := range xs {
		y[i], diag[i] = -1, 0.5/p.c
		if ys[i] == c {
			y[i] = 1
		}
	}
	for i, a := range alpha {
		if a != 0 {
			d := a * y[i]
			for k, f := range xs[i].idx {
				w[f] += d * float64(xs[i].val[k])
			}
			w[bias] += d
		}
	}
	index := make([]int, n)
	for i := range index {
		index[i] = i
	}
	rng := rand.New(rand.NewPCG(p.seed, uint64(c)))
	active := n
	pgMaxOld := math.Inf(1)
	for iter := 0; iter < p.maxIter; iter++ {
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for s := 0; s < active; s++ {
			j := s + rng.IntN(active-s)
			index[s], index[j] = index[j], index[s]
		}
		for s := 0; s < active; s++ {
			i := index[s]
			x := xs[i]
			g := w[bias]
			for k, f := range x.idx {
				g += w[f] * float64(x.val[k])
			}
			g = g*y[i] - 1 + alpha[i]*diag[i]
			pg := 0.0
			if alpha[i] == 0 {
				if g > pgMaxOld {
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				if g < 0 {
					pg = g
				}
			} else {
				pg = g
			}
			pgMax, pgMin = max(pgMax, pg), min(pgMin, pg)
			if math.Abs(pg) > 1e-12 {
				old := alpha[i]
				alpha[i] = max(old-g/(qd[i]+diag[i]), 0)
				d := (alpha[i] - old) * y[i]
				for k, f := range x.idx {
					w[f] += d * float64(x.val[k])
				}
				w[bias] += d
			}
		}
		if pgMax-pgMin <= p.eps {
			if active == n {
				break
			}
			active = n
			pgMaxOld = math.Inf(1)
			continue
		}
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
	}
}
