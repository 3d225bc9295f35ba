package slots

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

var (
	// textLead is politeness and the slot's own name before the answer: "你好,我的新地址是",
	// "my new address is", "改成", "because".
	textLead = []*regexp.Regexp{
		rx(`^(?:你好|您好|在吗|嗯+|呃+|那个|请问|麻烦(?:你|您)?|请|好的|好|是的|对|帮我|我想|我要|的)[\s,.!?,。!?~]*`),
		rx(`^(?:hi|hello|hey|please|pls|ok|okay|yes|sure)\b[\s,.!?~]*`),
		rx(`^(?:我的|我们的|我)?(?:新的?|现在的?|正确的?|收货|退货|退款|开票)*` +
			`(?:收货地址|地址|发票抬头|抬头|公司名称|公司名字|公司名|税号|纳税人识别号|原因|理由|问题|备注|名字|姓名)(?:\s*(?:是|为|写成?|:)|\s)[\s,:]*`),
		rx(`^(?:(?:my|our|the)\s+)?(?:(?:new|correct|shipping|delivery|return|refund|invoice)\s+)*` +
			`(?:address|invoice title|title|company name|tax id|tax number|reason|name|note|comment)\b\s*(?:is|should be|:|=)?[\s,:]*`),
		rx(`^把?(?:地址|抬头)?(?:改成|改为|换成|改到|寄到|送到|发到|写成|开成)\s*`),
		rx(`^(?:因为|由于)\s*`),
		rx(`^(?:(?:please\s+)?(?:change it to|change to|send it to|ship it to|ship to|send to|deliver to)|it'?s|it is|because(?: of)?|due to)\b\s*`),
	}
	// textTail is thanks and particles after the answer.
	textTail = rx(`[\s,.!?,。!?~]*(?:谢谢(?:你|您)?(?:们)?啦?|谢啦|多谢|感谢|哈+|哦+|呢|啊|呀|啦|的哈|` +
		`\b(?:thanks?(?: you)?(?: so much| a lot)?|thx|ty|please|pls|instead))[\s,.!?,。!?~]*$`)
	// textLabels name other slots; left over next to a value trimmed off the edge they go too.
	textLabels = rx(`(?:订单号码?|订单编号|订单|单号|电话号码|电话|手机号码?|手机|联系电话|联系方式|邮箱|退款|金额|日期|时间|在|于|` +
		`\b(?:order number|order no\.?|order|phone|tel|mobile|email|e-mail|refund|amount|date|time|at|on|by|around))[\s:,:,]*$`)
)

const textJunk = " ,.;:!?~-,。;:!?、~·…"

// edgeBytes bounds the labels and thanks looked for at the edges of a message.
const edgeBytes = 64

// tailWindow returns where in s[i:j] to start looking for a tail: at most edgeBytes from the end,
// on a rune boundary.
func tailWindow(s string, i, j int) int {
	w := max(i, j-edgeBytes)
	for w > i && w < j && !utf8.RuneStart(s[w]) {
		w++
	}
	return w
}

func isLabel(s string) bool {
	m := textLabels.FindStringIndex(s)
	return m != nil && m[0] == 0
}

type textExtractor struct {
	spec    Spec
	re      *regexp.Regexp // optional pattern
	example string
	cues    []*regexp.Regexp // see Cued
}

func newText(spec Spec, fail func(string, ...any) error) (Extractor, error) {
	e := textExtractor{spec: spec, example: spec.Example, cues: cueRegexps(spec)}
	if spec.Pattern != "" {
		re, err := compilePattern(spec.Pattern)
		if err != nil {
			return nil, fail("bad pattern: %v", err)
		}
		e.re = re
		if e.example == "" {
			e.example = patternExample(spec.Pattern)
		}
	}
	return e, nil
}

func (e textExtractor) Spec() Spec { return e.spec }

// Extract returns the whole message without greetings, the slot's name, thanks and particles.
func (e textExtractor) Extract(text string, env Env) Result {
	return e.extract(text, nil)
}

// claim is a span another extractor took, in original offsets, for ExtractAll.
type claim struct {
	start, end int
	kind       Kind
}

// extract also trims values other slots claimed at the edges of the message ("订单A1234567
// 想退货" gives the reason "想退货"): identifiers and amounts always, dates and times only
// when set off by a space or punctuation, since "昨天收到就坏了" is one thought.
func (e textExtractor) extract(text string, claims []claim) Result {
	n := normalize(text, foldLower)
	s, end := 0, len(n.s)
	var cs []cand
	for _, c := range claims {
		cs = append(cs, cand{s: n.fold(c.start), e: n.fold(c.end), kind: c.kind})
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].s < cs[j].s })
	for changed := true; changed; {
		changed = false
		s, end = trimJunk(n.s, s, end)
		for _, re := range textLead {
			if m := re.FindStringIndex(n.s[s:end]); m != nil && m[1] > 0 {
				s, changed = s+m[1], true
			}
		}
		// Tails and labels are short: look only at the last bytes, keeping long messages linear.
		w := tailWindow(n.s, s, end)
		if m := textTail.FindStringIndex(n.s[w:end]); m != nil && w+m[0] < end {
			end, changed = w+m[0], true
		}
		for _, c := range cs {
			if c.s < s || c.e > end || c.s-s > edgeBytes && end-c.e > edgeBytes {
				continue
			}
			date := c.kind == KindDate || c.kind == KindTime || c.kind == KindDateTime
			if pre := strings.Trim(n.s[s:c.s], textJunk); (pre == "" || len(pre) <= edgeBytes && isLabel(pre)) &&
				(!date || c.e == end || strings.ContainsRune(textJunk, n.runeAfter(c.e))) {
				s, changed = c.e, true
			} else if post := strings.Trim(n.s[c.e:end], textJunk); post == "" && (!date || c.s == s || strings.ContainsRune(textJunk, n.runeBefore(c.s))) {
				end, changed = c.s, true
				rest := strings.TrimRight(n.s[s:end], textJunk)
				w := tailWindow(rest, 0, len(rest))
				if m := textLabels.FindStringIndex(rest[w:]); m != nil {
					end = s + w + m[0]
				}
			}
		}
	}
	s, end = trimJunk(n.s, s, end)
	if end <= s {
		return Result{}
	}
	os, oe := n.orig(s, end)
	raw := text[os:oe]
	c := cand{s: s, e: end, value: raw, kind: KindText}
	runes := utf8.RuneCountInString(raw)
	switch {
	case e.spec.MinLen > 0 && runes < e.spec.MinLen:
		c.reason = reasonLength(true, runes, e.spec.MinLen)
	case e.spec.MaxLen > 0 && runes > e.spec.MaxLen:
		c.reason = reasonLength(false, runes, e.spec.MaxLen)
	case e.re != nil && !e.re.MatchString(normalize(raw, foldWidth).s):
		c.reason = reasonFormat(raw, e.spec, e.example)
	}
	return result(n, []cand{c})
}

func trimJunk(s string, i, j int) (int, int) {
	for i < j {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(textJunk, r) {
			break
		}
		i += size
	}
	for j > i {
		r, size := utf8.DecodeLastRuneInString(s[i:j])
		if !strings.ContainsRune(textJunk, r) {
			break
		}
		j -= size
	}
	return i, j
}
