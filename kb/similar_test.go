package kb_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var v T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &v), sc.Text())
		out = append(out, v)
	}
	require.NoError(t, sc.Err())
	return out
}

type evalCase struct {
	Query, Article, Language, Split string
}

// Repeats of a question are the same question whatever the case, width, punctuation or filler;
// Chinese compares characters.
func TestQuestionSimilarity(t *testing.T) {
	require.Equal(t, 1.0, kb.QuestionSimilarity("How long does a refund take?", "how long does a refund take"))
	require.Equal(t, 1.0, kb.QuestionSimilarity("退款多久到账？", "退款多久到账"))
	require.Equal(t, 1.0, kb.QuestionSimilarity("ＡＢＣ退款", "abc退款"), "full-width letters are narrowed")
	require.Equal(t, 0.0, kb.QuestionSimilarity("", ""))
	require.Equal(t, 0.0, kb.QuestionSimilarity("退款多久到账", "how long does a refund take"))
	require.GreaterOrEqual(t, kb.QuestionSimilarity("北京有实体店吗", "你们在北京有实体店吗？"), kb.SameQuestionThreshold)
	require.Less(t, kb.QuestionSimilarity("怎么注销账号", "怎么注册账号"), kb.SameQuestionThreshold, "one character apart, another question")
	require.GreaterOrEqual(t, kb.QuestionSimilarity("Do you sell replacement straps for the smart watch?", "do you sell replacment straps for the smartwatch"),
		kb.SameQuestionThreshold, "a typo still meets its word through character trigrams")
}

// The thresholds' measurement (see SameQuestionThreshold and CoveredThreshold): it fails when a
// change to the features or the ranking moves them off what their comments promise.
func TestSimilarityThresholds(t *testing.T) {
	type pair struct {
		A, B string
		Same bool
	}
	pairs := readJSONL[pair](t, "testdata/question_pairs.jsonl")
	var same, grouped, near, nearGrouped int
	for _, p := range pairs {
		sim := kb.QuestionSimilarity(p.A, p.B)
		if p.Same {
			same++
			if sim >= kb.SameQuestionThreshold {
				grouped++
			}
		} else {
			near++
			if sim >= kb.SameQuestionThreshold {
				nearGrouped++
				t.Logf("near miss grouped: %.3f %s | %s", sim, p.A, p.B)
			}
		}
	}
	require.GreaterOrEqual(t, same, 40)
	require.GreaterOrEqual(t, near, 20)
	cases := readJSONL[evalCase](t, "../evals/data/retrieval_demo.jsonl")
	off := readJSONL[evalCase](t, "../evals/data/retrieval_offtopic.jsonl")
	all := append(append([]evalCase{}, cases...), off...)
	var different, wrong int
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			a, b := all[i], all[j]
			if a.Language != b.Language || a.Article == b.Article && a.Article != "" {
				continue
			}
			different++
			if kb.QuestionSimilarity(a.Query, b.Query) >= kb.SameQuestionThreshold {
				wrong++
				t.Logf("different questions grouped: %s | %s", a.Query, b.Query)
			}
		}
	}
	t.Logf("SameQuestionThreshold %.2f: %d/%d same-question pairs grouped, %d/%d near misses, %d/%d different-article pairs",
		kb.SameQuestionThreshold, grouped, same, nearGrouped, near, wrong, different)
	require.GreaterOrEqual(t, float64(grouped)/float64(same), 0.75)
	require.LessOrEqual(t, float64(nearGrouped)/float64(near), 0.1)
	require.LessOrEqual(t, wrong, 2)

	s := demoStore(t)
	ctx := context.Background()
	var attached, right, covered, offAttached int
	for _, c := range all {
		res, err := s.Search(ctx, c.Query, kb.SearchOptions{Language: c.Language, K: 1})
		require.NoError(t, err)
		if c.Article != "" {
			covered++
		}
		if len(res) == 0 || res[0].Score < kb.CoveredThreshold {
			continue
		}
		attached++
		switch {
		case c.Article == "":
			offAttached++
		case res[0].Title == c.Article:
			right++
		}
	}
	t.Logf("CoveredThreshold %.2f: %d attached, %.3f of them to the expected article, %d/%d uncovered questions attached, %.3f of covered ones attached rightly",
		kb.CoveredThreshold, attached, float64(right)/float64(attached), offAttached, len(off), float64(right)/float64(covered))
	require.GreaterOrEqual(t, float64(right)/float64(attached), 0.84)
	require.LessOrEqual(t, offAttached, 2)
	require.GreaterOrEqual(t, float64(right)/float64(covered), 0.6)
}
