package slots

import (
	"github.com/baton-cs/baton/internal/textdist"
	"strings"
)

// enumExtractor finds the mentions of an enum's values by their synonyms, case- and
// width-insensitively; English synonyms of five letters or more also match with one typo.
type enumExtractor struct {
	spec    Spec
	phrases []enumPhrase
}

type enumPhrase struct {
	text  string // folded: lower-case, half-width, no apostrophes, single spaces
	value string
	latin bool
}

func newEnum(spec Spec, fail func(string, ...any) error) (Extractor, error) {
	if len(spec.Values) == 0 {
		return nil, fail("enum without values")
	}
	owner, values := map[string]string{}, map[string]bool{}
	e := enumExtractor{spec: spec}
	for _, v := range spec.Values {
		if strings.TrimSpace(v.Value) == "" {
			return nil, fail("enum value without a name")
		}
		if values[v.Value] {
			return nil, fail("enum value %q listed twice", v.Value)
		}
		values[v.Value] = true
		for _, p := range append([]string{v.Value}, v.Synonyms...) {
			f := foldPhrase(p)
			if f == "" {
				continue
			}
			if o, dup := owner[f]; dup {
				if o != v.Value {
					return nil, fail("synonym %q belongs to both %q and %q", p, o, v.Value)
				}
				continue
			}
			owner[f] = v.Value
			e.phrases = append(e.phrases, enumPhrase{text: f, value: v.Value, latin: isLatin(f)})
		}
	}
	return e, nil
}

func foldPhrase(s string) string {
	return strings.TrimSpace(normalize(s, foldLower|foldLoose).s)
}

func (e enumExtractor) Spec() Spec { return e.spec }

func (e enumExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldLower|foldLoose)
	return result(n, e.candidates(n))
}

// Options lists the values in lang for a re-ask, see Options.
func (e enumExtractor) Options(lang string) []string { return Options(e.spec, lang) }

func (e enumExtractor) candidates(n *normText) []cand {
	var cs []cand
	for _, p := range e.phrases {
		for off := 0; off < len(n.s); {
			i := strings.Index(n.s[off:], p.text)
			if i < 0 {
				break
			}
			s, end := off+i, off+i+len(p.text)
			off = s + 1
			if p.latin && (isASCIIAlnum(n.runeBefore(s)) && isASCIIAlnum(rune(p.text[0])) || isASCIIAlnum(n.runeAfter(end)) && isASCIIAlnum(rune(p.text[len(p.text)-1]))) {
				continue
			}
			cs = append(cs, cand{s: s, e: end, value: p.value, kind: KindEnum})
		}
	}
	cs = append(cs, e.typoCandidates(n)...)
	return pickLongest(cs)
}

// typoCandidates matches English synonyms of five letters or more against runs of as many words
// with one edit (a letter wrong, missing, extra or two swapped): "damagd", "defectve".
func (e enumExtractor) typoCandidates(n *normText) []cand {
	words := latinWordRe.FindAllStringIndex(n.s, -1)
	var cs []cand
	for _, p := range e.phrases {
		if !p.latin || len(p.text) < 5 {
			continue
		}
		k := strings.Count(p.text, " ") + 1
		for i := 0; i+k <= len(words); i++ {
			s, end := words[i][0], words[i+k-1][1]
			window := n.s[s:end]
			if strings.Count(window, " ") != k-1 || window == p.text {
				continue
			}
			if d := textdist.Distance(window, p.text, 1); d == 1 {
				cs = append(cs, cand{s: s, e: end, value: p.value, kind: KindEnum})
			}
		}
	}
	return cs
}

var latinWordRe = rx(`[a-z0-9]+`)
