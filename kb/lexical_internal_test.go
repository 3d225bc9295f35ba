package kb

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Lexical tokens: English stems without stop words or contractions, Chinese bigrams and unigrams,
// English words in Chinese text also as their Chinese glossary word.
func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Where's my parcel? I don't know", []string{"packag"}},
		{"Refunds take 3 days", []string{"3", "day", "refund", "take"}},
		{"退款多久到账", []string{"久", "到", "多", "多久", "账", "到账", "退", "款", "退款", "久到", "款多"}},
		{"我的 order 怎么还没到", []string{"order", "没", "到", "没到", "订", "单", "订单"}},
	} {
		require.ElementsMatch(t, tc.want, Tokens(tc.text), tc.text)
	}
}

func TestTypoModel(t *testing.T) {
	for _, tc := range []struct {
		typed, term string
		dist        int
		likely      bool
	}{
		{"retrun", "return", 1, true}, // swapped neighbours
		{"refnd", "refund", 1, true},  // dropped letter
		{"pasword", "password", 1, true},
		{"black", "back", 1, false}, // an extra letter in a short word is another word
		{"coast", "cost", 1, false},
		{"warrenti", "warranti", 1, true}, // long words: any one edit
		{"shipping", "shopping", 1, true},
		{"refund", "return", 3, false},
	} {
		require.Equal(t, tc.dist, min(editDistance(tc.typed, tc.term, 3), 3), tc.typed)
		require.Equal(t, tc.likely, likelyTypo(tc.typed, tc.term), tc.typed)
	}
}

// Lexical candidates come from the rarest terms, within a postings budget (at least one term).
func TestCandidateTerms(t *testing.T) {
	terms := []queryTerm{{"common", 900, 0.1}, {"rare", 3, 5}, {"unknown", 0, 7}, {"mid", 200, 2}}
	sel, ws := candidateTerms(terms, 250)
	require.Equal(t, []string{"rare", "mid"}, sel)
	require.Equal(t, []float64{5, 2}, ws)
	sel, _ = candidateTerms(terms, 1)
	require.Equal(t, []string{"rare"}, sel)
}

// The calibration maps fused evidence to a confidence: increasing, a coin flip at the centre.
func TestConfidence(t *testing.T) {
	sc := defaultScoring
	require.InDelta(t, 0.5, sc.confidence(sc.Center), 1e-9)
	prev := 0.0
	for x := 0.0; x <= 1; x += 0.05 {
		c := sc.confidence(x)
		require.Greater(t, c, prev)
		require.Less(t, c, 1.0)
		prev = c
	}
}
