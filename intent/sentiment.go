package intent

import (
	"math"
	"regexp"
	"strings"
	"unicode"
)

// Sentiment is how a message feels, from a zh/en lexicon: Score in [-1, 1], a label, and whether
// it is negative strongly enough (swearing, fury, "fed up") that a person should take over.
type Sentiment struct {
	Score  float64 `json:"score"`
	Label  string  `json:"label"` // negative, neutral, positive
	Strong bool    `json:"strong,omitempty"`
}

// Lexicon weights: 2 marks words nobody uses calmly, 1 ordinary displeasure.
var negativeWords = map[string]float64{
	// zh
	"妈的": 2, "他妈": 2, "tmd": 2, "傻逼": 2, "sb": 2, "滚": 2, "去死": 2, "受够了": 2, "忍无可忍": 2, "气死": 2,
	"烦死": 2, "恶心": 2, "崩溃": 2, "骗子": 2, "垃圾": 2, "混蛋": 2, "王八蛋": 2, "操": 2, "有病": 2, "脑残": 2,
	"耍我": 2, "再也不买": 2, "什么玩意": 2, "欺负人": 2, "火大": 2, "气疯": 2, "受不了": 2, "玩我": 2,
	"生气": 1, "愤怒": 1, "失望": 1, "无语": 1, "离谱": 1, "过分": 1, "坑": 1, "骗": 1, "烂": 1, "敷衍": 1,
	"糊弄": 1, "搞什么": 1, "急死": 1, "慢死": 1, "太慢": 1, "不满": 1, "郁闷": 1, "难受": 1, "差劲": 1, "糟糕": 1,
	"怎么回事": 1, "到底": 1, "凭什么": 1,
	// "太差了，我要投诉": 差 alone is also 差价, 出差, 时差, so only its judging forms count, and a
	// complaint is displeasure whatever words go with it.
	"太差": 1, "很差": 1, "真差": 1, "好差": 1, "最差": 1, "质量差": 1, "服务差": 1, "态度差": 1, "差评": 1, "投诉": 1,
	// en
	"fuck": 2, "fucking": 2, "shit": 2, "wtf": 2, "furious": 2, "outraged": 2, "fed up": 2, "sick of": 2,
	"pathetic": 2, "idiot": 2, "idiots": 2, "stupid": 2, "scam": 2, "liar": 2, "liars": 2, "crap": 2,
	"never again": 2, "hate you": 2, "bullshit": 2, "disgusting": 2, "screw you": 2, "damn it": 2,
	"the hell": 2, "had enough": 2, "livid": 2, "sick and tired": 2,
	"angry": 1, "annoyed": 1, "frustrated": 1, "frustrating": 1, "disappointed": 1, "upset": 1, "hate": 1,
	"ridiculous": 1, "useless": 1, "terrible": 1, "awful": 1, "horrible": 1, "worst": 1, "joke": 1,
	"unacceptable": 1, "damn": 1, "annoying": 1, "rubbish": 1, "incompetent": 1,
	"complain": 1, "complaint": 1, "poor service": 1, "bad service": 1,
}

var positiveWords = map[string]float64{
	"谢谢": 1, "感谢": 1, "太好了": 1, "很好": 1, "棒": 1, "满意": 1, "喜欢": 1, "不错": 1, "给力": 1, "赞": 1,
	"thanks": 1, "thank you": 1, "great": 1, "awesome": 1, "perfect": 1, "love": 1, "excellent": 1,
	"helpful": 1, "appreciate": 1, "nice": 1, "good": 1,
}

var negators = []string{"不", "没", "别", "not ", "no ", "never ", "don't ", "isn't ", "wasn't ", "n't "}

// intensifiers just before a negative word ("so annoyed", "太离谱", "真的无语") make it count double.
var intensifiers = []string{"真的", "太", "非常", "特别", "超级", "超", "好", "很", "really ", "so ", "very ", "extremely ",
	"absolutely ", "totally ", "completely ", "complete ", "utterly ", "truly ", "seriously "}

// innocentScam is asking whether something else is a scam ("is this text from you or a scam?").
var innocentScam = regexp.MustCompile(`\b(?:is|was) (?:this|that|it)(?: \S+){0,6} (?:a )?scam\b`)

// AnalyzeSentiment scores text. Exclamation runs and shouted (all-caps) words intensify a
// negative message; a negator just before a word ("不生气", "not angry") cancels it.
func AnalyzeSentiment(text string) Sentiment {
	// Words inside innocent compounds (垃圾袋, 滚筒, 操作) say nothing of the customer's mood.
	t := zhBlank.ReplaceAllString(innocentScam.ReplaceAllString(Normalize(text), " "), "□")
	neg := negativeScore(t)
	pos := lexiconScore(t, positiveWords, false)
	if neg > 0 {
		neg += intensity(text)
	}
	raw := pos - neg
	s := Sentiment{Score: math.Max(-1, math.Min(1, raw/3)), Label: "neutral"}
	switch {
	case raw <= -1:
		s.Label = "negative"
	case raw >= 1:
		s.Label = "positive"
	}
	s.Strong = neg >= 3 || (neg >= 2 && pos == 0 && strongWord(t))
	s.Score = math.Round(s.Score*100) / 100
	return s
}

// lexiconScore sums the weights of words found in t, not negated; with intensify, an intensified
// word counts twice.
func lexiconScore(t string, words map[string]float64, intensify bool) float64 {
	var sum float64
	for w, weight := range words {
		off := 0
		for {
			i := indexPhrase(t[off:], w)
			if i < 0 {
				break
			}
			i += off
			if !negatedAt(t, i) {
				sum += weight
				if intensify && intensifiedAt(t, i) {
					sum += weight
				}
			}
			off = i + len(w)
		}
	}
	return sum
}

// negativeScore is lexiconScore for negativeWords, with an intensified word counted twice: "so
// disappointed and annoyed" is strong, "really disappointed" alone is not.
func negativeScore(t string) float64 { return lexiconScore(t, negativeWords, true) }

func intensifiedAt(t string, i int) bool {
	before := t[:i]
	for _, n := range intensifiers {
		if strings.HasSuffix(before, n) {
			return true
		}
	}
	return false
}

func strongWord(t string) bool {
	for w, weight := range negativeWords {
		if weight >= 2 && containsPhrase(t, w) {
			return true
		}
	}
	return false
}

func negatedAt(t string, i int) bool {
	before := t[:i]
	for _, n := range negators {
		if strings.HasSuffix(before, n) {
			return true
		}
	}
	return false
}

// intensity adds 1 for a run of two or more exclamation marks and 1 for two or more shouted words.
func intensity(text string) float64 {
	var add float64
	if strings.Contains(text, "!!") || strings.Contains(text, "!!") || strings.Contains(text, "!!") {
		add++
	}
	shouted := 0
	for _, w := range strings.Fields(text) {
		letters, upper := 0, 0
		for _, r := range w {
			if unicode.IsLetter(r) && r < 0x80 {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		if letters >= 3 && upper == letters {
			shouted++
		}
	}
	if shouted >= 2 {
		add++
	}
	return add
}
