// Package intent recognises what a customer wants. This first part finds the messages that must
// go to a person at once: an explicit request for one, and a complaint.
package intent

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Trigger is why a message hands off at once ("" for none).
type Trigger string

// Triggers, named as handoff reasons.
const (
	TriggerNone         Trigger = ""
	TriggerHumanRequest Trigger = "human_request"
	TriggerComplaint    Trigger = "complaint"
)

var humanPhrases = []string{
	"转人工", "人工客服", "人工服务", "真人客服", "找人工", "要人工", "接人工", "转接人工", "找客服", "联系客服", "真人",
	"人工", "客服小姐姐", "找个人",
	"talk to a human", "talk to human", "speak to a human", "speak with a human", "talk to a person", "speak to a person",
	"real person", "human agent", "live agent", "talk to someone", "speak to someone", "customer service representative",
	"representative", "talk to an agent", "speak to an agent", "connect me to an agent", "human please", "agent please",
	"get me a human", "operator",
}

var complaintPhrases = []string{
	"投诉", "太差了", "太差劲", "差评", "垃圾", "坑人", "骗子", "欺诈", "举报", "气死", "忍无可忍", "什么破", "太烂",
	"complaint", "complain", "terrible", "awful", "worst", "unacceptable", "ridiculous", "disgusting", "scam",
	"fraud", "rip off", "ripoff", "furious", "useless service", "horrible",
}

// Normalize folds width and case so "ＴＡＬＫ to a Human" matches "talk to a human".
func Normalize(text string) string {
	t := strings.ToLower(width.Narrow.String(text))
	return strings.Join(strings.FieldsFunc(t, func(r rune) bool { return unicode.IsSpace(r) }), " ")
}

// DetectTrigger reports whether text asks for a person or complains. A complaint wins over a
// request for a person, since it also sets a higher priority.
func DetectTrigger(text string) Trigger {
	t := Normalize(text)
	for _, p := range complaintPhrases {
		if containsPhrase(t, p) {
			return TriggerComplaint
		}
	}
	for _, p := range humanPhrases {
		if containsPhrase(t, p) {
			return TriggerHumanRequest
		}
	}
	return TriggerNone
}

// Substance returns what is left of text once the trigger phrases and filler are removed: the
// customer's actual question, if they asked one alongside "I want a person".
func Substance(text string) string {
	t := Normalize(text)
	for _, list := range [][]string{complaintPhrases, humanPhrases, fillers} {
		for _, p := range list {
			t = removePhrase(t, p)
		}
	}
	t = strings.TrimFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if meaningful(t) < 4 {
		return ""
	}
	return strings.TrimSpace(text)
}

var fillers = []string{"please", "pls", "i want to", "i want", "i need", "can i", "could i", "let me", "i'd like to",
	"now", "a", "to", "me", "帮我", "我要", "我想", "给我", "请", "马上", "快点", "你好", "您好", "谢谢", "吧", "啊", "呢", "我"}

func meaningful(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// containsPhrase matches p in t; Latin phrases must stand on word boundaries.
func containsPhrase(t, p string) bool {
	return indexPhrase(t, p) >= 0
}

func indexPhrase(t, p string) int {
	if !isLatin(p) {
		return strings.Index(t, p)
	}
	off := 0
	for {
		i := strings.Index(t[off:], p)
		if i < 0 {
			return -1
		}
		i += off
		before := i == 0 || !isWordByte(t[i-1])
		after := i+len(p) == len(t) || !isWordByte(t[i+len(p)])
		if before && after {
			return i
		}
		off = i + 1
	}
}

func removePhrase(t, p string) string {
	for {
		i := indexPhrase(t, p)
		if i < 0 {
			return t
		}
		t = t[:i] + " " + t[i+len(p):]
	}
}

func isLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '\''
}
