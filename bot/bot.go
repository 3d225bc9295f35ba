// Package bot takes the bot's turn on a customer message: hand off at once when asked for a person
// or met with a complaint, otherwise answer from the knowledge base with a citation, and when no
// article is close enough, say so and offer a person instead of guessing.
package bot

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/kb"
)

// Retriever finds knowledge-base articles for a question.
type Retriever interface {
	Search(ctx context.Context, q string, opt kb.SearchOptions) ([]kb.Result, error)
}

// State is what the bot remembers of a conversation between turns.
type State struct {
	OfferedHuman   bool   `json:"offered_human,omitempty"`
	LowConfStreak  int    `json:"low_conf_streak,omitempty"`
	LastUnanswered string `json:"last_unanswered,omitempty"`
}

// Reply is one bot message.
type Reply struct {
	Text      string
	Citations []conversation.Citation
}

// HandoffRequest asks for a person.
type HandoffRequest struct {
	Reason   string // human_request, complaint, low_confidence
	Question string // the customer's unanswered question, "" when there is none
}

// Outcome is the bot's decision for one turn.
type Outcome struct {
	Replies []Reply
	Handoff *HandoffRequest
	State   State
	// Language is the language the bot answered in.
	Language string
}

// Bot decides turns.
type Bot struct {
	KB Retriever
	// Threshold is the lowest retrieval score the bot answers from.
	Threshold float64
	// MaxLowConfidence is how many unanswered turns in a row hand off (default 2).
	MaxLowConfidence int
}

// maxAnswerRunes keeps an answer readable in a chat bubble; the citation leads to the rest.
const maxAnswerRunes = 900

// Decide takes the bot's turn on text given the conversation's language and the bot's memory.
func (b *Bot) Decide(ctx context.Context, text, convLang string, st State) (Outcome, error) {
	lang := replyLanguage(text, convLang)
	out := Outcome{State: st, Language: lang}

	switch trig := intent.DetectTrigger(text); trig {
	case intent.TriggerComplaint, intent.TriggerHumanRequest:
		q := intent.Substance(text)
		if q == "" {
			q = st.LastUnanswered
		}
		out.Replies = []Reply{{Text: say(lang, msgHandoff)}}
		if trig == intent.TriggerComplaint {
			out.Replies = []Reply{{Text: say(lang, msgComplaint)}}
		}
		out.Handoff = &HandoffRequest{Reason: string(trig), Question: q}
		out.State = State{}
		return out, nil
	}

	if st.OfferedHuman {
		switch {
		case isYes(text):
			out.Replies = []Reply{{Text: say(lang, msgHandoff)}}
			out.Handoff = &HandoffRequest{Reason: "low_confidence", Question: st.LastUnanswered}
			out.State = State{}
			return out, nil
		case isNo(text):
			out.Replies = []Reply{{Text: say(lang, msgNoThanks)}}
			out.State = State{}
			return out, nil
		}
	}

	results, err := b.KB.Search(ctx, text, kb.SearchOptions{Language: lang, K: 3})
	if err != nil {
		return Outcome{}, err
	}
	if len(results) > 0 && results[0].Score >= b.Threshold {
		top := results[0]
		out.Replies = []Reply{{
			Text:      answerText(top.Body),
			Citations: []conversation.Citation{{ArticleID: top.ArticleID, Title: top.Title, Score: round3(top.Score)}},
		}}
		out.State = State{}
		return out, nil
	}

	maxLow := b.MaxLowConfidence
	if maxLow <= 0 {
		maxLow = 2
	}
	out.State.LowConfStreak++
	if out.State.LowConfStreak >= maxLow {
		q := text
		out.Replies = []Reply{{Text: say(lang, msgHandoffUnsure)}}
		out.Handoff = &HandoffRequest{Reason: "low_confidence", Question: q}
		out.State = State{}
		return out, nil
	}
	out.State.OfferedHuman = true
	out.State.LastUnanswered = text
	out.Replies = []Reply{{Text: say(lang, msgDontKnow)}}
	return out, nil
}

// replyLanguage answers in the language the customer writes in, falling back to the conversation's.
func replyLanguage(text, convLang string) string {
	han, latin := 0, 0
	for _, r := range text {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
			han++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			latin++
		}
	}
	switch {
	case han > 0:
		return "zh"
	case latin >= 2:
		return "en"
	case convLang == "zh":
		return "zh"
	}
	return "en"
}

func answerText(body string) string {
	body = strings.TrimSpace(body)
	if utf8.RuneCountInString(body) <= maxAnswerRunes {
		return body
	}
	r := []rune(body)
	return strings.TrimSpace(string(r[:maxAnswerRunes])) + "…"
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

var yesWords = []string{"yes", "y", "yeah", "yep", "sure", "ok", "okay", "please", "please do", "yes please",
	"是", "是的", "好", "好的", "好啊", "可以", "行", "嗯", "嗯嗯", "要", "需要", "对"}
var noWords = []string{"no", "nope", "no thanks", "not now", "不", "不用", "不用了", "不要", "算了", "没事"}

func isYes(text string) bool { return matchesShort(text, yesWords) }
func isNo(text string) bool  { return matchesShort(text, noWords) }

func matchesShort(text string, words []string) bool {
	t := strings.Trim(intent.Normalize(text), " .!?,。!?,~")
	for _, w := range words {
		if t == w {
			return true
		}
	}
	return false
}
