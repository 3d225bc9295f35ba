package compliance

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Hit is one place a rule matched. Start and End are character (Unicode code point) offsets in
// the text as given, End exclusive; Text is what was matched there.
type Hit struct {
	RuleID int64  `json:"rule_id"`
	Phrase string `json:"phrase"`
	Action string `json:"action"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Text   string `json:"text"`
}

// Blocking reports whether any hit blocks.
func Blocking(hits []Hit) bool {
	for _, h := range hits {
		if h.Action == ActionBlock {
			return true
		}
	}
	return false
}

// normalized is a text folded for matching: full-width forms to half-width (ＡＢＣ → abc,
// ！ → !), lower case. at maps each byte offset of s to the character offset in the original.
type normalized struct {
	s  string
	at []int
	// han and latin say which languages' rules apply to the text.
	han, latin bool
}

func normalize(text string) normalized {
	var b strings.Builder
	b.Grow(len(text))
	n := normalized{at: make([]int, 0, len(text)+1)}
	i := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			n.han = true
		}
		folded := foldRune(r)
		if folded < utf8.RuneSelf && ('a' <= folded && folded <= 'z') {
			n.latin = true
		}
		for k := utf8.RuneLen(folded); k > 0; k-- {
			n.at = append(n.at, i)
		}
		b.WriteRune(folded)
		i++
	}
	n.at = append(n.at, i)
	n.s = b.String()
	return n
}

// foldRune folds one character's width and case.
func foldRune(r rune) rune {
	if r >= utf8.RuneSelf {
		if f, _ := utf8.DecodeRuneInString(width.Fold.String(string(r))); f != utf8.RuneError {
			r = f
		}
	}
	return unicode.ToLower(r)
}

// fold normalises a phrase the way texts are normalised.
func fold(s string) string { return normalize(s).s }

// compiled is a rule ready to match.
type compiled struct {
	Rule
	phrase     string // folded
	exceptions []string
	re         *regexp.Regexp
}

func compile(r Rule) (compiled, error) {
	c := compiled{Rule: r, phrase: fold(r.Phrase)}
	for _, e := range r.Exceptions {
		if f := fold(e); f != "" {
			c.exceptions = append(c.exceptions, f)
		}
	}
	if r.Match == MatchRegex {
		re, err := compileRegex(r.Phrase)
		if err != nil {
			return c, err
		}
		c.re = re
	}
	return c, nil
}

// applies says whether the rule's language covers the text: a zh rule applies to text with
// Chinese characters, an en rule to text with Latin letters, whatever the conversation's language
// (an agent may answer an English conversation in Chinese); lang adds the conversation's language.
func (c *compiled) applies(n *normalized, lang string) bool {
	switch c.Language {
	case "zh":
		return n.han || lang == "zh"
	case "en":
		return n.latin || lang == "en"
	}
	return true
}

// spans returns the byte spans of n.s where the rule matches, before exceptions.
func (c *compiled) spans(n *normalized) [][2]int {
	var out [][2]int
	switch c.Match {
	case MatchRegex:
		for _, m := range c.re.FindAllStringIndex(n.s, 100) {
			out = append(out, [2]int{m[0], m[1]})
		}
	default:
		if c.phrase == "" {
			return nil
		}
		for off := 0; off < len(n.s) && len(out) < 100; {
			i := strings.Index(n.s[off:], c.phrase)
			if i < 0 {
				break
			}
			s, e := off+i, off+i+len(c.phrase)
			if c.Match != MatchWord || wordBounded(n.s, s, e) {
				out = append(out, [2]int{s, e})
			}
			_, size := utf8.DecodeRuneInString(n.s[s:])
			off = s + size
		}
	}
	return out
}

// isWordRune is a character that continues an alphabetic word. Chinese and Japanese characters
// are not: words there have no spaces, so "退款refund" still holds the word "refund".
func isWordRune(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordBounded reports whether s[start:end] is a whole word: no word character joins either end.
func wordBounded(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		first, _ := utf8.DecodeRuneInString(s[start:])
		if isWordRune(r) && isWordRune(first) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		last, _ := utf8.DecodeLastRuneInString(s[:end])
		if isWordRune(r) && isWordRune(last) {
			return false
		}
	}
	return true
}

// excepted reports whether the span lies inside an occurrence of one of the rule's exceptions.
func (c *compiled) excepted(n *normalized, s, e int) bool {
	for _, ex := range c.exceptions {
		// Any occurrence covering [s, e) starts no later than s and no earlier than e-len(ex).
		from := max(e-len(ex), 0)
		for off := from; off <= s && off < len(n.s); {
			i := strings.Index(n.s[off:], ex)
			if i < 0 || off+i > s {
				break
			}
			if off+i+len(ex) >= e {
				return true
			}
			off += i + 1
		}
	}
	return false
}

// RuleSet is the active rules, compiled; it is read-only and safe to share.
type RuleSet struct {
	rules []compiled
}

// NewRuleSet compiles rules (inactive ones are left out); a rule that no longer compiles is
// skipped and reported.
func NewRuleSet(rules []Rule) (*RuleSet, []error) {
	rs := &RuleSet{}
	var errs []error
	for _, r := range rules {
		if !r.Active {
			continue
		}
		c, err := compile(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rs.rules = append(rs.rules, c)
	}
	return rs, errs
}

// Len is the number of active rules.
func (rs *RuleSet) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.rules)
}

// Check returns where text breaks a rule, in the order of the text. lang is the language of the
// conversation or template ("zh", "en", or "" when unknown).
func (rs *RuleSet) Check(text, lang string) []Hit {
	if rs == nil || len(rs.rules) == 0 || text == "" {
		return nil
	}
	n := normalize(text)
	var hits []Hit
	runes := []rune(text)
	for i := range rs.rules {
		c := &rs.rules[i]
		if !c.applies(&n, lang) {
			continue
		}
		for _, sp := range c.spans(&n) {
			if c.excepted(&n, sp[0], sp[1]) {
				continue
			}
			start, end := n.at[sp[0]], n.at[sp[1]]
			if start == end {
				continue
			}
			hits = append(hits, Hit{RuleID: c.ID, Phrase: c.Phrase, Action: c.Action, Start: start, End: end,
				Text: string(runes[start:end])})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	return hits
}
