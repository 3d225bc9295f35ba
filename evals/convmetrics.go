package evals

import (
	"math"
	"sort"
	"time"
)

// RunReport is the outcome of `baton eval run`: the headline metrics (the keys of --json),
// breakdowns, and every case with its turns. A rate is null when no turn measured it.
type RunReport struct {
	Cases             int      `json:"cases"`
	Passed            int      `json:"passed"`
	Failed            int      `json:"failed"`
	PassRate          float64  `json:"pass_rate"`
	IntentAccuracy    *float64 `json:"intent_accuracy"`
	SlotJointAccuracy *float64 `json:"slot_joint_accuracy"`
	HandoffPrecision  *float64 `json:"handoff_precision"`
	HandoffRecall     *float64 `json:"handoff_recall"`
	CitationAccuracy  *float64 `json:"citation_accuracy"`
	ContainmentRate   float64  `json:"containment_rate"`
	WrongAnswerRate   *float64 `json:"wrong_answer_rate"`
	JudgePassRate     *float64 `json:"judge_pass_rate,omitempty"`
	LatencyP50MS      float64  `json:"latency_p50_ms"`
	LatencyP95MS      float64  `json:"latency_p95_ms"`

	Counts           RunCounts              `json:"counts"`
	HandoffByReason  map[string]ReasonScore `json:"handoff_by_reason"`
	IntentScores     []IntentScore          `json:"intent_scores"`
	ConfusionLabels  []string               `json:"confusion_labels"`
	ConfusionMatrix  [][]int                `json:"confusion_matrix"`
	LatencyHistogram []HistBin              `json:"latency_histogram"`
	BySuite          map[string]SuiteScore  `json:"by_suite"`

	Suites          []string     `json:"suites"`
	StartedAt       time.Time    `json:"started_at"`
	DurationSeconds float64      `json:"duration_seconds"`
	Results         []CaseResult `json:"results"`
}

// RunCounts are the denominators behind the rates.
type RunCounts struct {
	Turns          int `json:"turns"`
	IntentTurns    int `json:"intent_turns"`
	SlotTurns      int `json:"slot_turns"`
	HandoffJudged  int `json:"handoff_judged_turns"`
	HandoffsMade   int `json:"handoffs_made"`
	CitationTurns  int `json:"citation_turns"`
	AnsweredTurns  int `json:"answered_turns"`
	WrongAnswers   int `json:"wrong_answers"`
	JudgedAnswers  int `json:"judged_answers"`
	CasesContained int `json:"cases_contained"`
}

// ReasonScore is handoff precision and recall for one reason.
type ReasonScore struct {
	Precision *float64 `json:"precision"`
	Recall    *float64 `json:"recall"`
	Expected  int      `json:"expected"`
	Made      int      `json:"made"`
	Correct   int      `json:"correct"`
}

// SuiteScore is one suite's share of the run.
type SuiteScore struct {
	Cases  int `json:"cases"`
	Passed int `json:"passed"`
}

// HistBin is a latency histogram bin [From, To) in milliseconds.
type HistBin struct {
	From  float64 `json:"from_ms"`
	To    float64 `json:"to_ms"`
	Count int     `json:"count"`
}

