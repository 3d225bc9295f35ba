package handoff

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baton-cs/baton/intent"
)

// Summary sources.
const (
	SummaryLLM        = "llm"
	SummaryExtractive = "extractive"
)

// Summary tells the agent taking over what happened before they joined.
type Summary struct {
	Text string `json:"text"`
	// Sentences are an extractive summary's picks, in the order the customer wrote them.
	Sentences []string `json:"sentences,omitempty"`
	Source    string   `json:"source"`
	Model     string   `json:"model,omitempty"`
	HandoffID int64    `json:"handoff_id,omitempty"`
}

// Extractive summary limits.
const (
	summarySentences   = 3
	summarySentenceMax = 160 // characters
)

// Extractive picks the customer's key sentences from a handoff snapshot: the question that
// triggered the handoff, the sentences that give a slot value (an order number), complaints and
// other negative ones, and questions; later ones weigh a little more. Greetings and bare
// requests for a person are left out. It works the same on Chinese and English.
func Extractive(c Context) Summary {
	type pick struct {
		text  string
		score float64
		pos   int
	}
	var lines []string
	for _, l := range c.Transcript {
		if l.Sender == "customer" {
			lines = append(lines, l.Text)
		}
	}
	question := foldSpace(c.Question)
	var slotValues []string
	for _, v := range c.Slots {
		if v = foldSpace(v); utf8.RuneCountInString(v) >= 2 {
			slotValues = append(slotValues, v)
		}
	}
	var picks []pick
	seen := map[string]bool{}
	pos := 0
	for i, line := range lines {
		for _, s := range splitSentences(line) {
			pos++
			key := foldSpace(s)
			if key == "" || seen[key] {
				continue
			}
			seen[key] = true
			trigger := intent.DetectTrigger(s)
			if trigger != intent.TriggerComplaint && !says(s) {
				continue // "hello", "talk to a human", "ok"
			}
			score := 0.0
			if question != "" && (strings.Contains(key, question) || strings.Contains(question, key)) {
				score += 3
			}
			for _, v := range slotValues {
				if strings.Contains(key, v) {
					score += 2
					break
				}
			}
			if trigger == intent.TriggerComplaint {
				score += 2
			}
			if intent.AnalyzeSentiment(s).Label == "negative" {
				score += 1.5
			}
			if intent.Substance(s) != "" {
				score += 0.5
			} else {
				score += 0.25 // short but real: "我要退货"
			}
			if isQuestion(s) {
				score++
			}
			score += 0.5 * float64(i+1) / float64(len(lines))
			picks = append(picks, pick{text: clip(s, summarySentenceMax), score: score, pos: pos})
		}
	}
	sort.SliceStable(picks, func(a, b int) bool { return picks[a].score > picks[b].score })
	if len(picks) > summarySentences {
		picks = picks[:summarySentences]
	}
	sort.Slice(picks, func(a, b int) bool { return picks[a].pos < picks[b].pos })
	out := Summary{Source: SummaryExtractive, Sentences: []string{}}
	for _, p := range picks {
		out.Sentences = append(out.Sentences, p.text)
	}
	if len(out.Sentences) == 0 && strings.TrimSpace(c.Question) != "" {
		out.Sentences = append(out.Sentences, clip(strings.TrimSpace(c.Question), summarySentenceMax))
	}
	out.Text = strings.Join(out.Sentences, "\n")
	return out
}

// splitSentences cuts text after 。！？!?；; and line breaks, and after a "." that ends a word
// (not the one in "3.5" or "a.b@example.com"). Each sentence keeps its end mark.
func splitSentences(text string) []string {
	rs := []rune(text)
	var out []string
	start := 0
	flush := func(end int) {
		if s := strings.TrimSpace(string(rs[start:end])); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？', '!', '?', '；', ';', '\n', '…':
			for i+1 < len(rs) && strings.ContainsRune("。！？!?；;…」”\"')）", rs[i+1]) {
				i++
			}
			flush(i + 1)
		case '.':
			if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) {
				flush(i + 1)
			}
		}
	}
	flush(len(rs))
	return out
}

var pleasantries = map[string]bool{"hello": true, "hi": true, "hey": true, "hi there": true, "hello there": true,
	"thanks": true, "thank you": true, "thanks a lot": true, "ok": true, "okay": true, "bye": true, "good morning": true,
	"good afternoon": true, "good evening": true, "anyone there": true, "are you there": true, "hello?": true, "yes": true, "no": true, "yep": true, "sure": true, "no thanks": true,
	"你好": true, "您好": true, "谢谢": true, "谢谢你": true, "好的": true, "嗯": true, "在吗": true, "在不在": true,
	"哈喽": true, "拜拜": true, "有人吗": true, "早上好": true, "晚上好": true,
	"是": true, "是的": true, "对": true, "对的": true, "不是": true, "没有": true, "不用了": true, "好": true, "行": true}

// says reports whether a customer's sentence says something: not a greeting or thanks, not a
// bare request for a person, not a lone character.
func says(s string) bool {
	if pleasantry(foldSpace(s)) || letters(s) < 2 {
		return false
	}
	return intent.DetectTrigger(s) != intent.TriggerHumanRequest || intent.Substance(s) != ""
}

// pleasantry reports whether a (folded) sentence is only a greeting, thanks or the like.
func pleasantry(folded string) bool {
	return pleasantries[strings.TrimFunc(folded, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })]
}

var questionWords = []string{"吗", "什么", "怎么", "为什么", "为啥", "如何", "能不能", "可不可以", "是不是", "多久", "什么时候", "哪",
	"how ", "why ", "what ", "when ", "where ", "which ", "can ", "could ", "is ", "are ", "do ", "does ", "will ", "would "}

func isQuestion(s string) bool {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？") {
		return true
	}
	low := strings.ToLower(s) + " "
	for _, w := range questionWords {
		if w[len(w)-1] == ' ' {
			if strings.HasPrefix(low, w) {
				return true
			}
		} else if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// foldSpace lower-cases and collapses white space, for comparing sentences.
func foldSpace(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n])) + "…"
}
