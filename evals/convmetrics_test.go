package evals

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func reply(kind, intent, text string, cites ...string) ObsReply {
	var r ObsReply
	r.Meta.Kind, r.Meta.Intent, r.Meta.Understood, r.Text = kind, intent, intent, text
	for _, c := range cites {
		r.Citations = append(r.Citations, ObsCitation{Title: c})
	}
	return r
}

func bptr(b bool) *bool { return &b }

// turn builds a checked turn the way runCase does.
func turn(user string, e *Expect, lat float64, h *TraceHandoff, slots map[string]string, replies ...ObsReply) TurnResult {
	tr := TurnResult{User: user, Expect: e, Replies: replies, Handoff: h, LatencyMS: lat}
	observe(&tr, Trace{})
	if slots != nil {
		tr.Slots = slots
	}
	if e != nil {
		check(context.Background(), &tr, e, "en", nil)
	}
	tr.WrongAnswer = tr.Answered && wrongAnswer(&tr)
	return tr
}

func finish(c CaseResult) CaseResult {
	c.Passed = true
	for _, t := range c.Turns {
		if t.Handoff != nil {
			c.HandedOff = true
		}
		for _, ch := range t.Checks {
			c.Passed = c.Passed && ch.OK
		}
	}
	return c
}

// Four cases whose metrics are worked out by hand in the comments.
func sampleResults() []CaseResult {
	return []CaseResult{
		// 1: an FAQ answered right: intent right, cites right, answered, not wrong. Contained.
		finish(CaseResult{Suite: "s", Case: "faq", ExpectResolvedByBot: bptr(true), Turns: []TurnResult{
			turn("can I return it", &Expect{Intent: "faq_returns", AnswerContains: []string{"7 days"}, Cites: "Returns"}, 10, nil, nil,
				reply("answer", "faq_returns", "Within 7 days.", "Returns")),
		}}),
		// 2: an FAQ answered wrong: intent wrong (faq_refund), cites wrong, answer_contains fails → a
		// wrong answer. Contained, but an unexpected handoff would have been judged (none made).
		finish(CaseResult{Suite: "s", Case: "faq wrong", ExpectResolvedByBot: bptr(true), Turns: []TurnResult{
			turn("when is my money back", &Expect{Intent: "faq_returns", AnswerContains: []string{"7 days"}, Cites: "Returns"}, 20, nil, nil,
				reply("answer", "faq_refund", "Refunds take 3 days.", "Refunds")),
		}}),
		// 3: a task: asks for the order (intent right), then the slot is filled right; the second
		// turn's slots are checked (1 of 1 right). Then a complaint hands off as expected (TP,
		// reason right).
		finish(CaseResult{Suite: "s", Case: "task then complaint", Turns: []TurnResult{
			turn("where is my parcel", &Expect{Intent: "track_order", AsksFor: "order_id"}, 30, nil, map[string]string{},
				func() ObsReply {
					r := reply("ask", "track_order", "Order number?")
					r.Meta.Asking = "order_id"
					return r
				}()),
			turn("A1234567", &Expect{Slots: map[string]string{"order_id": "a1234567 "}}, 40, nil, map[string]string{"order_id": "A1234567"},
				reply("action", "track_order", "It is on its way.")),
			turn("this is a disgrace", &Expect{Handoff: &HandoffExpect{Want: true, Reason: "complaint"}}, 50,
				&TraceHandoff{Reason: "complaint", Skill: "after_sales"}, nil, reply("handoff", "complaint", "Connecting you.")),
		}}),
		// 4: out of scope, expected "I don't know" and no handoff, but the bot handed off for
		// low confidence (FP, reason low_confidence) and a slot check fails (0 of 1). Intent oos right.
		finish(CaseResult{Suite: "t", Case: "oos", Turns: []TurnResult{
			turn("weather?", &Expect{Intent: "oos", Handoff: &HandoffExpect{Want: false}, Slots: map[string]string{"city": "Paris"}}, 60,
				&TraceHandoff{Reason: "low_confidence", Skill: "general"}, nil, reply("handoff", "", "Let me get a person.")),
		}}),
	}
}

