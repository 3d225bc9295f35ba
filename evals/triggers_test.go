package evals

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadTriggerCases(t *testing.T) {
	cs, err := ReadTriggerCases(strings.NewReader(`{"text": "转人工", "label": "human_request"}

{"text": "agent please", "label": "human_request", "language": "en"}
{"text": "where is my order", "label": "none"}
`))
	require.NoError(t, err)
	require.Len(t, cs, 3)
	require.Equal(t, "zh", cs[0].Language, "a Chinese text defaults to zh")
	require.Equal(t, "en", cs[2].Language)

	for _, bad := range []string{
		`{"text": "hi", "label": "angry"}`,
		`{"text": "", "label": "none"}`,
		`{"text": "hi", "label": "none", "language": "fr"}`,
		`{"text": "hi", "label": "none", "lang": "en"}`,
	} {
		_, err := ReadTriggerCases(strings.NewReader(bad))
		require.Error(t, err, bad)
	}
}

// A judge that misses one complaint, gives a request for a person the complaint reason and hands
// one ordinary question off: the figures must say exactly that.
func TestRunTriggersFigures(t *testing.T) {
	cases := []TriggerCase{
		{"I want to complain", LabelComplaint, "en"},
		{"I will sue", LabelComplaint, "en"},
		{"agent please", LabelHumanRequest, "en"},
		{"转人工", LabelHumanRequest, "zh"},
		{"fed up!!", LabelNegative, "en"},
		{"where is my order", LabelNone, "en"},
		{"你们有实体店吗", LabelNone, "zh"},
	}
	given := map[string]string{
		"I want to complain": "complaint", "agent please": "complaint", "转人工": "human_request",
		"fed up!!": "negative_sentiment", "你们有实体店吗": "complaint",
	}
	judge := func(_ context.Context, text, _ string) (string, error) { return given[text], nil }
	calls := 0
	res, err := RunTriggers(context.Background(), "f.jsonl", cases, []TriggerSetup{{Name: "fake", Judge: judge}}, func() { calls++ })
	require.NoError(t, err)
	require.Equal(t, len(cases), calls, "progress after each message")
	require.Len(t, res, 1)
	r := res[0]
	require.Equal(t, 4, r.Positives)
	require.Equal(t, 2, r.Negatives)
	require.InDelta(t, 0.75, *r.Recall, 1e-9, "3 of 4 handed off")
	require.InDelta(t, 0.5, *r.RecallExact, 1e-9, "2 of 4 for the labelled reason")
	require.InDelta(t, 0.5, *r.FalseHandoffRate, 1e-9, "1 of 2 ordinary questions handed off")
	require.InDelta(t, 0.8, *r.Precision, 1e-9, "4 of 5 handoffs were due")
	require.InDelta(t, 1.0/3, *r.ByLabel[LabelComplaint].Precision, 1e-4, "complaint given 3 times, right once")
	require.InDelta(t, 1.0, *r.ByLanguage["zh"].Recall, 1e-9)
	require.InDelta(t, 1.0, *r.ByLanguage["zh"].FalseHandoffRate, 1e-9)
	require.Equal(t, 1, r.Confusion[LabelHumanRequest][LabelComplaint])
	kinds := map[string]int{}
	for _, m := range r.Misses {
		kinds[m.Kind]++
	}
	require.Equal(t, map[string]int{"missed": 1, "false_handoff": 1, "wrong_reason": 1}, kinds)
}
