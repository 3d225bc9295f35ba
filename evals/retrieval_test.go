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
