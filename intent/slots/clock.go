package slots

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

const (
	periodZH = `(凌晨|半夜|午夜|清晨|早上|早晨|一早|上午|今早|明早|中午|正午|午后|下午|傍晚|晚上|夜里|夜晚|夜间|今晚|明晚|昨晚|今夜|晚|早)`
	hourZH   = `(\d{1,2}|[零一二两三四五六七八九十]{1,3})`
	minuteZH = `(\d{1,2}|[零一二三四五六七八九十]{1,4})`
	ampmEN   = `(am\b|pm\b|a\.m\.|p\.m\.)`
)

// periodClass groups period words: a morning, p afternoon, e evening, n noon, m small hours;
// A and P are an explicit English am and pm, which refuse hours above 12.
var periodClass = map[string]byte{
	"凌晨": 'm', "半夜": 'm', "午夜": 'm', "清晨": 'a', "早上": 'a', "早晨": 'a', "一早": 'a', "上午": 'a', "今早": 'a',
	"明早": 'a', "早": 'a', "中午": 'n', "正午": 'n', "午后": 'p', "下午": 'p', "傍晚": 'p', "晚上": 'e', "夜里": 'e',
	"夜晚": 'e', "夜间": 'e', "今晚": 'e', "明晚": 'e', "昨晚": 'e', "今夜": 'e', "晚": 'e',
	"morning": 'a', "afternoon": 'p', "evening": 'e', "night": 'e', "tonight": 'e',
	"am": 'A', "a.m.": 'A', "pm": 'P', "p.m.": 'P',
}

// clockTime turns an hour as said into 24-hour time. With no period word, hours 1–6 are read as
// the afternoon (a customer arranging a call or delivery at "3点" means 15:00) and 7–12 as
// written; a leading zero ("03:00") keeps the hour as written. shift is 1 when an evening hour is
// past midnight ("晚上12点", "今晚1点").
func clockTime(h, m int, class byte, leadingZero bool) (hour, minute, shift int, ok bool) {
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, 0, false
	}
	switch class {
	case 'A':
		if h < 1 || h > 12 {
			return 0, 0, 0, false
		}
		return h % 12, m, 0, true
	case 'P':
		if h < 1 || h > 12 {
			return 0, 0, 0, false
		}
		return h%12 + 12, m, 0, true
	case 'a':
		return h, m, 0, h <= 12
	case 'm':
		if h == 12 {
			return 0, m, 0, true
		}
		return h, m, 0, h <= 6 || h >= 22
	case 'n':
		switch {
		case h >= 11 && h <= 14:
			return h, m, 0, true
		case h >= 1 && h <= 3:
			return h + 12, m, 0, true
		}
		return 0, 0, 0, false
	case 'p':
		if h == 0 {
			return 0, 0, 0, false
		}
		if h < 12 {
			h += 12
		}
		return h, m, 0, true
	case 'e':
		switch {
		case h == 12 || h == 0:
			return 0, m, 1, true
		case h <= 4:
			return h, m, 1, true
		case h < 12:
			return h + 12, m, 0, true
		}
		return h, m, 0, true
	}
	if h >= 1 && h <= 6 && !leadingZero {
		h += 12
	}
	return h, m, 0, true
}

type clockRule struct {
	re *regexp.Regexp
	// fn reads the hour, minute and period class; skip when the match is no time after all.
	fn func(n *normText, m []int, g func(int) string) (h, min int, class byte, leadingZero, skip bool)
}

// hourPrev and hourNext are characters next to which a bare Chinese-numeral hour ("两点") is a
// time rather than "two points": a date word, "到", "在", "约" before it; "前", "送", "见" after.
const (
	hourPrev = "天日号晚早午在到约于至~-"
	hourNext = "前后左以之送到来去见,.!?。!?"
)

