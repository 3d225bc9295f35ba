package slots

import (
	"regexp"
	"strings"
	"time"
)

const (
	yearRe      = `(\d{4}|[零〇一二三四五六七八九]{4})`
	monthsEN    = `(january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec)`
	countEN     = `(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty)`
	weekdaysEN  = `(monday|tuesday|tues|tuseday|wednesday|wensday|wednsday|wendesday|thursday|thurday|thrusday|friday|saturday|saterday|sunday)`
	weekdayAbbr = `(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)`
)

func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// Characters around "N号" that make it a house, building, line or size number rather than a day.
const (
	notDayBefore = "路街道巷弄村楼栋幢室区里院镇乡县市省号座层单元排门第编型码穿尺大小几多"
	notDayAfter  = "楼院门线店仓房室床柜窗口位码机车座层栋单元人字型包箱"
)

// dateWordsZH are days from today; 今晚, 明早 and the like also carry a period, which the time
// patterns read.
var dateWordsZH = map[string]int{
	"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨儿": -1, "昨晚": -1, "今天": 0, "今日": 0, "今儿": 0, "今晚": 0,
	"今夜": 0, "今早": 0, "明天": 1, "明日": 1, "明儿": 1, "明早": 1, "明晚": 1, "后天": 2, "大后天": 3,
}

var dateWordsEN = map[string]int{
	"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tmrow": 1, "tomorow": 1, "tommorow": 1,
	"tommorrow": 1, "tomorrrow": 1, "2moro": 1, "yesterday": -1, "yday": -1,
}

var weekdayIndex = map[string]int{
	"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7,
	"mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "tuseday": 2, "wed": 3, "wednesday": 3, "wensday": 3,
	"wednsday": 3, "wendesday": 3, "thu": 4, "thur": 4, "thurs": 4, "thursday": 4, "thurday": 4, "thrusday": 4,
	"fri": 5, "friday": 5, "sat": 6, "saturday": 6, "saterday": 6, "sun": 7, "sunday": 7,
}

func monthIndex(s string) int {
	return strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(s)[:3])/3 + 1
}

func zhQualifier(q string) string {
	switch strings.TrimSuffix(strings.TrimSpace(q), "个") {
	case "下下":
		return "next2"
	case "下":
		return "next"
	case "上":
		return "last"
	case "这", "本":
		return "this"
	}
	return ""
}

