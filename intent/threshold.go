package intent

import (
	"math"
	"slices"
)

// thresholdFromInScope is the rule used when no out-of-scope examples are given: the highest
// threshold that still accepts keep (e.g. 0.97) of the correct cross-validated in-scope
// predictions. It never exceeds maxThreshold, so a model that is unsure of everything still
// answers when it is right more often than not.
func thresholdFromInScope(conf []float64, correct []bool, keep, maxThreshold float64) float64 {
	var ok []float64
	for i, c := range conf {
		if correct[i] {
			ok = append(ok, c)
		}
	}
	if len(ok) == 0 {
		return 0
	}
	slices.Sort(ok)
	k := int(math.Floor((1 - keep) * float64(len(ok))))
	t := ok[min(k, len(ok)-1)]
	// a hair below the k-th confidence so that prediction is kept
	return min(math.Nextafter(t, 0), maxThreshold)
}

// thresholdFromOOS chooses, among the observed confidences, the threshold that maximises the
// harmonic mean of in-scope accuracy (a refusal counts as wrong) and out-of-scope recall, both
// measured on cross-validated predictions. Rates rather than counts, so a training set with few
// out-of-scope examples is not swamped by the in-scope ones.
func thresholdFromOOS(inConf []float64, inCorrect []bool, oosConf []float64) float64 {
	type pt struct {
		c       float64
		oos, ok bool
	}
	pts := make([]pt, 0, len(inConf)+len(oosConf))
	for i, c := range inConf {
		pts = append(pts, pt{c: c, ok: inCorrect[i]})
	}
	for _, c := range oosConf {
		pts = append(pts, pt{c: c, oos: true})
	}
	slices.SortFunc(pts, func(a, b pt) int {
		switch {
		case a.c < b.c:
			return -1
		case a.c > b.c:
			return 1
		}
		return 0
	})
	nIn, nOOS := float64(len(inConf)), float64(len(oosConf))
	okAccepted := 0.0
	for _, p := range pts {
		if p.ok {
			okAccepted++
		}
	}
	// threshold t = pts[i].c refuses pts[:i]
	best, bestScore := 0.0, -1.0
	refusedOOS := 0.0
	for i := 0; i <= len(pts); i++ {
		if i == len(pts) || i == 0 || pts[i].c != pts[i-1].c {
			acc, rec := okAccepted/nIn, refusedOOS/nOOS
			score := 0.0
			if acc+rec > 0 {
				score = 2 * acc * rec / (acc + rec)
			}
			if score > bestScore {
				bestScore = score
				switch {
				case i == 0:
					best = 0
				case i == len(pts):
					best = math.Nextafter(pts[i-1].c, 2)
				default:
					best = (pts[i-1].c + pts[i].c) / 2
				}
			}
		}
		if i < len(pts) {
			if pts[i].ok {
				okAccepted--
			}
			if pts[i].oos {
				refusedOOS++
			}
		}
	}
	return best
}
