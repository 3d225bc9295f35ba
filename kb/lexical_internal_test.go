package kb

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/textdist"
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
		require.Equal(t, tc.dist, min(textdist.Distance(tc.typed, tc.term, 3), 3), tc.typed)
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

// Calibration maps an embedder's means onto the local embedder's, and no calibration keeps the raw
// scores.
func TestCosScale(t *testing.T) {
	require.Equal(t, 0.42, cosScale{}.apply(0.42))
	sc := cosScale{Pos: 0.9, Neg: 0.78, RefPos: 0.4, RefNeg: 0.02} // a neural embedder: everything looks similar
	require.InDelta(t, 0.4, sc.apply(0.9), 1e-9)
	require.InDelta(t, 0.02, sc.apply(0.78), 1e-9)
	require.Greater(t, sc.apply(0.95), sc.apply(0.9))
}

// The decision rises with the lead over the next article and with the classifier's agreement.
func TestDecideMonotone(t *testing.T) {
	base := [nSignals]float64{0.6, 0.1, 0.5, 0.6, 0.7, 0, 0, 0.5, 0.6, 0.1, 1, 2, 1, 0.1, 0.2, 3, 1}
	sc := searchContext{hasClassifier: true, articles: 60}
	p0, ev := decide(base, sc, vectorsAsGiven)
	require.Len(t, ev.Signals, len(signalNames))
	lead := base
	lead[1], lead[9] = 0.4, 0.4
	p1, _ := decide(lead, sc, vectorsAsGiven)
	require.Greater(t, p1, p0)
	var sum float64
	for _, s := range ev.Signals {
		sum += s.Contribution
	}
	require.InDelta(t, p0, 1/(1+math.Exp(-(sum+ev.Bias))), 1e-3)
}
