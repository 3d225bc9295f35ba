package bot

import (
	"strings"

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

// onlyValues: text has no word of three letters or more besides identifiers ("A1234567",
// "订单号A1234567" has 订单号, which says no more than the value does).
func onlyValues(text string) bool {
	words := 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == ',' || r == '.' || r == ':' || r == '#' || r == '，' || r == '：' || r == '。'
	}) {
		letters, digits := 0, 0
		for _, r := range f {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r < 0x80:
				letters++
			case !strings.ContainsRune("订单号编码是", r):
				letters += 2
			}
		}
		if digits == 0 && letters >= 3 {
			words++
		}
	}
	return words == 0
}
