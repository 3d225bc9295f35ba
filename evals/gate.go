package evals

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// GateOptions set how much a metric may drop before the gate calls it a regression.
type GateOptions struct {
	// Tolerance is the absolute drop allowed in a rate (0..1); default 0.02.
	Tolerance float64
	// LatencyTolerance is the relative rise allowed in latency p95 (0.5 = +50%); 0 leaves
	// latency out of the gate (it depends on the machine more than on the bot).
	LatencyTolerance float64
}

// DefaultTolerance is the drop in a rate the gate allows by default.
const DefaultTolerance = 0.02

// MetricChange compares one metric with the baseline.
type MetricChange struct {
	Metric     string   `json:"metric"`
	Baseline   *float64 `json:"baseline"`
	Current    *float64 `json:"current"`
	Delta      *float64 `json:"delta"`
	Regression bool     `json:"regression"`
	// HigherIsBetter says which way is good.
	HigherIsBetter bool `json:"higher_is_better"`
}

// CaseChange is a case whose outcome changed.
type CaseChange struct {
	Case string `json:"case"`
	// Was and Now are "passed", "failed" or "new"/"gone".
	Was string `json:"was"`
	Now string `json:"now"`
}

// Comparison is the current run against a baseline.
type Comparison struct {
	Metrics     []MetricChange `json:"metrics"`
	NewFailures []CaseChange   `json:"new_failures"`
	Fixed       []CaseChange   `json:"fixed"`
	Regressions []string       `json:"regressions"`
	Tolerance   float64        `json:"tolerance"`
}

// Regressed says whether the gate fails.
func (c *Comparison) Regressed() bool { return len(c.Regressions) > 0 }

// ReadRunReport loads a JSON report written by `baton eval run --json`.
func ReadRunReport(path string) (*RunReport, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r RunReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a baton eval run report: %w", path, err)
	}
	if r.Cases == 0 && len(r.Results) == 0 {
		return nil, fmt.Errorf("%s: not a baton eval run report (no cases)", path)
	}
	return &r, nil
}

type gatedMetric struct {
	name   string
	get    func(*RunReport) *float64
	higher bool
}

func f(v float64) *float64 { return &v }

var gatedMetrics = []gatedMetric{
	{"pass_rate", func(r *RunReport) *float64 { return f(r.PassRate) }, true},
	{"intent_accuracy", func(r *RunReport) *float64 { return r.IntentAccuracy }, true},
	{"slot_joint_accuracy", func(r *RunReport) *float64 { return r.SlotJointAccuracy }, true},
	{"handoff_precision", func(r *RunReport) *float64 { return r.HandoffPrecision }, true},
	{"handoff_recall", func(r *RunReport) *float64 { return r.HandoffRecall }, true},
	{"citation_accuracy", func(r *RunReport) *float64 { return r.CitationAccuracy }, true},
	{"containment_rate", func(r *RunReport) *float64 { return f(r.ContainmentRate) }, true},
	{"wrong_answer_rate", func(r *RunReport) *float64 { return r.WrongAnswerRate }, false},
	{"judge_pass_rate", func(r *RunReport) *float64 { return r.JudgePassRate }, true},
}

// Compare checks cur against base. A rate regresses when it moves the wrong way by more than
// the tolerance; latency p95 when it rises by more than LatencyTolerance (if set); and every
// case that passed in the baseline and fails now is a regression of its own. New cases that
// fail are listed but do not fail the gate by themselves (pass_rate still counts them).
func Compare(base, cur *RunReport, opt GateOptions) *Comparison {
	if opt.Tolerance <= 0 {
		opt.Tolerance = DefaultTolerance
	}
	cmp := &Comparison{Tolerance: opt.Tolerance, NewFailures: []CaseChange{}, Fixed: []CaseChange{}, Regressions: []string{}}
	full := base
	base = sameCases(base, cur)
	for _, m := range gatedMetrics {
		b, c := m.get(base), m.get(cur)
		mc := MetricChange{Metric: m.name, Baseline: b, Current: c, HigherIsBetter: m.higher}
		if b != nil && c != nil {
			d := round4(*c - *b)
			mc.Delta = &d
			drop := d
			if m.higher {
				drop = -d
			}
			if drop > opt.Tolerance+1e-9 {
				mc.Regression = true
				cmp.Regressions = append(cmp.Regressions, fmt.Sprintf("%s %.4f → %.4f (%+.4f, tolerance %.4f)", m.name, *b, *c, d, opt.Tolerance))
			}
		}
		cmp.Metrics = append(cmp.Metrics, mc)
	}
	lat := MetricChange{Metric: "latency_p95_ms", Baseline: f(base.LatencyP95MS), Current: f(cur.LatencyP95MS)}
	d := round3(cur.LatencyP95MS - base.LatencyP95MS)
	lat.Delta = &d
	if opt.LatencyTolerance > 0 && base.LatencyP95MS > 0 && cur.LatencyP95MS > base.LatencyP95MS*(1+opt.LatencyTolerance) {
		lat.Regression = true
		cmp.Regressions = append(cmp.Regressions, fmt.Sprintf("latency_p95_ms %.1f → %.1f (more than +%.0f%%)", base.LatencyP95MS, cur.LatencyP95MS, opt.LatencyTolerance*100))
	}
	cmp.Metrics = append(cmp.Metrics, lat)

	was := map[string]bool{}
	for i := range full.Results {
		was[full.Results[i].Key()] = full.Results[i].Passed
	}
	for i := range cur.Results {
		c := &cur.Results[i]
		passed, known := was[c.Key()]
		switch {
		case known && passed && !c.Passed:
			cmp.NewFailures = append(cmp.NewFailures, CaseChange{Case: c.Key(), Was: "passed", Now: "failed"})
		case known && !passed && c.Passed:
			cmp.Fixed = append(cmp.Fixed, CaseChange{Case: c.Key(), Was: "failed", Now: "passed"})
		case !known && !c.Passed:
			cmp.NewFailures = append(cmp.NewFailures, CaseChange{Case: c.Key(), Was: "new", Now: "failed"})
		}
	}
	sort.Slice(cmp.NewFailures, func(i, j int) bool { return cmp.NewFailures[i].Case < cmp.NewFailures[j].Case })
	for _, nf := range cmp.NewFailures {
		if nf.Was == "passed" {
			cmp.Regressions = append(cmp.Regressions, "case "+nf.Case+": passed in the baseline, fails now")
		}
	}
	return cmp
}

// sameCases rescored the baseline on the cases the current run played, so that a run of some
// suites or tags compares like with like; a baseline without case results is used as it is.
func sameCases(base, cur *RunReport) *RunReport {
	if len(base.Results) == 0 {
		return base
	}
	in := map[string]bool{}
	for i := range cur.Results {
		in[cur.Results[i].Key()] = true
	}
	var keep []CaseResult
	for _, r := range base.Results {
		if in[r.Key()] {
			keep = append(keep, r)
		}
	}
	if len(keep) == len(base.Results) {
		return base
	}
	if len(keep) == 0 {
		return &RunReport{}
	}
	return NewRunReport(keep)
}

// Slim is the report without transcripts (reply texts and citations), which a baseline does
// not need: the gate rescoring it uses the checks, expectations and handoffs only.
func (r *RunReport) Slim() *RunReport {
	out := *r
	out.Results = make([]CaseResult, len(r.Results))
	for i, c := range r.Results {
		c.Turns = append([]TurnResult(nil), c.Turns...)
		for j := range c.Turns {
			c.Turns[j].Replies = nil
		}
		out.Results[i] = c
	}
	return &out
}
