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

// Normalize folds width and case so "ＴＡＬＫ to a Human" matches "talk to a human".
func Normalize(text string) string {
	t := strings.ToLower(width.Narrow.String(text))
	return strings.Join(strings.FieldsFunc(t, func(r rune) bool { return unicode.IsSpace(r) }), " ")
}

// DetectTrigger reports whether text asks for a person or complains, however it is phrased: in
// Chinese, English or both, with typos, txt-speak or pinyin. A complaint wins over a request for a
// person, since it also sets a higher priority. How it reads text: triggers_en.go, triggers_zh.go.
func DetectTrigger(text string) Trigger {
	trig, _ := detect(text)
	return trig
}

// Substance returns what is left of text once the trigger phrases and filler are removed: the
// customer's actual question, if they asked one alongside "I want a person".
func Substance(text string) string {
	if _, rest := detect(text); rest < 4 {
		return ""
	}
	return strings.TrimSpace(text)
}

// detect finds the strongest trigger in text and counts the letters left once every match and
// filler word is cut out.
func detect(text string) (Trigger, int) {
	t := Normalize(text)
	w := englishWords(t)
	te, enSpans := detectEnglish(w)
	c := chineseText(t)
	tz, zhSpans := detectChinese(c)
	trig := te
	if trig == TriggerNone || tz == TriggerComplaint {
		trig = tz
	}
	rest := 0
	for _, x := range strings.Fields(cutSpans(enCompounds.ReplaceAllStringFunc(w, joinWords), enSpans)) {
		if !enFillers[x] {
			rest += meaningful(x)
		}
	}
	han := cutSpans(c, zhSpans)
	for _, f := range zhFillers {
		han = strings.ReplaceAll(han, f, " ")
	}
	for _, r := range han {
		if unicode.Is(unicode.Han, r) {
			rest++
		}
	}
	return trig, rest
}

func joinWords(m string) string { return strings.ReplaceAll(m, " ", "_") }

// cutSpans blanks the spans (byte offsets into s, possibly overlapping) out of s.
func cutSpans(s string, spans [][2]int) string {
	b := []byte(s)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// enFillers say nothing beyond the request itself ("I demand to talk to a human right now"); the
// hotline numbers are the complaint's, not a question.
var enFillers = setOf("please", "i", "want", "to", "need", "can", "could", "let", "me", "a", "an", "the", "now", "i'd",
	"like", "hi", "hello", "hey", "thanks", "ok", "okay", "just", "you", "would", "may", "get", "is", "there", "?", ".",
	"help", "demand", "right", "away", "got", "have", "i'm", "i've", "must", "really", "urgently", "immediately", "do",
	"how", "here", "with", "12315", "12345")

var zhFillers = []string{"帮我", "我要", "我想", "给我", "请", "马上", "快点", "你好", "您好", "谢谢", "吧", "啊", "呢", "我",
	"一下", "麻烦", "吗"}

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
