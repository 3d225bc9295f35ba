package slots

import (
	"regexp"
	"strings"
)

// A free-text slot is normally read only from the answer to its own question: any message is
// "some text". A message may still say plainly which text it gives: "把订单A1234581的地址改成杭州市
// 西湖区文三路90号", "please send order A1234581 to 1 Queen Street, Auckland". Cued reads such a
// value wherever the message comes: the slot's subject followed by a change verb ("地址改成",
// "change the address … to", "new address is"), or, for an address, a sending verb ("寄到",
// "send … to").

// textSubject is what a text slot holds, known from a word of its name (new_address → address)
// or from Spec.Keywords.
type textSubject struct {
	nouns []string // zh and en, lower-case
	sends bool     // "寄到 X", "send … to X" give it
}

var textSubjects = map[string]textSubject{
	"address": {nouns: []string{"收货地址", "收件地址", "配送地址", "送货地址", "邮寄地址", "地址", "delivery address", "shipping address", "address"}, sends: true},
	"addr":    {nouns: []string{"收货地址", "地址", "address"}, sends: true},
	"title":   {nouns: []string{"发票抬头", "抬头", "invoice title", "title"}},
	"name":    {nouns: []string{"姓名", "名字", "name"}},
	"note":    {nouns: []string{"备注", "说明", "note"}},
	"remark":  {nouns: []string{"备注", "remark"}},
	"comment": {nouns: []string{"备注", "留言", "comment"}},
}

const (
	cueZHChange  = `(?:要|需要|请|帮我)?(?:改成|改为|换成|更改为|修改为|更新为|改到|写成|开成)`
	cueZHSend    = `(?:改寄到|改送到|改发到|寄到|送到|发到|寄往|送往)`
	cueENChange  = `\b(?:change|changed|update|correct|fix|switch|set|move)\b`
	cueENSend    = `\b(?:send|ship|deliver|redirect|forward)\b`
	cueENWords   = `(?:\s+[^\s,.!?;:]+){0,5}?`
	cueVagueHead = `^(?:(?:my|our|your|his|her|their|a|an|another|other|the same|some|me|you|us|him|them|it|this|that|there|here|where)\b|我的|我们|你们|别的|其他|另一|公司$|家里|那里|这里|哪里)`
)

var cueVague = regexp.MustCompile(cueVagueHead)

// cueRegexps builds the cues of a text slot: each ends where the value starts.
func cueRegexps(spec Spec) []*regexp.Regexp {
	var subj textSubject
	for _, w := range strings.FieldsFunc(strings.ToLower(spec.Name), func(r rune) bool { return r == '_' || r == '-' || r == ' ' }) {
		if s, ok := textSubjects[w]; ok {
			subj.nouns = append(subj.nouns, s.nouns...)
			subj.sends = subj.sends || s.sends
		}
	}
	for _, k := range spec.Keywords {
		subj.nouns = append(subj.nouns, strings.ToLower(normalize(k, foldWidth).s))
	}
	if len(subj.nouns) == 0 {
		return nil
	}
	var zh, en []string
	for _, n := range subj.nouns {
		if isLatin(n) {
			en = append(en, regexp.QuoteMeta(n))
		} else {
			zh = append(zh, regexp.QuoteMeta(n))
		}
	}
	var out []*regexp.Regexp
	if len(zh) > 0 {
		nouns := `(?:` + strings.Join(zh, "|") + `)`
		out = append(out, rx(nouns+`[^,。!?;]{0,6}?`+cueZHChange+`\s*`), rx(`新的?`+nouns+`(?:是|为|:)\s*`))
	}
	if len(en) > 0 {
		nouns := `\b(?:` + strings.Join(en, "|") + `)\b`
		out = append(out,
			rx(cueENChange+`(?:\s+[^\s,.!?;:]+){0,3}?\s+`+nouns+cueENWords+`\s+to\s+`),
			rx(`\b(?:new|correct|right)\s+`+nouns+`\s*(?:is|should be|will be|:|=)\s*`),
			rx(nouns+`\s*(?:should be|:|=)\s*`))
	}
	if subj.sends {
		out = append(out, rx(cueZHSend+`\s*`), rx(cueENSend+cueENWords+`\s+to\s+`))
	}
	return out
}

// Cued returns the value a message gives a text slot with a cue (see above), when the slot is
// not being asked for; ok is false when there is none or it is not a valid value (too short, no
// match for the pattern, or only a vague "my office", "别的地方"). taken are spans other slots
// claimed, in x's text offsets; they are trimmed off the value's edges as [ExtractAll] does.
func Cued(x Extractor, text string, taken [][2]int) (Match, bool) {
	e, ok := x.(textExtractor)
	if !ok || len(e.cues) == 0 {
		return Match{}, false
	}
	n := normalize(text, foldLower)
	for _, re := range e.cues {
		for _, m := range re.FindAllStringIndex(n.s, -1) {
			start, _ := n.orig(m[1], m[1])
			rest := text[start:]
			var claims []claim
			for _, t := range taken {
				if t[0] >= start {
					claims = append(claims, claim{start: t[0] - start, end: t[1] - start, kind: KindOrderID})
				}
			}
			r := e.extract(rest, claims)
			if len(r.Matches) == 0 || cueVague.MatchString(strings.ToLower(r.Matches[0].Value)) {
				continue
			}
			v := r.Matches[0]
			v.Start += start
			v.End += start
			return v, true
		}
	}
	return Match{}, false
}
