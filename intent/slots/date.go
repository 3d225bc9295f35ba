package slots

import (
	"regexp"
	"strings"
	"time"
)

// dateCtx resolves relative and partial dates against today.
type dateCtx struct {
	today  time.Time // midnight in the conversation's zone
	future bool      // resolve a date without year or month to its next occurrence
}

func newDateCtx(env Env, future bool) dateCtx {
	now := env.now()
	return dateCtx{today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()), future: future}
}

func (c dateCtx) ymd(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, c.today.Location())
	return t, t.Day() == d && int(t.Month()) == m
}

func (c dateCtx) addDays(n int) time.Time { return c.today.AddDate(0, 0, n) }

// addMonths moves by whole months, keeping the day where it exists and clamping to the month's
// end where it does not (one month after 31 January is 28 or 29 February).
func (c dateCtx) addMonths(n int) time.Time {
	first := time.Date(c.today.Year(), c.today.Month()+time.Month(n), 1, 0, 0, 0, 0, c.today.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(c.today.Day(), last)-1)
}

// choose resolves a partial date among its possible readings: with future, the earliest not
// before today; otherwise the one nearest today, later on a tie.
func (c dateCtx) choose(opts []time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	for _, t := range opts {
		if c.future && t.Before(c.today) {
			continue
		}
		d, bd := absDays(t.Sub(c.today)), absDays(best.Sub(c.today))
		if !found || c.future && t.Before(best) || !c.future && (d < bd || d == bd && t.After(best)) {
			best, found = t, true
		}
	}
	return best, found
}

func absDays(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// monthDay reads a month and day without a year: this year, last year or next, see choose.
func (c dateCtx) monthDay(m, d int) (time.Time, bool) {
	var opts []time.Time
	for y := c.today.Year() - 1; y <= c.today.Year()+4; y++ {
		if t, ok := c.ymd(y, m, d); ok && (y <= c.today.Year()+1 || len(opts) == 0) {
			opts = append(opts, t)
		}
	}
	return c.choose(opts)
}

// dayOfMonth reads "3号" or "the 3rd": last month, this month or a following one.
func (c dateCtx) dayOfMonth(d int) (time.Time, bool) {
	var opts []time.Time
	for k := -1; k <= 2; k++ {
		first := time.Date(c.today.Year(), c.today.Month()+time.Month(k), 1, 0, 0, 0, 0, c.today.Location())
		if t, ok := c.ymd(first.Year(), int(first.Month()), d); ok {
			opts = append(opts, t)
		}
	}
	return c.choose(opts)
}

// weekday returns the day wd (Monday 1 … Sunday 7) by qualifier: "" and "coming" are the next
// such day from today (today included); "this" is the day in the current Monday-to-Sunday week;
// "next" is the day in the following week, "next2" the week after; "last" the previous week's.
func (c dateCtx) weekday(wd int, qual string) time.Time {
	cur := int(c.today.Weekday())
	if cur == 0 {
		cur = 7
	}
	monday := c.addDays(1 - cur)
	switch qual {
	case "this":
		return monday.AddDate(0, 0, wd-1)
	case "next":
		return monday.AddDate(0, 0, 7+wd-1)
	case "next2":
		return monday.AddDate(0, 0, 14+wd-1)
	case "last":
		return monday.AddDate(0, 0, -7+wd-1)
	}
	return c.addDays((wd - cur + 7) % 7)
}

// dateHit is what a date rule read: a day, or skip when the match was not a date after all.
type dateHit struct {
	t    time.Time
	bad  bool // looked like a date but no such day exists
	skip bool
	span int // submatch whose start begins the reported span; 0 for the whole match
}

type dateRule struct {
	re *regexp.Regexp
	fn func(c dateCtx, n *normText, m []int, g func(int) string) dateHit
}

// dateCandidates finds every date in n; the longest reading of overlapping ones wins.
func dateCandidates(n *normText, c dateCtx) []cand {
	var cs []cand
	for _, r := range dateRules {
		eachMatch(r.re, n, func(m []int) {
			g := func(k int) string { return group(n.s, m, k) }
			h := r.fn(c, n, m, g)
			if h.skip {
				return
			}
			s, e := m[0], m[1]
			if h.span > 0 {
				s = m[2*h.span]
			}
			raw := rawOf(n, []int{s, e})
			switch {
			case h.bad:
				cs = append(cs, cand{s: s, e: e, reason: reasonDate(raw), kind: KindDate})
			case c.future && h.t.Before(c.today):
				cs = append(cs, cand{s: s, e: e, reason: reasonPastDate(raw, h.t.Format(time.DateOnly)), kind: KindDate, t: h.t})
			default:
				cs = append(cs, cand{s: s, e: e, value: h.t.Format(time.DateOnly), kind: KindDate, t: h.t})
			}
		})
	}
	return pickLongest(cs)
}

type dateExtractor struct{ spec Spec }

func (e dateExtractor) Spec() Spec { return e.spec }

func (e dateExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, dateCandidates(n, newDateCtx(env, e.spec.Future)))
}

// num reads a day, month or count written in digits, Chinese or English words; -1 if it is none.
func num(s string) int {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "a", "an":
		return 1
	case "":
		return -1
	}
	if v, ok := parseNumeral(s); ok && v == float64(int(v)) {
		return int(v)
	}
	if v, ok := parseEnglishNumber(s); ok && v == float64(int(v)) {
		return int(v)
	}
	return -1
}

func hit(t time.Time, ok bool) dateHit { return dateHit{t: t, bad: !ok} }
