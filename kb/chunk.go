package kb

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chunk kinds.
const (
	ChunkTitle    = "title"
	ChunkQuestion = "question"
	ChunkBody     = "body"
)

// Chunk is a searchable piece of an article.
type Chunk struct {
	Kind string // title, question or body
	// Heading is the path of Markdown headings above a body chunk ("Returns > Who pays"), "" above the first.
	Heading string
	Text    string
}

// ChunkerVersion names the chunking and tokenising rules; chunks cut by older rules are re-cut
// (and their tokens and local embeddings redone) at start. v2: synonym lists without the demo
// shop's one-word mappings ("money" → refund, "send" → return), "退掉" read as 退货.
const ChunkerVersion = "md-sections-v2"

// maxChunkSize bounds a body chunk, counting a Chinese character as two (it carries about as much
// as a short English word): about 120 English words or 300 Chinese characters.
const maxChunkSize = 700

var (
	atxHeading = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	fence      = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	mdMarkers  = regexp.MustCompile(`(?m)^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+\.\s+|>\s?)`)
	mdInline   = regexp.MustCompile("[*_`]+")
)

// Chunks splits an article into its title, its alternative questions and its body: the body at
// its Markdown headings, each section at its paragraphs when it is too long, a paragraph at its
// sentences only when it alone is too long. Every body chunk carries its heading path.
func Chunks(title, body string, questions []string) []Chunk {
	out := []Chunk{{Kind: ChunkTitle, Text: title}}
	for _, q := range questions {
		out = append(out, Chunk{Kind: ChunkQuestion, Text: q})
	}
	for _, sec := range sections(body) {
		for _, text := range pack(sec.blocks) {
			out = append(out, Chunk{Kind: ChunkBody, Heading: sec.heading, Text: text})
		}
	}
	return out
}

// SearchText is what is embedded and tokenised for a chunk: a body chunk is read with its
// article's title and heading, which say what the passage is about.
func (c Chunk) SearchText(title string) string {
	if c.Kind != ChunkBody {
		return c.Text
	}
	ctx := title
	if c.Heading != "" {
		ctx += " — " + c.Heading
	}
	return ctx + "\n" + c.Text
}

type section struct {
	heading string
	blocks  []string // plain-text paragraphs, lists, code blocks
	raw     []string // the same blocks as written (Markdown), for answers
}

// sections reads Markdown into heading-delimited sections of blank-line-separated blocks.
func sections(body string) []section {
	var out []section
	var path []string // heading text by level
	cur := section{}
	var block []string
	inFence := false
	flushBlock := func() {
		if len(block) > 0 {
			if t := PlainText(strings.Join(block, "\n")); t != "" {
				cur.blocks = append(cur.blocks, t)
				cur.raw = append(cur.raw, strings.Join(block, "\n"))
			}
			block = nil
		}
	}
	flushSection := func() {
		flushBlock()
		if len(cur.blocks) > 0 {
			out = append(out, cur)
		}
		cur = section{}
	}
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if fence.MatchString(line) {
			inFence = !inFence
			block = append(block, line)
			continue
		}
		if inFence {
			block = append(block, line)
			continue
		}
		if m := atxHeading.FindStringSubmatch(line); m != nil {
			flushSection()
			level := len(m[1])
			for len(path) >= level {
				path = path[:len(path)-1]
			}
			for len(path) < level-1 {
				path = append(path, "")
			}
			path = append(path, PlainText(m[2]))
			cur.heading = joinPath(path)
			continue
		}
		if strings.TrimSpace(line) == "" {
			flushBlock()
			continue
		}
		block = append(block, line)
	}
	flushSection()
	return out
}

func joinPath(path []string) string {
	var parts []string
	for _, p := range path {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " > ")
}

// size measures text for chunking: a Chinese character counts two, anything else one.
func size(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// pack joins consecutive blocks into chunks of at most maxChunkSize; a longer block is split at
// list items, then sentences, then (a run-on sentence) hard at the limit.
func pack(blocks []string) []string {
	var pieces []string
	for _, b := range blocks {
		if size(b) <= maxChunkSize {
			pieces = append(pieces, b)
			continue
		}
		for _, line := range strings.Split(b, "\n") {
			if size(line) <= maxChunkSize {
				pieces = append(pieces, line)
				continue
			}
			for _, s := range sentences(line) {
				pieces = append(pieces, hardSplit(s)...)
			}
		}
	}
	var out []string
	var cur strings.Builder
	curSize := 0
	for _, p := range pieces {
		n := size(p)
		if curSize > 0 && curSize+1+n > maxChunkSize {
			out = append(out, cur.String())
			cur.Reset()
			curSize = 0
		}
		if curSize > 0 {
			cur.WriteString("\n")
			curSize++
		}
		cur.WriteString(p)
		curSize += n
	}
	if curSize > 0 {
		out = append(out, cur.String())
	}
	return out
}

// sentences splits text after sentence-ending punctuation (Chinese and English), keeping it.
func sentences(text string) []string {
	var out []string
	rs := []rune(text)
	start := 0
	for i, r := range rs {
		end := false
		switch r {
		case '。', '！', '？', '；', '!', '?', ';':
			end = true
		case '.':
			// An English full stop ends a sentence before a space, not inside "3.5" or "e.g".
			end = i+1 == len(rs) || rs[i+1] == ' '
		}
		if end {
			if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// hardSplit cuts a run-on sentence longer than a chunk, preferring a space or comma near the limit.
func hardSplit(s string) []string {
	var out []string
	for size(s) > maxChunkSize {
		rs := []rune(s)
		cut, n := 0, 0
		for i, r := range rs {
			n += size(string(r))
			if n > maxChunkSize {
				break
			}
			cut = i + 1
		}
		for i := cut - 1; i > cut*3/4; i-- {
			if rs[i] == ' ' || rs[i] == ',' || rs[i] == '，' || rs[i] == '、' {
				cut = i + 1
				break
			}
		}
		out = append(out, strings.TrimSpace(string(rs[:cut])))
		s = strings.TrimSpace(string(rs[cut:]))
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// PlainText strips the Markdown markers that carry no words.
func PlainText(md string) string {
	s := mdMarkers.ReplaceAllString(md, "")
	s = mdInline.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
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
