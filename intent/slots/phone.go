package slots

import (
	"regexp"
	"strings"
)

// phoneRunRe is a run of digit groups as people write phone numbers: "+86 138-1234-5678",
// "+1 (415) 555-2671", "010-12345678".
var phoneRunRe = regexp.MustCompile(`(?:\+\s*|\b00)?\(?\d+(?:(?:\s*[-.]\s*|\s+|\s*\(\s*|\s*\)\s*)\d+)*`)

var (
	cnMobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	cnServiceRe  = regexp.MustCompile(`^[48]00\d{7}$`)
	digitGroupRe = regexp.MustCompile(`\d+`)
)

var phoneKeywords = []string{"电话号码", "电话", "手机号码", "手机号", "手机", "联系方式", "号码", "phone number", "phone", "tel",
	"telephone", "mobile", "cell", "call me at", "call", "contact", "whatsapp"}

type phoneExtractor struct{ spec Spec }

func (e phoneExtractor) Spec() Spec { return e.spec }

func (e phoneExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, phoneCandidates(n))
}

// phoneCandidates splits each run into its digit groups and takes, from each group on, the
// longest prefix of groups that makes a valid number, so "13812345678 13912345678" is two numbers.
// Where none starts, the groups up to about a phone's length are an attempt if they follow a
// phone keyword, begin with "+", or look like a mobile number with a digit too many or too few.
func phoneCandidates(n *normText) []cand {
	var cs []cand
	eachMatch(phoneRunRe, n, func(m []int) {
		if n.runeAfter(m[1]) == '@' {
			return // the name of an email address, "13812345678@qq.com"
		}
		run := n.s[m[0]:m[1]]
		plus := strings.HasPrefix(run, "+") || strings.HasPrefix(run, "00")
		var groups [][]int
		for _, g := range digitGroupRe.FindAllStringIndex(run, -1) {
			// A trunk "(0)" after the country code is not dialled from abroad.
			if plus && len(groups) == 1 && run[g[0]:g[1]] == "0" && g[0] > 0 && run[g[0]-1] == '(' && g[1] < len(run) && run[g[1]] == ')' {
				continue
			}
			groups = append(groups, []int{m[0] + g[0], m[0] + g[1]})
		}
		if plus && strings.HasPrefix(run, "00") {
			groups[0][0] += 2
			if groups[0][0] == groups[0][1] {
				groups = groups[1:]
			}
		}
		keyword := endsWithKeyword(n.s[:m[0]], phoneKeywords)
		for i := 0; i < len(groups); {
			first := plus && i == 0
			start := m[0]
			if !first {
				start = groups[i][0]
			}
			digits, best, bestVal := "", -1, ""
			for j := i; j < len(groups); j++ {
				digits += n.s[groups[j][0]:groups[j][1]]
				if v, ok := phoneValue(digits, first); ok {
					best, bestVal = j, v
				}
				if len(digits) > 17 {
					break
				}
			}
			if best >= 0 {
				cs = append(cs, cand{s: start, e: groups[best][1], value: bestVal, kind: KindPhone})
				i = best + 1
				continue
			}
			j, digits := i, n.s[groups[i][0]:groups[i][1]]
			for j+1 < len(groups) && len(digits)+groups[j+1][1]-groups[j+1][0] <= 13 {
				j++
				digits += n.s[groups[j][0]:groups[j][1]]
			}
			if r := phoneAttempt(n, start, groups[j][1], digits, groups[i:j+1], first, keyword && i == 0); r != nil {
				cs = append(cs, cand{s: start, e: groups[j][1], reason: r, kind: KindPhone})
				i = j + 1
				continue
			}
			i++
		}
	})
	return cs
}

// phoneValue returns the E.164 form of digits, dialled with a leading + (or 00) when intl.
func phoneValue(d string, intl bool) (string, bool) {
	if intl {
		if rest, ok := strings.CutPrefix(d, "86"); ok {
			rest = strings.TrimPrefix(rest, "0")
			if cnMobileRe.MatchString(rest) || cnLandline("0"+rest) || cnServiceRe.MatchString(rest) {
				return "+86" + rest, true
			}
			return "", false
		}
		if len(d) < 8 || len(d) > 15 || d[0] == '0' || d[0] == '1' && len(d) != 11 || strings.HasPrefix(d, "44") && len(d) < 11 {
			return "", false
		}
		return "+" + d, true
	}
	switch {
	case cnMobileRe.MatchString(d), cnServiceRe.MatchString(d):
		return "+86" + d, true
	case len(d) == 13 && strings.HasPrefix(d, "86") && cnMobileRe.MatchString(d[2:]):
		return "+" + d, true
	case cnLandline(d):
		return "+86" + d[1:], true
	}
	return "", false
}

// cnLandline is a trunk 0, an area code (two digits after the 0 for 010 and 02x, else three) and a
// seven- or eight-digit local number.
func cnLandline(d string) bool {
	if len(d) < 10 || len(d) > 12 || d[0] != '0' || d[1] == '0' {
		return false
	}
	local := len(d) - 4
	if d[1] == '1' || d[1] == '2' {
		local = len(d) - 3
		return local == 8
	}
	return local == 7 || local == 8
}

func phoneAttempt(n *normText, s, e int, digits string, groups [][]int, intl, keyword bool) *Reason {
	raw := rawOf(n, []int{s, e})
	switch {
	case intl && len(digits) >= 5:
		return reasonPhone(raw)
	case len(digits) >= 9 && len(digits) <= 13 && digits[0] == '1' && digits[1] >= '3' && shortestGroup(groups) >= 3:
		return reasonPhoneLength(raw, len(digits))
	case keyword && len(digits) >= 5:
		if digits[0] == '1' && len(digits) >= 9 {
			return reasonPhoneLength(raw, len(digits))
		}
		return reasonPhone(raw)
	}
	return nil
}

func shortestGroup(groups [][]int) int {
	m := 1 << 30
	for _, g := range groups {
		m = min(m, g[1]-g[0])
	}
	return m
}
