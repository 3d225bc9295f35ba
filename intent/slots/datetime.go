package slots

import "time"

var (
	// dateThenTime is what may stand between a date and its time: "明天下午3点", "明天的3点", "tomorrow at 3pm".
	dateThenTime = rx(`^\s*(?:的|,|at|@|around|about|by|大概|大约|约)?\s*$`)
	// timeThenDate is what may stand between a time and its date: "3pm tomorrow", "10am on Friday".
	timeThenDate = rx(`^\s*(?:on|,)?\s*$`)
)

type dateTimeExtractor struct{ spec Spec }

func (e dateTimeExtractor) Spec() Spec { return e.spec }

func (e dateTimeExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, dateTimeCandidates(n, env, e.spec.Future))
}

// dateTimeCandidates pairs each date with the time next to it. A time alone is today (with
// future, tomorrow once today's has passed); a date alone is an attempt that lacks the time.
func dateTimeCandidates(n *normText, env Env, future bool) []cand {
	dc := newDateCtx(env, future)
	now := env.now()
	dates, times := dateCandidates(n, dc), timeCandidates(n)
	used := make([]bool, len(times))
	var cs []cand
	for _, d := range dates {
		pair := -1
		for i, t := range times {
			if !used[i] && (t.overlaps(d) || t.s >= d.e && dateThenTime.MatchString(n.s[d.e:t.s]) ||
				t.e <= d.s && timeThenDate.MatchString(n.s[t.e:d.s])) {
				pair = i
				break
			}
		}
		if pair < 0 {
			if d.reason == nil {
				d.reason = reasonNoTime(rawOf(n, []int{d.s, d.e}))
			}
			d.kind = KindDateTime
			cs = append(cs, d)
			continue
		}
		used[pair] = true
		t := times[pair]
		c := cand{s: min(d.s, t.s), e: max(d.e, t.e), kind: KindDateTime, reason: d.reason}
		if c.reason == nil {
			c.reason = t.reason
		}
		if c.reason == nil {
			c = instant(n, c, time.Date(d.t.Year(), d.t.Month(), d.t.Day()+t.shift, t.hour, t.minute, 0, 0, d.t.Location()), now, future)
		}
		cs = append(cs, c)
	}
	for i, t := range times {
		if used[i] {
			continue
		}
		t.kind = KindDateTime
		if t.reason == nil {
			at := time.Date(dc.today.Year(), dc.today.Month(), dc.today.Day()+t.shift, t.hour, t.minute, 0, 0, dc.today.Location())
			if future && at.Before(now) {
				at = at.AddDate(0, 0, 1)
			}
			t = instant(n, t, at, now, future)
		}
		cs = append(cs, t)
	}
	return pickLongest(cs)
}

func instant(n *normText, c cand, at, now time.Time, future bool) cand {
	if future && at.Before(now) {
		c.reason = reasonPastTime(rawOf(n, []int{c.s, c.e}), at.Format("2006-01-02 15:04"))
		return c
	}
	c.value, c.t = at.Format(time.RFC3339), at
	return c
}
