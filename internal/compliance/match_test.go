package compliance

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func set(t *testing.T, rules ...Rule) *RuleSet {
	t.Helper()
	for i := range rules {
		rules[i].ID = int64(i + 1)
		rules[i].Active = true
		if rules[i].Language == "" {
			rules[i].Language = LangAny
		}
		if rules[i].Match == "" {
			rules[i].Match = MatchContains
		}
		if rules[i].Action == "" {
			rules[i].Action = ActionBlock
		}
	}
	rs, errs := NewRuleSet(rules)
	require.Empty(t, errs)
	return rs
}

func matched(hits []Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Text)
	}
	return out
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		rule Rule
		text string
		lang string
		want []string
	}{
		{"contains is case-insensitive", Rule{Phrase: "Guaranteed refund"}, "We offer a GUARANTEED Refund!", "en", []string{"GUARANTEED Refund"}},
		{"contains works in Chinese", Rule{Phrase: "保证退款"}, "我们保证退款，请放心", "zh", []string{"保证退款"}},
		{"full-width letters fold", Rule{Phrase: "refund"}, "全额ＲＥＦＵＮＤ到账", "zh", []string{"ＲＥＦＵＮＤ"}},
		{"full-width phrase folds", Rule{Phrase: "１００％"}, "100% sure", "en", []string{"100%"}},
		{"every occurrence", Rule{Phrase: "最"}, "最好最快", "zh", []string{"最", "最"}},
		{"exception covers the hit", Rule{Phrase: "guarantee", Exceptions: []string{"no guarantee"}}, "There is no guarantee.", "en", []string{}},
		{"exception elsewhere does not excuse", Rule{Phrase: "guarantee", Exceptions: []string{"no guarantee"}}, "No guarantee of speed, but we guarantee quality", "en", []string{"guarantee"}},
		{"zh exception", Rule{Phrase: "最", Exceptions: []string{"最近"}}, "最近的门店是最好的", "zh", []string{"最"}},
		{"exception is case- and width-insensitive", Rule{Phrase: "guarantee", Exceptions: []string{"NO guarantee"}}, "ｎｏ ｇｕａｒａｎｔｅｅ here", "en", []string{}},
		{"word: whole word only", Rule{Phrase: "free", Match: MatchWord}, "It's free. Carefree freedom, FREE!", "en", []string{"free", "FREE"}},
		{"word: next to Chinese is a boundary", Rule{Phrase: "free", Match: MatchWord}, "完全free的", "zh", []string{"free"}},
		{"word: digits join a word", Rule{Phrase: "100", Match: MatchWord}, "1000 or 100", "en", []string{"100"}},
		{"regex", Rule{Phrase: `\d+ ?% off`, Match: MatchRegex}, "Now 50% OFF and 20 % off", "en", []string{"50% OFF", "20 % off"}},
		{"regex on full-width digits", Rule{Phrase: `\d{3}`, Match: MatchRegex}, "编号１２３", "zh", []string{"１２３"}},
		{"zh rule skips English text", Rule{Phrase: "best", Language: "zh"}, "the best price", "en", []string{}},
		{"zh rule applies to Chinese text in an English conversation", Rule{Phrase: "最", Language: "zh"}, "这是最好的", "en", []string{"最"}},
		{"en rule skips Chinese text", Rule{Phrase: "ok", Language: "en"}, "好的", "zh", []string{}},
		{"any applies to both", Rule{Phrase: "vip"}, "尊享VIP", "zh", []string{"VIP"}},
		{"no hit", Rule{Phrase: "refund"}, "hello there", "en", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := set(t, tc.rule).Check(tc.text, tc.lang)
			require.Equal(t, tc.want, matched(got))
		})
	}
}

func TestCheckSpansAreCharacterOffsets(t *testing.T) {
	hits := set(t, Rule{Phrase: "保证退款", Action: ActionWarn}).Check("您好，保证退款！", "zh")
	require.Len(t, hits, 1)
	require.Equal(t, Hit{RuleID: 1, Phrase: "保证退款", Action: ActionWarn, Start: 3, End: 7, Text: "保证退款"}, hits[0])
	require.False(t, Blocking(hits))
	require.True(t, Blocking(set(t, Rule{Phrase: "x"}).Check("x", "en")))
}

func TestInactiveRulesDoNotMatch(t *testing.T) {
	rs, _ := NewRuleSet([]Rule{{ID: 1, Phrase: "refund", Language: LangAny, Match: MatchContains, Action: ActionBlock}})
	require.Empty(t, rs.Check("refund", "en"))
}

func TestRuleInputValidation(t *testing.T) {
	long := make([]rune, 201)
	for i := range long {
		long[i] = '字'
	}
	bad := map[string]RuleInput{
		"phrase is required":        {Phrase: "  "},
		"at most 200 characters":    {Phrase: string(long)},
		"language must be":          {Phrase: "x", Language: "fr"},
		"match must be":             {Phrase: "x", Match: "fuzzy"},
		"action must be":            {Phrase: "x", Action: "delete"},
		"does not compile":          {Phrase: "(unclosed", Match: MatchRegex},
		"matches empty text":        {Phrase: "a*", Match: MatchRegex},
		"exception must be at most": {Phrase: "x", Exceptions: []string{string(long)}},
	}
	for want, in := range bad {
		require.ErrorContains(t, in.Normalize(), want)
	}
	in := RuleInput{Phrase: " 保证退款 ", Exceptions: []string{" 不保证退款", "", "不保证退款"}}
	require.NoError(t, in.Normalize())
	require.Equal(t, RuleInput{Phrase: "保证退款", Language: "any", Match: "contains", Action: "block",
		Exceptions: []string{"不保证退款"}, Active: in.Active}, in)
	require.True(t, *in.Active)
}
