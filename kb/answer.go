package kb

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxAnswerRunes keeps an answer readable in a chat bubble; its citation leads to the rest.
const MaxAnswerRunes = 900

// longArticle is the size (a Chinese character counting two, as in chunking) above which an
// article is answered with the passage that matched rather than whole: about 100 English words
// or 300 Chinese characters, a comfortable chat answer.
const longArticle = 600

// Excerpt is the part of an article the bot answers with.
type Excerpt struct {
	// Text is readable plain text (see Readable), at most the limit asked for.
	Text string
	// Heading is the section's heading path when Text is a passage, "" otherwise.
	Heading string
	// Passage is true when Text is a section (or part of one) of a long article rather than its
	// whole answer.
	Passage bool
	// Cut is true when Text had to be shortened to fit.
	Cut bool
}

// AnswerExcerpt picks what the bot answers with for a search result. A match on the title or an
// alternative question is an FAQ: the answer is the article's body. A match in the body of a long
// article (longer than about 100 English words or 300 Chinese characters, and cut into several
// passages) answers with the section holding the matching passage, or with the passage's own
// paragraphs when the section is longer than limit, led by the section's heading. A short article
// is answered whole. The text is readable plain text, cut at paragraph or sentence
// boundaries to at most limit runes (MaxAnswerRunes when limit ≤ 0).
func AnswerExcerpt(r Result, limit int) Excerpt {
	if limit <= 0 {
		limit = MaxAnswerRunes
	}
	if r.MatchKind == ChunkBody && r.Passage != "" {
		if ex, ok := passageExcerpt(r, limit); ok {
			return ex
		}
	}
	text, cut := fit(Readable(r.Body), limit)
	return Excerpt{Text: text, Cut: cut}
}

// passageExcerpt finds r's chunk in its article's body; false when the article is short or a
// single passage (answered whole) or the chunk is not found (the body changed since it was cut).
func passageExcerpt(r Result, limit int) (Excerpt, bool) {
	if size(Readable(r.Body)) <= longArticle {
		return Excerpt{}, false
	}
	secs := sections(r.Body)
	var found *section
	var chunk string
	passages := 0
	for i := range secs {
		for _, text := range pack(secs[i].blocks) {
			passages++
			if found == nil && secs[i].heading == r.Heading && text == r.Passage {
				found, chunk = &secs[i], text
			}
		}
	}
	if found == nil || passages < 2 {
		return Excerpt{}, false
	}
	ex := Excerpt{Heading: found.heading, Passage: true}
	// The section's own heading leads the passage: a list of items means little without it.
	lead := ""
	if found.heading != "" {
		parts := strings.Split(found.heading, " > ")
		lead = parts[len(parts)-1] + "\n"
	}
	whole := lead + Readable(strings.Join(found.raw, "\n\n"))
	if utf8.RuneCountInString(whole) <= limit {
		ex.Text = whole
		return ex, true
	}
	// The section is too long: the blocks the passage holds, as written.
	var raw []string
	for i, b := range found.blocks {
		if strings.Contains(chunk, b) {
			raw = append(raw, found.raw[i])
		}
	}
	text := Readable(strings.Join(raw, "\n\n"))
	if text == "" {
		text = chunk // the passage is part of one long block
	}
	ex.Text, ex.Cut = fit(lead+text, limit)
	return ex, true
}

// fit shortens text to at most limit runes: whole paragraphs while they fit, else the first
// paragraph's whole lines, else its first line's whole sentences, else a hard cut; "…" marks a cut.
func fit(text string, limit int) (string, bool) {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= limit {
		return text, false
	}
	limit-- // room for "…"
	take := func(units []string, sep string) string {
		var b strings.Builder
		for _, u := range units {
			s := sep
			if b.Len() == 0 || sep == " " && isCJKEnd(b.String()) {
				s = ""
			}
			if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(s+u) > limit {
				break
			}
			b.WriteString(s + u)
		}
		return b.String()
	}
	paras := strings.Split(text, "\n\n")
	if s := take(paras, "\n\n"); s != "" {
		return s + "\n…", true
	}
	lines := strings.Split(paras[0], "\n")
	if s := take(lines, "\n"); s != "" {
		return s + "\n…", true
	}
	if s := take(sentences(lines[0]), " "); s != "" {
		return s + "…", true
	}
	rs := []rune(lines[0])
	return strings.TrimSpace(string(rs[:min(limit, len(rs))])) + "…", true
}

func isCJKEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r >= 0x3000
}

var (
	mdFence    = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	mdHeading  = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	mdRule     = regexp.MustCompile(`^\s{0,3}([-*_])(\s*([-*_])){2,}\s*$`)
	mdBullet   = regexp.MustCompile(`^(\s*)[-*+]\s+(?:\[[ xX]\]\s+)?(.*)$`)
	mdQuote    = regexp.MustCompile(`^\s{0,3}>\s?`)
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	mdAutolink = regexp.MustCompile(`<((?:https?://|mailto:)[^>\s]+)>`)
	mdBold     = regexp.MustCompile(`\*\*([^*\n]+?)\*\*|__([^_\n]+?)__`)
	mdItalic   = regexp.MustCompile(`(^|[^\w*\\])\*([^*\s](?:[^*\n]*?[^*\s])?)\*`)
	mdItalicU  = regexp.MustCompile(`(^|[^\w\\])_([^_\s](?:[^_\n]*?[^_\s])?)_($|[^\w])`)
	mdStrike   = regexp.MustCompile(`~~([^~\n]+?)~~`)
	mdCode     = regexp.MustCompile("`([^`\n]+)`")
	mdEscape   = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!>~|])")
)

// Readable turns an article's Markdown into the plain text a chat bubble shows as it is (the
// customer chat prints text, keeping line breaks): headings become lines of their own, list items
// start with "• " (numbered ones keep their numbers), emphasis, code and quote markers go, a link
// shows its text and its address, and runs of blank lines become one.
func Readable(md string) string {
	var out []string
	inFence := false
	blank := true
	emit := func(line string) {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			return
		}
		out = append(out, line)
		blank = false
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		if mdFence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			emit(line)
			continue
		}
		switch {
		case mdHeading.MatchString(line):
			if !blank {
				emit("")
			}
			emit(inline(mdHeading.FindStringSubmatch(line)[1]))
		case mdRule.MatchString(line):
			emit("")
		case mdBullet.MatchString(line):
			m := mdBullet.FindStringSubmatch(line)
			emit(m[1] + "• " + inline(m[2]))
		default:
			emit(inline(mdQuote.ReplaceAllString(line, "")))
		}
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// inline drops inline Markdown: images keep their alt text, links show "text (address)".
func inline(s string) string {
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		p := mdLink.FindStringSubmatch(m)
		if p[1] == p[2] || strings.TrimPrefix(p[2], "mailto:") == p[1] {
			return p[1]
		}
		return p[1] + " (" + p[2] + ")"
	})
	s = mdAutolink.ReplaceAllString(s, "$1")
	s = mdCode.ReplaceAllString(s, "$1")
	s = mdBold.ReplaceAllString(s, "$1$2")
	s = mdItalic.ReplaceAllString(s, "$1$2")
	s = mdItalicU.ReplaceAllString(s, "$1$2$3")
	s = mdStrike.ReplaceAllString(s, "$1")
	return mdEscape.ReplaceAllString(s, "$1")
}
