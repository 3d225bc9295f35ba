// Package pii finds personal data in free text (phone numbers, e-mail addresses, Chinese
// resident ID-card numbers and bank-card numbers) and masks it, for logs, exports, eval traces
// and the agent's view of customer details.
//
// Numbers are only masked when they look like what they claim to be: an ID card's check digit
// must be right (GB 11643) and a bank card's Luhn sum must be, so order numbers and amounts are
// left alone. Phone numbers are Chinese mobiles (1[3-9] and nine digits, with an optional +86)
// and international numbers written with a leading +.
package pii

import (
	"regexp"
	"strings"
)

// Kind names what a span of text was.
type Kind string

const (
	Phone    Kind = "phone"
	Email    Kind = "email"
	IDCard   Kind = "id_card"
	BankCard Kind = "bank_card"
)

// Kinds lists every kind, in the order they are looked for.
var Kinds = []Kind{Email, IDCard, BankCard, Phone}

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// Runs of digits that may be split by single spaces or hyphens (card numbers are written so),
	// with an optional trailing X for ID cards; checked digit by digit below.
	digitsRe = regexp.MustCompile(`\+?\d[\d \-]{8,26}\d[Xx]?|\d{17}[Xx]`)
)

// Span is one piece of personal data found in a text: its byte offsets and kind.
type Span struct {
	Start, End int
	Kind       Kind
}

// Find returns the personal data in s, in order and not overlapping.
func Find(s string) []Span {
	var spans []Span
	for _, m := range emailRe.FindAllStringIndex(s, -1) {
		spans = append(spans, Span{m[0], m[1], Email})
	}
	for _, m := range digitsRe.FindAllStringIndex(s, -1) {
		if overlaps(spans, m[0], m[1]) {
			continue
		}
		// Not a fragment of a longer token (an order id like AB12345678901).
		if m[0] > 0 && isWordByte(s[m[0]-1]) || m[1] < len(s) && isWordByte(s[m[1]]) {
			continue
		}
		spans = append(spans, inRun(s, m[0], m[1])...)
	}
	sortSpans(spans)
	return spans
}

// inRun finds the personal data in s[a:b], a run of digit groups: the whole run, or else the
// longest runs of whole groups from the left ("13812345678 2" holds a phone and a count).
func inRun(s string, a, b int) []Span {
	if k, ok := classify(s[a:b]); ok {
		return []Span{{a, b, k}}
	}
	type group struct{ start, end int }
	var groups []group
	for i := a; i < b; {
		if s[i] == ' ' || s[i] == '-' {
			i++
			continue
		}
		j := i + 1
		for j < b && s[j] != ' ' && s[j] != '-' {
			j++
		}
		groups = append(groups, group{i, j})
		i = j
	}
	var spans []Span
	for i := 0; i < len(groups); {
		found := false
		for j := len(groups) - 1; j >= i; j-- {
			if k, ok := classify(s[groups[i].start:groups[j].end]); ok {
				spans = append(spans, Span{groups[i].start, groups[j].end, k})
				i, found = j+1, true
				break
			}
		}
		if !found {
			i++
		}
	}
	return spans
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

func overlaps(spans []Span, a, b int) bool {
	for _, sp := range spans {
		if a < sp.End && sp.Start < b {
			return true
		}
	}
	return false
}

func sortSpans(spans []Span) {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].Start < spans[j-1].Start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
}

// classify says what a run of digits is, if it is personal data.
func classify(run string) (Kind, bool) {
	plus := strings.HasPrefix(run, "+")
	var d strings.Builder
	x := false
	for _, r := range run {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == 'X' || r == 'x':
			x = true
		}
	}
	digits := d.String()
	switch {
	case x:
		if len(digits) == 17 && idCardValid(digits+"X") {
			return IDCard, true
		}
		return "", false
	case plus:
		if strings.HasPrefix(digits, "86") && len(digits) == 13 && chinaMobile(digits[2:]) {
			return Phone, true
		}
		if len(digits) >= 8 && len(digits) <= 15 {
			return Phone, true
		}
		return "", false
	case len(digits) == 18 && idCardValid(digits):
		return IDCard, true
	case len(digits) == 11 && chinaMobile(digits):
		return Phone, true
	case len(digits) >= 13 && len(digits) <= 19 && luhn(digits):
		return BankCard, true
	}
	return "", false
}

func chinaMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}

// idCardValid checks an 18-character resident ID number's check character (GB 11643-1999).
func idCardValid(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	return last == check
}

func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// Mask replaces the personal data in s by a masked form that keeps enough to recognise it
// (an e-mail's first letter and domain, a phone's first 3 and last 4 digits, a card's or ID's
// last 4), e.g. "138****5678", "a***@example.com", "**************1234".
func Mask(s string) string {
	spans := Find(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.Start])
		b.WriteString(MaskValue(sp.Kind, s[sp.Start:sp.End]))
		last = sp.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// MaskValue masks one value known to be of kind k (a customer's e-mail or phone field).
func MaskValue(k Kind, v string) string {
	if v == "" {
		return v
	}
	switch k {
	case Email:
		at := strings.LastIndexByte(v, '@')
		if at <= 0 {
			return strings.Repeat("*", len(v))
		}
		return v[:1] + "***" + v[at:]
	case Phone:
		switch {
		case strings.HasPrefix(v, "+86"):
			return keepEnds(v, 5, 4)
		case strings.HasPrefix(v, "+"):
			return keepEnds(v, 4, 4)
		}
		return keepEnds(v, 3, 4)
	default:
		return keepEnds(v, 0, 4)
	}
}

// keepEnds keeps the first and last digits of v and stars the digits between, leaving
// separators (spaces, hyphens, a leading +) where they were.
func keepEnds(v string, first, last int) string {
	n := 0
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= '0' && c <= '9' || c == 'X' || c == 'x' {
			n++
		}
	}
	if n <= first+last {
		return strings.Repeat("*", len(v))
	}
	var b strings.Builder
	seen := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= '0' && c <= '9' || c == 'X' || c == 'x' {
			seen++
			if seen > first && seen <= n-last {
				b.WriteByte('*')
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
