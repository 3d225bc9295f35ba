package slots

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// defaultOrderKeywords mark the token after them as an attempt at an order number.
var defaultOrderKeywords = []string{"订单号码", "订单号", "订单编号", "订单", "单号", "order number", "order no.", "order no",
	"order id", "order #", "order", "#"}

// otherNumberRefs name numbers that are not order numbers: a noun and a number marker ("invoice
// #00108", "see bill #12588", "ticket no. 555", "发票号12345", "快递单号SF1234567890"). The token
// after one is that thing's number, so it neither fills an identifier slot nor counts as a
// mistyped one, unless the slot's own keywords name it (a tracking-number slot with the keyword
// "tracking number"). A noun without a marker proves nothing ("return A1234567").
var otherNumberRefs = func() []string {
	var out []string
	for _, n := range []string{"invoice", "bill", "receipt", "ticket", "case", "tracking", "waybill", "reference", "ref",
		"phone", "mobile", "room", "flight", "seat", "card", "coupon", "voucher", "promo", "serial", "sku", "tax", "vat",
		"transaction", "member", "membership", "return", "rma", "refund", "account", "item", "model", "postcode", "zip"} {
		for _, m := range []string{" #", "#", " no", " no.", " number", " num", " id", " code"} {
			out = append(out, n+m)
		}
	}
	for _, n := range []string{"发票", "票", "快递", "运", "物流", "工", "退货", "退款", "交易", "流水", "会员", "申请", "房间",
		"航班", "座位", "卡", "银行卡", "账", "手机", "电话", "优惠", "兑换", "序列", "税"} {
		for _, m := range []string{"号", "号码", "编号", "单号", "码", "#"} {
			out = append(out, n+m)
		}
	}
	return out
}()

// currencyPrefixes are letter prefixes that make "RMB2000" an amount rather than a mistyped id.
var currencyPrefixes = []string{"RMB", "CNY", "USD", "EUR", "GBP", "HKD", "JPY", "US", "HK"}

var idTokenRe = regexp.MustCompile(`[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*`)

// orderIDExtractor finds identifiers matching a pattern; it serves order numbers by default and
// any other code (tax id, tracking number) given its pattern and keywords.
type orderIDExtractor struct {
	spec     Spec
	re       *regexp.Regexp
	example  string
	keywords []string
}

func newOrderID(spec Spec, fail func(string, ...any) error) (Extractor, error) {
	pattern := spec.Pattern
	if pattern == "" {
		pattern = DefaultOrderPattern
	}
	re, err := compilePattern(pattern)
	if err != nil {
		return nil, fail("bad pattern: %v", err)
	}
	example := strings.ToUpper(spec.Example)
	if example == "" {
		example = patternExample(pattern)
	} else if !re.MatchString(example) {
		return nil, fail("example %q does not match pattern %q", spec.Example, pattern)
	}
	kws := spec.Keywords
	if len(kws) == 0 {
		kws = defaultOrderKeywords
	}
	e := orderIDExtractor{spec: spec, re: re, example: example}
	for _, k := range kws {
		e.keywords = append(e.keywords, strings.ToLower(normalize(k, foldWidth).s))
	}
	return e, nil
}

func (e orderIDExtractor) Spec() Spec { return e.spec }

func (e orderIDExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, e.candidates(n))
}

// canonical returns the upper-cased token, with its dashes if the pattern wants them, else
// without, or "" when neither matches.
func (e orderIDExtractor) canonical(tok string) string {
	up := strings.ToUpper(tok)
	if e.re.MatchString(up) {
		return up
	}
	if stripped := strings.ReplaceAll(up, "-", ""); e.re.MatchString(stripped) {
		return stripped
	}
	return ""
}

