package slots

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	numberRe        = regexp.MustCompile(numeralRe)
	englishNumberRe = rx(englishNumRe)
)

// measureWords may follow a single Chinese numeral character for it to count as a number:
// "三件" is 3, while "一下", "一定" and "三星" are not numbers.
const measureWords = "个件台只双条份次本张盒箱瓶包套位天周月年岁斤克米块元人部支根片粒袋桶罐杯碗单笔项种颗枚对副码号层楼间"

// chineseIdioms are numeral runs that are words: "万一" (in case), "千万" (by all means), "十分" (very).
var chineseIdioms = []string{"万一", "一一", "千万", "万万", "十分", "百分", "一五一十", "三三两两", "七七八八", "乱七八糟", "九九"}

type numberExtractor struct{ spec Spec }

func (e numberExtractor) Spec() Spec { return e.spec }

func (e numberExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, numberCandidates(n, env, e.spec))
}

// numberCandidates finds numbers in digits, Chinese numerals and English words, leaving out the
// digits of dates, times, phone numbers and email addresses ("11/23" is a date, not 11 and 23).
func numberCandidates(n *normText, env Env, spec Spec) []cand {
	var taken []cand
	taken = append(taken, dateCandidates(n, newDateCtx(env, false))...)
	taken = append(taken, timeCandidates(n)...)
	taken = append(taken, phoneCandidates(n)...)
	taken = append(taken, emailCandidates(n)...)
	free := func(c cand) bool {
		for _, t := range taken {
			if t.overlaps(c) {
				return false
			}
		}
		return true
	}
	whole := strings.Trim(n.s, " .,!?。,!?~")
	var cs []cand
	add := func(s, e int, v float64) {
		c := cand{s: s, e: e, kind: KindNumber}
		if !free(c) {
			return
		}
		if spec.Min != nil && v < *spec.Min || spec.Max != nil && v > *spec.Max {
			c.reason = reasonRange(false, rawOf(n, []int{s, e}), spec.Min, spec.Max, "")
		} else {
			c.value = formatNumber(v)
		}
		cs = append(cs, c)
	}
	eachMatch(numberRe, n, func(m []int) {
		run := n.s[m[0]:m[1]]
		if n.runeBefore(m[0]) == '.' && isDigit(n.runeBefore(m[0]-1)) || n.runeAfter(m[1]) == '.' && isDigit(n.runeAfter(m[1]+1)) {
			return // a version or an IP address
		}
		if !isDigit(rune(run[0])) && !plausibleChineseNumber(run, n.runeAfter(m[1]), run == whole) {
			return
		}
		if v, ok := parseNumeral(run); ok {
			add(m[0], m[1], v)
		}
	})
	for _, m := range englishNumberRe.FindAllStringIndex(n.s, -1) {
		run := strings.ToLower(n.s[m[0]:m[1]])
		for {
			t := strings.TrimRight(run, " -")
			if strings.HasSuffix(t, " and") || strings.HasSuffix(t, "-and") {
				t = t[:len(t)-4]
			}
			if t == run {
				break
			}
			run = t
		}
		if run == "one" && strings.ToLower(whole) != "one" {
			continue // "which one", "no one"
		}
		if v, ok := parseEnglishNumber(run); ok {
			add(m[0], m[0]+len(run), v)
		}
	}
	return pickLongest(cs)
}

// plausibleChineseNumber rules out Chinese numeral characters used as words.
func plausibleChineseNumber(run string, next rune, whole bool) bool {
	for _, w := range chineseIdioms {
		if strings.Contains(run, w) && !(w == "十分" && next == '钟') {
			return false
		}
	}
	if strings.ContainsRune(run, '两') && !strings.ContainsAny(run, "十百千万亿拾佰仟萬億") && utf8.RuneCountInString(run) > 1 {
		return false // "两三" is a guess, not a number
	}
	if utf8.RuneCountInString(run) == 1 {
		return whole || strings.ContainsRune(measureWords, next)
	}
	return true
}