func TestRunMetricsByHand(t *testing.T) {
	r := NewRunReport(sampleResults())
	require.Equal(t, 4, r.Cases)
	require.Equal(t, 2, r.Passed, "faq and task-then-complaint pass")
	require.Equal(t, 2, r.Failed)
	// intent: faq ✓, faq wrong ✗, track_order ✓, oos ✓ → 3/4
	require.InDelta(t, 0.75, *r.IntentAccuracy, 1e-9)
	// slots: task turn 2 ✓, oos ✗ → 1/2
	require.InDelta(t, 0.5, *r.SlotJointAccuracy, 1e-9)
	// judged handoff turns: faq (want no, none), faq wrong (want no, none), complaint (want yes, made),
	// oos (want no, made) → made 2, TP 1, expected 1 → precision 1/2, recall 1/1
	require.Equal(t, 4, r.Counts.HandoffJudged)
	require.InDelta(t, 0.5, *r.HandoffPrecision, 1e-9)
	require.InDelta(t, 1.0, *r.HandoffRecall, 1e-9)
	require.InDelta(t, 1.0, *r.HandoffByReason["complaint"].Precision, 1e-9)
	require.InDelta(t, 1.0, *r.HandoffByReason["complaint"].Recall, 1e-9)
	require.InDelta(t, 0.0, *r.HandoffByReason["low_confidence"].Precision, 1e-9, "made once, never expected")
	require.Nil(t, r.HandoffByReason["low_confidence"].Recall)
	// citations: 1/2
	require.InDelta(t, 0.5, *r.CitationAccuracy, 1e-9)
	// containment: faq and faq wrong end without a handoff → 2/4
	require.InDelta(t, 0.5, r.ContainmentRate, 1e-9)
	// answered turns: faq, faq wrong, the action → 3; wrong: faq wrong → 1/3
	require.Equal(t, 3, r.Counts.AnsweredTurns)
	require.InDelta(t, 0.3333, *r.WrongAnswerRate, 1e-9)
	// latencies 10 20 30 40 50 60: p50 = 30 (nearest rank), p95 = 60
	require.Equal(t, 30.0, r.LatencyP50MS)
	require.Equal(t, 60.0, r.LatencyP95MS)
	require.Equal(t, []string{"faq_refund", "faq_returns", "oos", "track_order"}, r.ConfusionLabels)
	require.Equal(t, 1, r.ConfusionMatrix[1][0], "faq_returns understood as faq_refund once")
	require.Equal(t, 1, r.ConfusionMatrix[1][1])
	require.Equal(t, SuiteScore{Cases: 3, Passed: 2}, r.BySuite["s"])
	require.Nil(t, r.JudgePassRate)
}

func TestChecksSayWhatWentWrong(t *testing.T) {
	r := sampleResults()[1]
	var failed []string
	for _, c := range r.Turns[0].Checks {
		if !c.OK {
			failed = append(failed, c.What+": want "+c.Want+", got "+c.Got)
		}
	}
	require.Equal(t, []string{
		"intent: want faq_returns, got faq_refund",
		"answer_contains: want 7 days, got Refunds take 3 days.",
		"cites: want Returns, got Refunds",
	}, failed)
}

