package bot

import (
	"context"
	"sort"
	"strconv"

	"github.com/baton-cs/baton/internal/compliance"
)

// screen checks the bot's replies against the compliance rules before they are stored. A reply
// with a blocked phrase (a knowledge-base article or a slot value that says what the business
// must not) is not sent: the customer gets the bot's "I can't answer that" with the offer of a
// person — the same path as a question the bot cannot answer, so "yes" hands off with the
// question and a rephrased question may be answered — rather than an unasked-for handoff. When
// the turn already hands off, the standard handoff words replace it. Warnings cannot be put to
// anyone here: the reply is sent and the hit logged as warned. It returns the hits to log.
func (s *Service) screen(ctx context.Context, question string, out *Outcome) []compliance.Hit {
	if s.Compliance == nil || len(out.Replies) == 0 {
		return nil
	}
	rules, err := s.Compliance.Rules(ctx)
	if err != nil || rules.Len() == 0 {
		return nil // the rules cannot be read: the turn's own writes will fail on the same database
	}
	var all []compliance.Hit
	kept := out.Replies[:0]
	replaced := false
	for _, r := range out.Replies {
		hits := rules.Check(r.Text, out.Language)
		all = append(all, hits...)
		if !compliance.Blocking(hits) {
			kept = append(kept, r)
			continue
		}
		if replaced {
			continue // said once is enough
		}
		replaced = true
		meta := r.Meta
		meta.Reason = "compliance"
		if out.Handoff != nil {
			kept = append(kept, Reply{Text: say(out.Language, msgHandoff), Meta: meta})
			continue
		}
		meta.Kind = "dont_know"
		out.State.OfferedHuman = true
		out.State.LastUnanswered = question
		kept = append(kept, Reply{Text: say(out.Language, msgDontKnow), Meta: meta})
	}
	out.Replies = kept
	return all
}

// TemplateHit is a compliance hit in one of the definition's templates, e.g.
// "intents.order_status.action.reply" in zh.
type TemplateHit struct {
	Template string `json:"template"`
	Language string `json:"language"`
	compliance.Hit
}

// Templates lists what the definition makes the bot say, by where it is written.
func Templates(def *Definition) map[string]Text {
	out := map[string]Text{}
	for _, in := range def.Intents {
		p := "intents." + in.Name
		for _, sl := range in.Slots {
			out[p+".slots."+sl.Name+".prompt"] = sl.Prompt
		}
		if a := in.Action; a != nil {
			out[p+".action.confirm"] = a.Confirm
			out[p+".action.reply"] = a.Reply
			if a.HTTP != nil {
				for code, r := range a.HTTP.OnStatus {
					out[p+".action.http.on_status."+strconv.Itoa(code)+".reply"] = r.Reply
				}
			}
		}
		if h := in.Handoff; h != nil {
			out[p+".handoff.reply"] = h.Reply
		}
	}
	return out
}

// CheckTemplates returns the compliance hits in def's templates, in a stable order.
func CheckTemplates(rules *compliance.RuleSet, def *Definition) []TemplateHit {
	if rules.Len() == 0 {
		return nil
	}
	t := Templates(def)
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []TemplateHit
	for _, n := range names {
		text := t[n]
		if text.ZH == text.EN { // one text for both languages
			for _, h := range rules.Check(text.ZH, "") {
				out = append(out, TemplateHit{Template: n, Hit: h})
			}
			continue
		}
		for _, lang := range []string{"zh", "en"} {
			s := text.ZH
			if lang == "en" {
				s = text.EN
			}
			for _, h := range rules.Check(s, lang) {
				out = append(out, TemplateHit{Template: n, Language: lang, Hit: h})
			}
		}
	}
	return out
}
