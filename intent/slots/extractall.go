package slots

import "sort"

// tier ranks kinds from most to least specific; a span a more specific kind matched is not read
// again by a less specific one. Kinds in one tier (date, time, datetime) may share spans.
func tier(k Kind) int {
	switch k {
	case KindOrderID:
		return 0
	case KindEmail:
		return 1
	case KindPhone:
		return 2
	case KindDateTime, KindDate, KindTime:
		return 3
	case KindMoney:
		return 4
	case KindNumber:
		return 5
	case KindEnum:
		return 6
	}
	return 7
}

const lastSpecificTier = 4

// ExtractAll runs every extractor on text and settles what they claim, keyed by slot name:
//   - matches of the specific kinds (order_id, email, phone, date/time/datetime, money) are kept
//     in that order of precedence, dropping any that overlap one kept from an earlier kind, so the
//     digits of "A1234567" are no phone and a phone is no amount;
//   - an invalid attempt at a specific kind is dropped when another slot matched its span, and
//     otherwise keeps number, enum and text away from it ("订单号 12345" is a bad order number,
//     not the quantity 12345);
//   - number and enum take only what the specific kinds left;
//   - text is the message with claimed values at its edges trimmed off (see the text kind).
func ExtractAll(text string, env Env, exts []Extractor) map[string]Result {
	type run struct {
		ext  Extractor
		tier int
		res  Result
	}
	runs := make([]*run, len(exts))
	for i, x := range exts {
		runs[i] = &run{ext: x, tier: tier(x.Spec().Kind)}
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].tier < runs[j].tier })
	overlaps := func(s, e int, cs []claim) bool {
		for _, c := range cs {
			if s < c.end && c.start < e {
				return true
			}
		}
		return false
	}
	var matched, attempts []claim
	// Specific matches, tier by tier.
	for i := 0; i < len(runs); {
		j := i
		var tierClaims []claim
		for ; j < len(runs) && runs[j].tier == runs[i].tier && runs[j].tier <= lastSpecificTier; j++ {
			r := runs[j]
			r.res = r.ext.Extract(text, env)
			kept := r.res.Matches[:0:0]
			for _, m := range r.res.Matches {
				if !overlaps(m.Start, m.End, matched) {
					kept = append(kept, m)
					tierClaims = append(tierClaims, claim{m.Start, m.End, r.ext.Spec().Kind})
				}
			}
			r.res.Matches = kept
		}
		if j == i {
			break
		}
		matched = append(matched, tierClaims...)
		i = j
	}
	// Specific attempts, against every specific match but their own.
	for _, r := range runs {
		if r.tier > lastSpecificTier {
			break
		}
		kept := r.res.Invalid[:0:0]
		for _, inv := range r.res.Invalid {
			if !overlaps(inv.Start, inv.End, matched) {
				kept = append(kept, inv)
				attempts = append(attempts, claim{inv.Start, inv.End, r.ext.Spec().Kind})
			}
		}
		r.res.Invalid = kept
	}
	taken := append(append([]claim(nil), matched...), attempts...)
	out := make(map[string]Result, len(runs))
	for _, r := range runs {
		switch {
		case r.tier <= lastSpecificTier:
		case r.ext.Spec().Kind == KindText:
			if t, ok := r.ext.(textExtractor); ok {
				r.res = t.extract(text, taken)
			} else {
				r.res = r.ext.Extract(text, env)
			}
		default:
			res := r.ext.Extract(text, env)
			r.res = Result{}
			for _, m := range res.Matches {
				if !overlaps(m.Start, m.End, taken) {
					r.res.Matches = append(r.res.Matches, m)
				}
			}
			for _, inv := range res.Invalid {
				if !overlaps(inv.Start, inv.End, taken) {
					r.res.Invalid = append(r.res.Invalid, inv)
				}
			}
		}
		out[r.ext.Spec().Name] = r.res
	}
	return out
}
