package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baton-cs/baton/intent"
)

// dontKnowPhrases answer a question for a value with "I don't have it": the customer tried and
// failed, so the bot counts it as a failed answer (towards max_retries) instead of looking the
// words up in the knowledge base.
var dontKnowPhrases = []string{"不知道", "不清楚", "找不到", "忘了", "忘记了", "不记得", "记不得", "记不清", "想不起来", "没有订单号",
	"don't know", "dont know", "do not know", "no idea", "not sure", "dunno", "idk", "can't find", "cant find",
	"cannot find", "forgot", "don't remember", "dont remember", "can't remember", "cant remember", "don't have it",
	"dont have it", "lost it", "no clue"}

// isDontKnow: a short message saying the customer does not have the value ("no idea",
// "我找不到订单号", "不知道啊"), not a question.
func isDontKnow(text string) bool {
	t := strings.ReplaceAll(intent.Normalize(text), "’", "'")
	if utf8.RuneCountInString(t) > 30 || strings.ContainsAny(t, "?？吗") {
		return false
	}
	for _, p := range dontKnowPhrases {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// cancelFillers may stand beside a cancel in its own clause: "不用了，取消吧", "ok, never mind".
var cancelFillers = []string{"不", "不用", "不用了", "不要了", "没事", "没事了", "好", "好的", "那", "那就", "嗯", "哦", "谢谢",
	"no", "nope", "ok", "okay", "oh", "hmm", "thanks", "no thanks", "sorry", "wait", "actually"}

// isCancelClauses: every clause of text is a cancel or a filler and one is a cancel.
func isCancelClauses(text string) bool {
	clauses := strings.FieldsFunc(intent.Normalize(text), func(r rune) bool {
		return strings.ContainsRune(",，。.!！?？;；、~", r)
	})
	cancel := false
	for _, c := range clauses {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
		case isCancelWhole(c):
			cancel = true
		case !contains(cancelFillers, c):
			return false
		}
	}
	return cancel
}

// holdsReference: the message carries a number of three digits or more (an order, invoice or
// ticket number), which small talk never does.
func holdsReference(text string) bool {
	run := 0
	for _, r := range text {
		if unicode.IsDigit(r) {
			run++
			if run >= 3 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}