func TestGate(t *testing.T) {
	base := NewRunReport(sampleResults())
	same := NewRunReport(sampleResults())
	cmp := Compare(base, same, GateOptions{})
	require.False(t, cmp.Regressed(), cmp.Regressions)

	// The FAQ case now fails: a passing case regresses, and so do intent accuracy (0.75 → 0.5)
	// and the citation accuracy (0.5 → 0).
	worse := sampleResults()
	worse[0] = finish(CaseResult{Suite: "s", Case: "faq", ExpectResolvedByBot: bptr(true), Turns: []TurnResult{
		turn("can I return it", &Expect{Intent: "faq_returns", AnswerContains: []string{"7 days"}, Cites: "Returns"}, 10, nil, nil,
			reply("answer", "faq_refund", "Refunds take 3 days.", "Refunds")),
	}})
	cmp = Compare(base, NewRunReport(worse), GateOptions{})
	require.True(t, cmp.Regressed())
	joined := strings.Join(cmp.Regressions, "\n")
	require.Contains(t, joined, "case s / faq: passed in the baseline, fails now")
	require.Contains(t, joined, "intent_accuracy 0.7500 → 0.5000")
	require.Contains(t, joined, "citation_accuracy")
	require.Equal(t, []CaseChange{{Case: "s / faq", Was: "passed", Now: "failed"}}, cmp.NewFailures)

	// A tolerance wider than the drops leaves only the failing case.
	cmp = Compare(base, NewRunReport(worse), GateOptions{Tolerance: 0.6})
	require.Equal(t, []string{"case s / faq: passed in the baseline, fails now"}, cmp.Regressions)

	// Better is not a regression: the fixed case is listed.
	cmp = Compare(NewRunReport(worse), base, GateOptions{})
	require.False(t, cmp.Regressed(), cmp.Regressions)
	require.Equal(t, []CaseChange{{Case: "s / faq", Was: "failed", Now: "passed"}}, cmp.Fixed)

	// A run of some of the cases is compared with the baseline's figures on those cases only:
	// the failing "faq wrong" case alone is not a drop from the baseline's pass rate of 0.5.
	part := NewRunReport(sampleResults()[1:2])
	require.False(t, Compare(base, part, GateOptions{}).Regressed(), Compare(base, part, GateOptions{}).Regressions)

	// Latency is gated only when asked.
	slow := NewRunReport(sampleResults())
	slow.LatencyP95MS = base.LatencyP95MS * 3
	require.False(t, Compare(base, slow, GateOptions{}).Regressed())
	require.True(t, Compare(base, slow, GateOptions{LatencyTolerance: 0.5}).Regressed())
}

func TestReportsRender(t *testing.T) {
	r := NewRunReport(sampleResults())
	r.Results[1].Turns[0].Replies[0].Text = `<script>alert("x")</script>`
	var html bytes.Buffer
	require.NoError(t, r.WriteHTML(&html, Compare(r, r, GateOptions{})))
	page := html.String()
	require.NotContains(t, page, `<script>alert`, "transcripts are escaped")
	require.Contains(t, page, "&lt;script&gt;")
	require.Contains(t, page, "faq wrong", "failing cases are shown")
	require.Contains(t, page, "<svg", "charts are inline")
	for _, ext := range []string{`src="`, `href="`, "<link", "@import"} {
		require.NotContains(t, page, ext, "self-contained: no external assets")
	}

	var junit bytes.Buffer
	require.NoError(t, r.WriteJUnit(&junit))
	var parsed junitSuites
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &parsed))
	require.Equal(t, 4, parsed.Tests)
	require.Equal(t, 2, parsed.Failures)
	require.Len(t, parsed.Suites, 2)
	require.Contains(t, parsed.Suites[0].Cases[1].Failure.Message, "intent: want faq_returns, got faq_refund")

	var text bytes.Buffer
	require.NoError(t, r.WriteText(&text, nil))
	require.Contains(t, text.String(), "FAIL s / faq wrong")
	require.Equal(t, 2, strings.Count(text.String(), "FAIL "), "without a baseline every failure is listed")

	// Against a baseline, a case failing there too is counted on one line, not spelt out.
	text.Reset()
	require.NoError(t, r.WriteText(&text, &Comparison{NewFailures: []CaseChange{{Case: "s / faq wrong", Was: "passed", Now: "failed"}}}))
	require.Equal(t, 1, strings.Count(text.String(), "FAIL "), text.String())
	require.Contains(t, text.String(), "FAIL s / faq wrong")
	require.Contains(t, text.String(), "known failures: 1 cases fail as they did in the baseline")
}
