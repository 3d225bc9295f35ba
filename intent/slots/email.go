package slots

import (
	"regexp"
	"strings"
)

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	// emailTryRe is anything around an "@" that could be an address, for reporting attempts.
	emailTryRe   = regexp.MustCompile(`[A-Za-z0-9._%+\-]*\s?@+\s?[A-Za-z0-9._\-]*`)
	emailLabelRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?$`)
	emailTLDRe   = regexp.MustCompile(`^[A-Za-z]{2,}$|^xn--[A-Za-z0-9\-]+$`)
)

type emailExtractor struct{ spec Spec }

func (e emailExtractor) Spec() Spec { return e.spec }

func (e emailExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, emailCandidates(n))
}

// emailCandidates finds addresses (a full-width "＠" counts) and reports as attempts the other
// "@" words: a missing domain suffix, doubled dots, a stray space.
func emailCandidates(n *normText) []cand {
	var cs []cand
	for _, m := range emailRe.FindAllStringIndex(n.s, -1) {
		s, e := m[0], m[1]
		for e > s && n.s[e-1] == '-' {
			e--
		}
		if v, ok := emailValue(n.s[s:e]); ok {
			cs = append(cs, cand{s: s, e: e, value: v, kind: KindEmail})
		} else {
			cs = append(cs, cand{s: s, e: e, reason: reasonEmail(rawOf(n, []int{s, e})), kind: KindEmail})
		}
	}
	for _, m := range emailTryRe.FindAllStringIndex(n.s, -1) {
		s, e := m[0], m[1]
		for s < e && n.s[s] == ' ' {
			s++
		}
		for e > s && strings.ContainsRune(" .-", rune(n.s[e-1])) {
			e--
		}
		c := cand{s: s, e: e, kind: KindEmail}
		covered := false
		for _, o := range cs {
			if o.overlaps(c) {
				covered = true
			}
		}
		if covered || e-s < 3 || strings.Trim(n.s[s:e], "@ ") == "" || !strings.Contains(n.s[s:e], "@") {
			continue
		}
		if at := strings.IndexByte(n.s[s:e], '@'); at == 0 || strings.LastIndexByte(n.s[s:e], '@') == e-s-1 {
			continue // "@someone" or "me@" alone is a mention, not an address
		}
		c.reason = reasonEmail(rawOf(n, []int{s, e}))
		cs = append(cs, c)
	}
	return pickLongest(cs)
}

// emailValue checks the parts regexps cannot and lower-cases the domain; the local part keeps its
// case because some mail servers treat it as significant.
func emailValue(addr string) (string, bool) {
	local, domain, _ := strings.Cut(addr, "@")
	if len(local) > 64 || len(addr) > 254 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", false
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if !emailLabelRe.MatchString(l) {
			return "", false
		}
	}
	if !emailTLDRe.MatchString(labels[len(labels)-1]) {
		return "", false
	}
	return local + "@" + strings.ToLower(domain), true
}