var dateRules = []dateRule{
	// 2026年3月5日, 二〇二六年三月五号
	{rx(yearRe + `\s*年\s*(` + smallNumRe + `)\s*月\s*(` + smallNumRe + `)\s*[日号號]?`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return hit(c.ymd(num(g(1)), num(g(2)), num(g(3))))
	}},
	// 3月5日, 三月五号, 3月5
	{rx(`(` + smallNumRe + `)\s*月\s*(` + smallNumRe + `)\s*[日号號]?`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return hit(c.monthDay(num(g(1)), num(g(2))))
	}},
	// 2026-03-05, 2026/3/5, 2026.3.5
	{rx(`(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		if g(2) != g(4) {
			return dateHit{skip: true}
		}
		return hit(c.ymd(num(g(1)), num(g(3)), num(g(5))))
	}},
	// 3/5/2026, 3/5/26 (month first)
	{rx(`(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		y := num(g(3))
		if y < 100 {
			y += 2000
		}
		return hit(c.ymd(y, num(g(1)), num(g(2))))
	}},
	// 3/5, 11/23 (month first)
	{rx(`(\d{1,2})/(\d{1,2})`), func(c dateCtx, n *normText, m []int, g func(int) string) dateHit {
		if n.runeAfter(m[1]) == '/' || n.runeBefore(m[0]) == '/' || n.runeBefore(m[0]) == '.' || n.runeAfter(m[1]) == '.' && isDigit(n.runeAfter(m[1]+1)) {
			return dateHit{skip: true}
		}
		return hit(c.monthDay(num(g(1)), num(g(2))))
	}},
	// 下个月3号, 这个月15日, 下下个月1号
	{rx(`(下下个?|下个?|这个?|本|上个?)\s*月\s*(` + smallNumRe + `)\s*[号日號]`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		k := map[string]int{"next2": 2, "next": 1, "last": -1}[zhQualifier(g(1))]
		first := time.Date(c.today.Year(), c.today.Month()+time.Month(k), 1, 0, 0, 0, 0, c.today.Location())
		return hit(c.ymd(first.Year(), int(first.Month()), num(g(2))))
	}},
	// 3号, 三号, 15日: a day of this month or the next (see dayOfMonth); not a house or line number
	{rx(`(` + smallNumRe + `)\s*([号號]|日)`), func(c dateCtx, n *normText, m []int, g func(int) string) dateHit {
		before, after := n.runeBefore(m[0]), n.runeAfter(m[1])
		if strings.ContainsRune(notDayBefore, before) || isASCIILetter(before) || strings.ContainsRune(notDayAfter, after) {
			return dateHit{skip: true}
		}
		d := num(g(1))
		if g(2) == "日" && (!isDigit(rune(g(1)[0])) || strings.ContainsRune("内无以之元", after)) {
			return dateHit{skip: true}
		}
		if d > 31 {
			return dateHit{skip: true} // a size or a count, not a day
		}
		return hit(c.dayOfMonth(d))
	}},
	// 三天后, 5天以后, 两周后, 1个月后, 3天前
	{rx(`(` + smallNumRe + `|\d+)\s*个?\s*(天|日|周|星期|礼拜|月)\s*(后|以后|之后|前|以前|之前)`), func(c dateCtx, _ *normText, m []int, g func(int) string) dateHit {
		if g(2) == "月" && !strings.Contains(g(0), "个") {
			return dateHit{skip: true} // "3月前" is before March
		}
		return relative(c, num(g(1)), g(2), strings.HasSuffix(g(3), "前"))
	}},
	// 过三天
	{rx(`过\s*(` + smallNumRe + `)\s*(天|日)`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return relative(c, num(g(1)), "天", false)
	}},
	// 今天, 明天, 后天, 大后天, 昨天, 今晚, 明早
	{rx(`大前天|前天|昨天|昨日|昨儿|昨晚|今天|今日|今儿|今晚|今夜|今早|明天|明日|明儿|明早|明晚|大后天|后天`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return dateHit{t: c.addDays(dateWordsZH[g(0)])}
	}},
	// 周五, 下周一, 下星期三, 这周五, 本周五, 礼拜天
	{rx(`(下下个?|下个?|上个?|这个?|本)?\s*(?:周|星期|礼拜|禮拜)\s*([一二三四五六日天1-7])`), func(c dateCtx, n *normText, m []int, g func(int) string) dateHit {
		if g(1) == "" {
			if b := n.runeBefore(m[0]); isDigit(b) || cnDigits[b] != 0 {
				return dateHit{skip: true} // "一周一次" is once a week
			}
		}
		return dateHit{t: c.weekday(weekdayIndex[g(2)], zhQualifier(g(1)))}
	}},
	// 周末, 下周末, 这周末 (the Saturday)
	{rx(`(下下个?|下个?|上个?|这个?|本)?\s*周末`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		q := zhQualifier(g(1))
		if q == "" && c.today.Weekday() == time.Sunday {
			return dateHit{t: c.today}
		}
		return dateHit{t: c.weekday(6, q)}
	}},
	// today, tomorrow, tmrw, yesterday, tonight
	{rx(`\b(today|tonight|tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow|tomorrrow|2moro|yesterday|yday)\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return dateHit{t: c.addDays(dateWordsEN[strings.ToLower(g(1))])}
	}},
	// the day after tomorrow, the day before yesterday
	{rx(`\b(?:the\s+)?day\s+(after|before)\s+(tomorrow|tmrw|tmr|yesterday)\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		if strings.EqualFold(g(1), "after") {
			return dateHit{t: c.addDays(2)}
		}
		return dateHit{t: c.addDays(-2)}
	}},
	// next Monday, this Friday, Friday, last Sunday
	{rx(`\b(?:(next|this|last|coming)\s+)?` + weekdaysEN + `\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return dateHit{t: c.weekday(weekdayIndex[strings.ToLower(g(2))], enQualifier(g(1)))}
	}},
	// next Fri, on Sat: abbreviations only with a qualifier, as "sat" and "sun" are words
	{rx(`\b(next|this|last|coming|on)\s+` + weekdayAbbr + `\b\.?`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		h := dateHit{t: c.weekday(weekdayIndex[strings.ToLower(g(2))], enQualifier(g(1)))}
		if strings.EqualFold(g(1), "on") {
			h.span = 2
		}
		return h
	}},
	// next weekend, this weekend
	{rx(`\b(?:(next|this)\s+)?weekend\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		q := enQualifier(g(1))
		if q == "" && c.today.Weekday() == time.Sunday {
			return dateHit{t: c.today}
		}
		if q == "this" {
			q = ""
		}
		return dateHit{t: c.weekday(6, q)}
	}},
	// in 3 days, in a week, in two weeks
	{rx(`\bin\s+` + countEN + `\s+(days?|weeks?|months?)\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return relative(c, num(g(1)), g(2), false)
	}},
	// 3 days later, two weeks from now, 2 days ago
	{rx(`\b` + countEN + `\s+(days?|weeks?|months?)\s+(later|from\s+now|ago)\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return relative(c, num(g(1)), g(2), strings.EqualFold(g(3), "ago"))
	}},
	// March 5, Mar 5th, March 5, 2026
	{rx(`\b` + monthsEN + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return monthNameDate(c, g(1), g(2), g(3))
	}},
	// 5 March, 5th of March, 5 March 2026
	{rx(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthsEN + `\b\.?(?:,?\s+(\d{4})\b)?`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return monthNameDate(c, g(2), g(1), g(3))
	}},
	// the 5th, on the 23rd
	{rx(`\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b`), func(c dateCtx, _ *normText, _ []int, g func(int) string) dateHit {
		return hit(c.dayOfMonth(num(g(1))))
	}},
}

func enQualifier(q string) string {
	switch strings.ToLower(q) {
	case "next":
		return "next"
	case "last":
		return "last"
	}
	return "" // "this Friday" and "coming Friday" are the next Friday, today included
}

func monthNameDate(c dateCtx, month, day, year string) dateHit {
	if year != "" {
		return hit(c.ymd(num(year), monthIndex(month), num(day)))
	}
	return hit(c.monthDay(monthIndex(month), num(day)))
}

// relative moves today by k units (days, weeks, months), backwards when ago.
func relative(c dateCtx, k int, unit string, ago bool) dateHit {
	if k < 0 || k > 3660 {
		return dateHit{skip: true}
	}
	if ago {
		k = -k
	}
	u := strings.ToLower(unit)
	switch {
	case strings.HasPrefix(u, "week"), u == "周", u == "星期", u == "礼拜":
		return dateHit{t: c.addDays(7 * k)}
	case strings.HasPrefix(u, "month"), u == "月":
		return dateHit{t: c.addMonths(k)}
	}
	return dateHit{t: c.addDays(k)}
}