func rate(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := round4(float64(a) / float64(b))
	return &r
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// handoffJudgement says whether a turn's handoff is judged and what was expected: when the turn
// says `handoff:`, or, without that, when its case expects to be resolved by the bot (then no
// turn may hand off).
func handoffJudgement(c *CaseResult, t *TurnResult) (judged, want bool, reason string) {
	if t.Expect != nil && t.Expect.Handoff != nil {
		return true, t.Expect.Handoff.Want, t.Expect.Handoff.Reason
	}
	if c.ExpectResolvedByBot != nil && *c.ExpectResolvedByBot {
		return true, false, ""
	}
	return false, false, ""
}

// NewRunReport scores case results.
func NewRunReport(results []CaseResult) *RunReport {
	r := &RunReport{Results: results, HandoffByReason: map[string]ReasonScore{}, BySuite: map[string]SuiteScore{}}
	var lat []float64
	var intents []Outcome
	slotOK, citeOK, judgePass := 0, 0, 0
	tp, predicted, expected := 0, 0, 0
	reasons := map[string]*ReasonScore{}
	reason := func(n string) *ReasonScore {
		if reasons[n] == nil {
			reasons[n] = &ReasonScore{}
		}
		return reasons[n]
	}
	for i := range results {
		c := &results[i]
		r.Cases++
		ss := r.BySuite[c.Suite]
		ss.Cases++
		if c.Passed {
			r.Passed++
			ss.Passed++
		}
		r.BySuite[c.Suite] = ss
		if !c.HandedOff && c.Error == "" {
			r.Counts.CasesContained++
		}
		for j := range c.Turns {
			t := &c.Turns[j]
			r.Counts.Turns++
			lat = append(lat, t.LatencyMS)
			if t.Handoff != nil {
				r.Counts.HandoffsMade++
			}
			if t.Expect != nil && t.Expect.Intent != "" {
				intents = append(intents, Outcome{Gold: label(NormIntent(t.Expect.Intent)), Predicted: label(t.Intent)})
			}
			if t.Expect != nil && len(t.Expect.Slots) > 0 {
				r.Counts.SlotTurns++
				if allOK(t.Checks, func(w string) bool { return len(w) > 6 && w[:6] == "slots." }) {
					slotOK++
				}
			}
			if t.Expect != nil && t.Expect.Cites != "" {
				r.Counts.CitationTurns++
				if allOK(t.Checks, func(w string) bool { return w == "cites" }) {
					citeOK++
				}
			}
			if t.JudgeScore != nil {
				r.Counts.JudgedAnswers++
				if *t.JudgeScore >= JudgePass {
					judgePass++
				}
			}
			if t.Answered {
				r.Counts.AnsweredTurns++
				if t.WrongAnswer {
					r.Counts.WrongAnswers++
				}
			}
			judged, want, wantReason := handoffJudgement(c, t)
			if !judged {
				continue
			}
			r.Counts.HandoffJudged++
			got := t.Handoff != nil
			if got {
				predicted++
				reason(t.Handoff.Reason).Made++
			}
			if want {
				expected++
				if wantReason != "" {
					reason(wantReason).Expected++
				}
			}
			if got && want {
				tp++
				if wantReason != "" && wantReason == t.Handoff.Reason {
					reason(wantReason).Correct++
				}
			}
		}
	}
	r.Failed = r.Cases - r.Passed
	if r.Cases > 0 {
		r.PassRate = round4(float64(r.Passed) / float64(r.Cases))
		r.ContainmentRate = round4(float64(r.Counts.CasesContained) / float64(r.Cases))
	}
	r.Counts.IntentTurns = len(intents)
	if len(intents) > 0 {
		ok := 0
		for _, o := range intents {
			if o.Gold == o.Predicted {
				ok++
			}
		}
		r.IntentAccuracy = rate(ok, len(intents))
		r.IntentScores = perIntent(intents)
		r.ConfusionLabels, r.ConfusionMatrix = confusion(intents)
	}
	r.SlotJointAccuracy = rate(slotOK, r.Counts.SlotTurns)
	r.CitationAccuracy = rate(citeOK, r.Counts.CitationTurns)
	r.HandoffPrecision = rate(tp, predicted)
	r.HandoffRecall = rate(tp, expected)
	r.WrongAnswerRate = rate(r.Counts.WrongAnswers, r.Counts.AnsweredTurns)
	r.JudgePassRate = rate(judgePass, r.Counts.JudgedAnswers)
	for n, rs := range reasons {
		// Precision per reason counts handoffs made for that reason whose expectation named it.
		rs.Precision = rate(rs.Correct, rs.Made)
		rs.Recall = rate(rs.Correct, rs.Expected)
		r.HandoffByReason[n] = *rs
	}
	r.LatencyP50MS = percentile(lat, 50)
	r.LatencyP95MS = percentile(lat, 95)
	r.LatencyHistogram = histogram(lat)
	return r
}

func allOK(checks []Check, match func(string) bool) bool {
	seen := false
	for _, c := range checks {
		if match(c.What) {
			seen = true
			if !c.OK {
				return false
			}
		}
	}
	return seen
}

func perIntent(os []Outcome) []IntentScore {
	type cnt struct{ tp, fp, fn, support int }
	m := map[string]*cnt{}
	get := func(k string) *cnt {
		if m[k] == nil {
			m[k] = &cnt{}
		}
		return m[k]
	}
	for _, o := range os {
		get(o.Gold).support++
		if o.Gold == o.Predicted {
			get(o.Gold).tp++
		} else {
			get(o.Gold).fn++
			get(o.Predicted).fp++
		}
	}
	var out []IntentScore
	for k, c := range m {
		if c.support == 0 {
			continue
		}
		p, rc := ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn)
		f := 0.0
		if p+rc > 0 {
			f = 2 * p * rc / (p + rc)
		}
		out = append(out, IntentScore{Intent: k, Precision: round4(p), Recall: round4(rc), F1: round4(f), Support: c.support})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Intent < out[j].Intent })
	return out
}

func confusion(os []Outcome) ([]string, [][]int) {
	set := map[string]bool{}
	for _, o := range os {
		set[o.Gold], set[o.Predicted] = true, true
	}
	labels := make([]string, 0, len(set))
	for l := range set {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	m := make([][]int, len(labels))
	for i := range m {
		m[i] = make([]int, len(labels))
	}
	for _, o := range os {
		m[idx[o.Gold]][idx[o.Predicted]]++
	}
	return labels, m
}

func histogram(xs []float64) []HistBin {
	if len(xs) == 0 {
		return nil
	}
	edges := []float64{0, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, math.Inf(1)}
	bins := make([]HistBin, len(edges)-1)
	for i := range bins {
		bins[i] = HistBin{From: edges[i], To: edges[i+1]}
	}
	for _, x := range xs {
		for i := range bins {
			if x < bins[i].To {
				bins[i].Count++
				break
			}
		}
	}
	for len(bins) > 1 && bins[len(bins)-1].Count == 0 {
		bins = bins[:len(bins)-1]
	}
	if math.IsInf(bins[len(bins)-1].To, 1) {
		bins[len(bins)-1].To = bins[len(bins)-1].From * 2
	}
	return bins
}
