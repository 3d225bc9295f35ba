package kb

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chunk is a searchable piece of an article.
type Chunk struct {
	Kind string // title, question or body
	Text string
}

const maxChunkRunes = 600

var (
	blankLines = regexp.MustCompile(`\n\s*\n`)
	mdMarkers  = regexp.MustCompile(`(?m)^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+\.\s+|>\s?)`)
	mdInline   = regexp.MustCompile("[*_`]+")
)

// Chunks splits an article into its title, its alternative questions and its body paragraphs.
// A heading stays with the paragraph under it, so a passage keeps its context.
func Chunks(title, body string, questions []string) []Chunk {
	out := []Chunk{{Kind: "title", Text: title}}
	for _, q := range questions {
		out = append(out, Chunk{Kind: "question", Text: q})
	}
	var heading string
	for _, para := range blankLines.Split(body, -1) {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		isHeading := strings.HasPrefix(para, "#") && !strings.Contains(para, "\n")
		text := PlainText(para)
		if isHeading {
			heading = text
			continue
		}
		if heading != "" {
			text = heading + ": " + text
			heading = ""
		}
		for _, piece := range splitLong(text) {
			out = append(out, Chunk{Kind: "body", Text: piece})
		}
	}
	if heading != "" {
		out = append(out, Chunk{Kind: "body", Text: heading})
	}
	return out
}

// PlainText strips the Markdown markers that carry no words.
func PlainText(md string) string {
	s := mdMarkers.ReplaceAllString(md, "")
	s = mdInline.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}

// splitLong cuts text longer than a chunk at sentence ends.
func splitLong(text string) []string {
	if utf8.RuneCountInString(text) <= maxChunkRunes {
		return []string{text}
	}
	var out []string
	var cur strings.Builder
	n := 0
	for _, r := range text {
		cur.WriteRune(r)
		n++
		end := r == '。' || r == '！' || r == '？' || r == '.' || r == '!' || r == '?' || r == '\n'
		if (end && n >= maxChunkRunes/2) || n >= maxChunkRunes {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
			n = 0
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// Snippet shortens text to about n characters for a result list.
func Snippet(text string, n int) string {
	text = strings.Join(strings.Fields(PlainText(text)), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return string(r[:n]) + "…"
}
