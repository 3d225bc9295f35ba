package evals

import (
	"encoding/json"
	"fmt"
	"os"
)

// The retrieval gate: `baton eval retrieval --baseline FILE --fail-on-regression` compares a run
// with a committed one, as `baton eval run` does for conversation suites.

type retrievalMetric struct {
	name   string
	get    func(RetrievalMetrics) float64
	higher bool
}

var retrievalGated = []retrievalMetric{
	{"hit_at_1", func(m RetrievalMetrics) float64 { return m.HitAt1 }, true},
	{"hit_at_5", func(m RetrievalMetrics) float64 { return m.HitAt5 }, true},
	{"answered_correct_rate", func(m RetrievalMetrics) float64 { return m.AnsweredCorrect }, true},
	{"wrong_answer_rate", func(m RetrievalMetrics) float64 { return m.WrongAnswerRate }, false},
	{"offtopic_no_result_rate", func(m RetrievalMetrics) float64 { return m.OffTopicNoResultRate }, true},
}

// CompareRetrieval checks cur against base over the whole question set: a figure regresses when it
// moves the wrong way by more than tolerance (DefaultTolerance when ≤ 0). A baseline of other
// questions (another count), threshold or embedder is an error, not a comparison.
func CompareRetrieval(base, cur RetrievalReport, tolerance float64) (*Comparison, error) {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if base.Queries != cur.Queries || base.Answerable != cur.Answerable {
		return nil, fmt.Errorf("the baseline has %d questions (%d answerable), this run %d (%d): not the same set",
			base.Queries, base.Answerable, cur.Queries, cur.Answerable)
	}
	// Figures at another threshold, or from another embedder, differ without anything regressing.
	if base.Threshold != cur.Threshold {
		return nil, fmt.Errorf("the baseline was measured at threshold %.2f, this run at %.2f: run with --threshold %.2f or save a new baseline",
			base.Threshold, cur.Threshold, base.Threshold)
	}
	if base.Embedder != cur.Embedder {
		return nil, fmt.Errorf("the baseline was measured with the embedder %q, this run with %q: save a new baseline for it",
			base.Embedder, cur.Embedder)
	}
	cmp := &Comparison{Tolerance: tolerance, NewFailures: []CaseChange{}, Fixed: []CaseChange{}, Regressions: []string{}}
	for _, m := range retrievalGated {
		b, c := m.get(base.RetrievalMetrics), m.get(cur.RetrievalMetrics)
		d := round4(c - b)
		mc := MetricChange{Metric: m.name, Baseline: f(b), Current: f(c), Delta: &d, HigherIsBetter: m.higher}
		drop := d
		if m.higher {
			drop = -d
		}
		if drop > tolerance+1e-9 {
			mc.Regression = true
			cmp.Regressions = append(cmp.Regressions, fmt.Sprintf("%s %.4f → %.4f (%+.4f, tolerance %.4f)", m.name, b, c, d, tolerance))
		}
		cmp.Metrics = append(cmp.Metrics, mc)
	}
	return cmp, nil
}

// ReadRetrievalReport loads a JSON report written by `baton eval retrieval --json`.
func ReadRetrievalReport(path string) (RetrievalReport, error) {
	var r RetrievalReport
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: not a baton eval retrieval report: %w", path, err)
	}
	if r.Queries == 0 {
		return r, fmt.Errorf("%s: not a baton eval retrieval report (no questions)", path)
	}
	return r, nil
}

// Baseline is the report without its per-question misses, small enough to commit.
func (r RetrievalReport) Baseline() RetrievalReport {
	r.Misses = nil
	return r
}