var clockRules = []clockRule{
	// 下午3点, 3点半, 晚上8点15, 十点一刻, 8点整
	{rx(`(?:` + periodZH + `\s*)?` + hourZH + `\s*[点點时時](钟|鐘)?(?:\s*(半|一刻|三刻|整|` + minuteZH + `\s*分?))?`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			h, mm := num(g(2)), 0
			switch g(4) {
			case "半":
				mm = 30
			case "一刻":
				mm = 15
			case "三刻":
				mm = 45
			case "", "整":
			default:
				mm = num(g(5))
			}
			arabic := isDigit(rune(g(2)[0]))
			if !arabic && g(1) == "" && g(3) == "" && g(4) == "" {
				prev, _ := utf8.DecodeLastRuneInString(strings.TrimRight(n.s[:m[0]], " "))
				next, _ := utf8.DecodeRuneInString(strings.TrimLeft(n.s[m[1]:], " "))
				if !strings.ContainsRune(hourPrev, prev) && !strings.ContainsRune(hourNext, next) && next != utf8.RuneError || g(2) == "一" {
					return 0, 0, 0, false, true // "有两点要说", "便宜一点"
				}
			}
			return h, mm, periodClass[g(1)], len(g(2)) == 2 && g(2)[0] == '0', false
		}},
	// 15:30, 下午3:30, 3:30 pm, 9:00am
	{rx(`(?:` + periodZH + `\s*)?(\d{1,2})\s*:\s*(\d{2})(?::\d{2})?(?:\s*` + ampmEN + `)?`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			if n.runeBefore(m[0]) == ':' {
				return 0, 0, 0, false, true
			}
			class := periodClass[g(1)]
			if g(4) != "" {
				class = periodClass[strings.ToLower(g(4))]
			}
			return num(g(2)), num(g(3)), class, g(2)[0] == '0', false
		}},
	// 3pm, 3 p.m., 11am, 3.30pm
	{rx(`\b(\d{1,2})(?:[:.](\d{2}))?\s*` + ampmEN),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			return num(g(1)), max(num(g(2)), 0), periodClass[strings.ToLower(g(3))], false, false
		}},
	// noon, midnight, 中午, 正午, 午夜
	{rx(`\b(noon|midday|midnight)\b|中午|正午|午夜`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			if strings.EqualFold(g(1), "midnight") || g(0) == "午夜" {
				return 0, 0, 0, true, false
			}
			return 12, 0, 0, false, false
		}},
	// 3 in the afternoon, 8 o'clock at night, 9 tonight
	{rx(`\b(\d{1,2})(?::(\d{2}))?\s*(?:o'?clock\s*)?(?:in\s+the\s+(morning|afternoon|evening)|at\s+(night)|(tonight))\b`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			return num(g(1)), max(num(g(2)), 0), periodClass[strings.ToLower(g(3)+g(4)+g(5))], false, false
		}},
	// tonight at 8, morning at 9:30
	{rx(`\b(morning|afternoon|evening|night|tonight)\s+(?:at\s+|around\s+)?(\d{1,2})(?::(\d{2}))?\b`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			return num(g(2)), max(num(g(3)), 0), periodClass[strings.ToLower(g(1))], false, !timeWordFollows(n, m[1])
		}},
	// 3 o'clock
	{rx(`\b(\d{1,2})\s*o'?clock\b`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			return num(g(1)), 0, 0, false, false
		}},
	// at 3, around 4:30 (only when no other word follows, as in "at 3 items")
	{rx(`\b(?:at|around|by)\s+(\d{1,2})(?::(\d{2}))?\b`),
		func(n *normText, m []int, g func(int) string) (int, int, byte, bool, bool) {
			return num(g(1)), max(num(g(2)), 0), 0, g(1)[0] == '0', !timeWordFollows(n, m[1])
		}},
}

// timeWordFollows reports whether what follows a bare hour lets it be a time: the end, a
// punctuation mark, Chinese, or a date word ("at 3 tomorrow").
func timeWordFollows(n *normText, end int) bool {
	rest := strings.TrimLeft(n.s[end:], " ")
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if isDigit(r) || r == '%' || r == '.' && len(rest) > 1 && isDigit(rune(rest[1])) || r == '/' {
		return false
	}
	if !isASCIILetter(r) {
		return true
	}
	k := 0
	for k < len(rest) && isASCIILetter(rune(rest[k])) {
		k++
	}
	word := strings.ToLower(rest[:k])
	switch word {
	case "on", "tomorrow", "tmrw", "today", "tonight", "this", "next", "in", "please", "pls", "then", "ok", "and", "or":
		return true
	}
	_, isDay := weekdayIndex[word]
	return isDay
}

// timeCandidates finds every time of day in n.
func timeCandidates(n *normText) []cand {
	var cs []cand
	for _, r := range clockRules {
		eachMatch(r.re, n, func(m []int) {
			h, mm, class, lz, skip := r.fn(n, m, func(k int) string { return group(n.s, m, k) })
			if skip {
				return
			}
			c := cand{s: m[0], e: m[1], kind: KindTime}
			hour, minute, shift, ok := clockTime(h, mm, class, lz)
			if !ok {
				c.reason = reasonTime(rawOf(n, m[:2]))
			} else {
				c.value, c.hour, c.minute, c.shift = fmt.Sprintf("%02d:%02d", hour, minute), hour, minute, shift
			}
			cs = append(cs, c)
		})
	}
	return pickLongest(cs)
}

type timeExtractor struct{ spec Spec }

func (e timeExtractor) Spec() Spec { return e.spec }

func (e timeExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, timeCandidates(n))
}
