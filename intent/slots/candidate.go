package slots

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// cand is a value (or failed attempt) found at folded offsets [s, e); extractors collect them
// from several patterns and keep the longest non-overlapping ones.
type cand struct {
	s, e   int
	value  string
	reason *Reason // set for an invalid attempt
	kind   Kind    // which builtin detector found it, for ExtractAll and numbers

	// Dates and times keep their parsed form for datetime to combine.
	t      time.Time // the day at midnight, or the instant
	hour   int       // time of day, for time candidates
	minute int
	shift  int // days a time moves its date by ("晚上12点" is midnight after the evening)
}

func (c cand) overlaps(o cand) bool { return c.s < o.e && o.s < c.e }

// pickLongest keeps the longest candidates that do not overlap, preferring valid ones and then
// the leftmost, and returns them in text order.
func pickLongest(cs []cand) []cand {
	sort.SliceStable(cs, func(i, j int) bool {
		li, lj := cs[i].e-cs[i].s, cs[j].e-cs[j].s
		if li != lj {
			return li > lj
		}
		if (cs[i].reason == nil) != (cs[j].reason == nil) {
			return cs[i].reason == nil
		}
		return cs[i].s < cs[j].s
	})
	var kept []cand
	for _, c := range cs {
		if c.e <= c.s {
			continue
		}
		ok := true
		for _, k := range kept {
			if c.overlaps(k) {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, c)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].s < kept[j].s })
	return kept
}

// result turns folded-offset candidates into a Result against the original text.
func result(n *normText, cs []cand) Result {
	var r Result
	for _, c := range cs {
		s, e := n.orig(c.s, c.e)
		if c.reason != nil {
			r.Invalid = append(r.Invalid, Invalid{Raw: n.src[s:e], Reason: *c.reason, Start: s, End: e})
		} else {
			r.Matches = append(r.Matches, Match{Value: c.value, Raw: n.src[s:e], Start: s, End: e})
		}
	}
	return r
}

// eachMatch calls fn with the submatch offsets of every match of re in s whose first and last
// characters are not glued to a further ASCII letter or digit, so "A1234567" yields no "1234567".
func eachMatch(re *regexp.Regexp, n *normText, fn func(m []int)) {
	for _, m := range re.FindAllStringSubmatchIndex(n.s, -1) {
		if m[1] <= m[0] {
			continue
		}
		if isASCIIAlnum(n.runeBefore(m[0])) && isASCIIAlnum(n.runeAfter(m[0])) {
			continue
		}
		if isASCIIAlnum(n.runeAfter(m[1])) && isASCIIAlnum(n.runeBefore(m[1])) {
			continue
		}
		fn(m)
	}
}

// group returns submatch k of m in s, or "".
func group(s string, m []int, k int) string {
	if 2*k+1 >= len(m) || m[2*k] < 0 {
		return ""
	}
	return s[m[2*k]:m[2*k+1]]
}

// endsWithKeyword reports whether before (folded text) ends with one of kws (lower-case),
// allowing spaces, ":", "#", "=", "是", "为" and "is" after it ("订单号是 12345", "phone: ").
// Latin keywords must start on a word boundary.
func endsWithKeyword(before string, kws []string) bool {
	return keywordSuffix(before, kws) != ""
}

// keywordSuffix returns the longest of kws that before ends with, as endsWithKeyword reads it,
// or "".
func keywordSuffix(before string, kws []string) string {
	if len(before) > edgeBytes {
		w := len(before) - edgeBytes
		for w < len(before) && !utf8.RuneStart(before[w]) {
			w++
		}
		before = before[w:]
	}
	b := strings.ToLower(before)
	for {
		t := strings.TrimRight(b, " :#=是为")
		t = strings.TrimSuffix(t, " is")
		if t == b {
			break
		}
		b = t
	}
	best := ""
	for _, k := range kws {
		if len(k) <= len(best) || !strings.HasSuffix(b, k) {
			continue
		}
		if isLatin(k) && len(b) > len(k) && isASCIIAlnum(rune(b[len(b)-len(k)-1])) {
			continue
		}
		best = k
	}
	return best
}