// candidates reads each letters-and-digits token; a token that fails the pattern joins the next
// one or two across a single space ("A123 4567"), and if still failing is reported as an attempt
// when it follows a keyword or is shaped like an id (letters then at least four digits).
func (e orderIDExtractor) candidates(n *normText) []cand {
	toks := idTokenRe.FindAllStringIndex(n.s, -1)
	var cs []cand
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if n.runeAfter(t[1]) == '@' || n.runeBefore(t[0]) == '@' {
			continue // part of an email address
		}
		if e.namesOtherThing(n.s[:t[0]]) {
			continue
		}
		if v := e.canonical(n.s[t[0]:t[1]]); v != "" {
			cs = append(cs, cand{s: t[0], e: t[1], value: v, kind: KindOrderID})
			continue
		}
		if k := gluedKeyword(n.s[t[0]:t[1]]); k > 0 {
			if v := e.canonical(n.s[t[0]+k : t[1]]); v != "" {
				cs = append(cs, cand{s: t[0] + k, e: t[1], value: v, kind: KindOrderID})
				continue
			}
		}
		joined := false
		var b strings.Builder
		b.WriteString(n.s[t[0]:t[1]])
		for j := i + 1; j < len(toks) && j <= i+2 && joinable(n.s[t[0]:t[1]]); j++ {
			if gap := n.s[toks[j-1][1]:toks[j][0]]; gap != " " && gap != "-" && gap != " - " || !allDigits(n.s[toks[j][0]:toks[j][1]]) {
				break
			}
			b.WriteString(n.s[toks[j][0]:toks[j][1]])
			if v := e.canonical(b.String()); v != "" {
				cs = append(cs, cand{s: t[0], e: toks[j][1], value: v, kind: KindOrderID})
				i, joined = j, true
				break
			}
		}
		if !joined && e.looksLikeAttempt(n, t[0], t[1]) {
			cs = append(cs, cand{s: t[0], e: t[1], reason: reasonFormat(rawOf(n, t), e.spec, e.example), kind: KindOrderID})
		}
	}
	return cs
}

// joinable reports whether a token may start an id written in parts: it has digits ("A123 4567")
// or is a capitalised prefix ("JD 20261121001"), but is not a word ("is 138 1234") or "I".
func joinable(tok string) bool {
	if tok == "I" {
		return false
	}
	return strings.ContainsAny(tok, "0123456789") || strings.ToUpper(tok) == tok
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// gluedKeyword returns the length of an English keyword written straight before an id
// ("orderA1234567", "No12345678"), or 0.
func gluedKeyword(tok string) int {
	l := strings.ToLower(tok)
	for _, k := range []string{"order", "ord", "no", "id"} {
		if strings.HasPrefix(l, k) && len(l) > len(k) {
			return len(k)
		}
	}
	return 0
}

var idShapeRe = regexp.MustCompile(`^[A-Za-z]{1,4}-?\d{4,}$`)

func (e orderIDExtractor) looksLikeAttempt(n *normText, s, end int) bool {
	tok := n.s[s:end]
	if strings.Trim(tok, "0123456789-") == "" && strings.Contains(tok, "-") {
		return false // a date or a phone number written with dashes
	}
	digits := 0
	for _, r := range tok {
		if isDigit(r) {
			digits++
		}
	}
	if digits >= 3 && e.afterKeyword(n.s[:s]) {
		return true
	}
	if !idShapeRe.MatchString(tok) {
		return false
	}
	letters := strings.ToUpper(strings.TrimRight(tok, "0123456789-"))
	for _, p := range currencyPrefixes {
		if letters == p {
			return false // "RMB2000" is an amount
		}
	}
	return true
}

// namesOtherThing reports whether before ends with a reference to another kind of number (see
// otherNumberRefs) rather than with one of the extractor's keywords.
func (e orderIDExtractor) namesOtherThing(before string) bool {
	if len(before) > edgeBytes {
		w := len(before) - edgeBytes
		for w < len(before) && !utf8.RuneStart(before[w]) {
			w++
		}
		before = before[w:]
	}
	b := strings.ToLower(strings.TrimRight(before, " :="))
	other := ""
	for _, r := range otherNumberRefs {
		if len(r) > len(other) && strings.HasSuffix(b, r) &&
			!(isLatin(r) && len(b) > len(r) && isASCIIAlnum(rune(b[len(b)-len(r)-1]))) {
			other = r
		}
	}
	return other != "" && len(other) > len(keywordSuffix(before, e.keywords))
}

// afterKeyword reports whether before ends with one of the keywords; "order #12345" counts
// through "order" since "#" is trimmed as a separator.
func (e orderIDExtractor) afterKeyword(before string) bool {
	if strings.HasSuffix(strings.TrimRight(before, " "), "#") {
		return true
	}
	return endsWithKeyword(before, e.keywords)
}

func isLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
