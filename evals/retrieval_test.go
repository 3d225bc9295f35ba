package evals

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Ranking figures count answerable questions; an off-topic question is right when unanswered.
func TestRetrievalMetrics(t *testing.T) {
	c := func(article string) RetrievalCase { return RetrievalCase{Query: "q", Article: article, Language: "en"} }
	outs := []RetrievalOutcome{
		{Case: c("A"), Rank: 1, Top: "A", TopScore: 0.9}, // answered right
		{Case: c("B"), Rank: 2, Top: "A", TopScore: 0.8}, // answered wrong
		{Case: c("C"), Rank: 1, Top: "C", TopScore: 0.3}, // right but below the threshold
		{Case: c("D"), Rank: 0, Top: "A", TopScore: 0.2}, // missing
		{Case: c(""), Top: "A", TopScore: 0.4},           // off-topic, refused
		{Case: c(""), Top: "B", TopScore: 0.7},           // off-topic, answered
	}
	m := RetrievalMetricsAt(outs, 0.5)
	require.Equal(t, 6, m.Queries)
	require.Equal(t, 4, m.Answerable)
	require.Equal(t, 2, m.OffTopic)
	require.Equal(t, 0.5, m.HitAt1)
	require.Equal(t, 0.75, m.HitAt5)
	require.Equal(t, 0.625, m.MRR) // (1 + 1/2 + 1 + 0) / 4
	require.Equal(t, 0.5, m.NoResultRate)
	require.Equal(t, 0.5, m.OffTopicNoResultRate)
	require.Equal(t, 0.25, m.AnsweredCorrect)
	require.Equal(t, 3, m.Answered)
	require.Equal(t, 0.5, m.AnsweredRate)
	require.Equal(t, 0.6667, m.WrongAnswerRate) // 2 of the 3 answered: B's and the off-topic one
	require.Equal(t, 0.3333, m.DecisionAccuracy)

	rep := Report(outs, 0.5)
	require.Len(t, rep.Misses, 3)
	require.Len(t, rep.Sweep, 19)
	require.Contains(t, rep.ByLanguage, "en")
}

func TestReadRetrievalCases(t *testing.T) {
	cs, err := ReadRetrievalCases(strings.NewReader(`{"query":"退款多久到账","article":"退款多久到账"}

{"query":"weather?","article":"","language":"en","split":"test"}
`))
	require.NoError(t, err)
	require.Len(t, cs, 2)
	require.Equal(t, "test", cs[1].Split)
	_, err = ReadRetrievalCases(strings.NewReader(`{"query":"x","article":"A","extra":1}`))
	require.ErrorContains(t, err, "line 1")
	_, err = ReadRetrievalCases(strings.NewReader(`{"query":" ","article":"A"}`))
	require.ErrorContains(t, err, "query is empty")
	require.Equal(t, "zh", QueryLanguage("我的 order 怎么还没到"))
	require.Equal(t, "en", QueryLanguage("where is my order"))
}

// The retrieval gate flags a figure that moves the wrong way by more than the tolerance, in the
// direction that is worse for it, and refuses to compare runs that are not comparable.
func TestCompareRetrieval(t *testing.T) {
	base := RetrievalReport{Threshold: 0.7, Embedder: "local", RetrievalMetrics: RetrievalMetrics{
		Queries: 100, Answerable: 80, HitAt1: 0.80, HitAt5: 0.95, AnsweredCorrect: 0.60, WrongAnswerRate: 0.05, OffTopicNoResultRate: 0.90}}
	for _, tc := range []struct {
		name  string
		edit  func(*RetrievalReport)
		flags []string
	}{
		{"same", func(*RetrievalReport) {}, nil},
		{"better everywhere", func(r *RetrievalReport) { r.HitAt1, r.WrongAnswerRate = 0.9, 0.01 }, nil},
		{"hit@1 down within tolerance", func(r *RetrievalReport) { r.HitAt1 = 0.79 }, nil},
		{"hit@1 down past tolerance", func(r *RetrievalReport) { r.HitAt1 = 0.78 }, []string{"hit_at_1"}},
		{"wrong answers up past tolerance", func(r *RetrievalReport) { r.WrongAnswerRate = 0.07 }, []string{"wrong_answer_rate"}},
		{"wrong answers down", func(r *RetrievalReport) { r.WrongAnswerRate = 0.0 }, nil},
		{"off-topic refused down", func(r *RetrievalReport) { r.OffTopicNoResultRate = 0.8 }, []string{"offtopic_no_result_rate"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur := base
			tc.edit(&cur)
			cmp, err := CompareRetrieval(base, cur, 0.015)
			require.NoError(t, err)
			var flagged []string
			for _, m := range cmp.Metrics {
				if m.Regression {
					flagged = append(flagged, m.Metric)
				}
			}
			require.Equal(t, tc.flags, flagged)
			require.Len(t, cmp.Regressions, len(tc.flags))
		})
	}
	for name, edit := range map[string]func(*RetrievalReport){
		"other questions": func(r *RetrievalReport) { r.Queries = 99 },
		"other threshold": func(r *RetrievalReport) { r.Threshold = 0.5 },
		"other embedder":  func(r *RetrievalReport) { r.Embedder = "openai:text-embedding-3-small" },
	} {
		cur := base
		edit(&cur)
		_, err := CompareRetrieval(base, cur, 0.015)
		require.Error(t, err, name)
	}
}
