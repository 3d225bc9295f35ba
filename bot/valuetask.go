package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/intent/slots"
)

// A message the classifier could not place may still hold what a task needs: the order number
// the customer sends after the bot said "I don't know", "sorry, A1234574", or an order number and
// an address in words the examples never used. Such a value is the best clue to what the
// customer wants, so the bot continues the task that takes it rather than saying "I don't know"
// again.

// identifierKinds are the slot kinds whose values point at a task: a value of these kinds is
// something the customer only gives to get something done with it.
var identifierKinds = map[slots.Kind]bool{slots.KindOrderID: true, slots.KindPhone: true, slots.KindEmail: true}

// valueCandidates lists, in definition order, the task intents with an identifier slot that a
// value in text fills, and text without those values.
func (t *turn) valueCandidates(text string, among []string) ([]*Intent, string) {
	env := slots.Env{Now: t.now(), Loc: t.e.loc, Lang: t.lang}
	var out []*Intent
	var spans [][2]int
	for i := range t.e.Def.Intents {
		in := &t.e.Def.Intents[i]
		if !in.IsTask() || among != nil && !contains(among, in.Name) {
			continue
		}
		found := false
		for _, s := range in.Slots {
			if !identifierKinds[s.Kind] {
				continue
			}
			for _, m := range t.e.extractors[in.Name][s.Name].Extract(text, env).Matches {
				spans = append(spans, [2]int{m.Start, m.End})
				found = true
			}
		}
		if found {
			out = append(out, in)
		}
	}
	return out, cutSpans(text, spans)
}

// taskForValue picks the task a message holding an identifier most likely continues, among the
// tasks that take the value (and the given intents, if any): the one the question the bot could
// not answer just before (context) points at, that is, the classifier ranks it first, even below
// the threshold ("where's my parcel?" refused, then "A1234567"); else the one this message's
// other words point at ("sorry, A1234574"); else the first of them in the definition, so a bare
// order number with nothing before it starts the task listed first (track_order in the demo
// bot). The numbers' own features are left out of that reading: which letter the examples' order
// numbers begin with says nothing. The second result is the chosen task's probability in the
// reading that chose it (0 for the definition's order).
func (t *turn) taskForValue(context, text string, among []string) (*Intent, float64) {
	cands, words := t.valueCandidates(text, among)
	if len(cands) == 0 {
		return nil, 0
	}
	for _, said := range []string{context, words} {
		if strings.TrimSpace(said) == "" || onlyValues(said) {
			continue
		}
		top := t.e.Model.Predict(said).Ranked[0]
		for _, c := range cands {
			if c.Name == top.Intent {
				return c, top.Prob
			}
		}
	}
	return cands[0], 0
}

// codeRe matches a code: letters, digits and dashes with at least one digit.
var codeRe = regexp.MustCompile(`[a-z0-9-]*[0-9][a-z0-9-]*`)

// valueWords say no more than the value beside them: "order A1234567", "订单号是B7654321".
var valueWords = []string{"order", "number", "its", "it's", "the"}

// onlyValues: text holds nothing but codes and the words that name them ("A1234567", "订单号是
// B7654321", "order a1234567"): no word that says what the customer wants done.
func onlyValues(text string) bool {
	rest := codeRe.ReplaceAllString(intent.Normalize(text), " ")
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if w[0] < utf8.RuneSelf {
			if len(w) >= 3 && !contains(valueWords, w) {
				return false
			}
			continue
		}
		for _, r := range w {
			if !strings.ContainsRune("订单号码编是为的", r) {
				return false
			}
		}
	}
	return true
}
