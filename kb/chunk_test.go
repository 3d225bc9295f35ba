package kb_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

// A body is cut at its headings; each chunk knows its heading path; title and questions stay chunks.
func TestChunksByHeadings(t *testing.T) {
	body := `Intro paragraph before any heading.

# Returns
Most items can be returned within 7 days.

## What we accept
- Unused items with tags
- Original packaging

## Who pays
We pay for faulty items.

# Refunds
Refunds take 1–3 days.

` + "```" + `
code block

with a blank line
` + "```"
	got := kb.Chunks("Policy", body, []string{"can I return it?"})
	type c struct{ kind, heading, text string }
	var simple []c
	for _, ch := range got {
		simple = append(simple, c{ch.Kind, ch.Heading, ch.Text})
	}
	require.Equal(t, []c{
		{"title", "", "Policy"},
		{"question", "", "can I return it?"},
		{"body", "", "Intro paragraph before any heading."},
		{"body", "Returns", "Most items can be returned within 7 days."},
		{"body", "Returns > What we accept", "Unused items with tags\nOriginal packaging"},
		{"body", "Returns > Who pays", "We pay for faulty items."},
		{"body", "Refunds", "Refunds take 1–3 days.\ncode block\n\nwith a blank line"}, // the fence stays one block
	}, simple)
	require.Equal(t, "Policy — Returns > Who pays\nWe pay for faulty items.", got[5].SearchText("Policy"))
	require.Equal(t, "can I return it?", got[1].SearchText("Policy"))
}

// Long sections are split between paragraphs, and a paragraph too long for one chunk between
// sentences — in Chinese and English — never inside one.
func TestChunksSplitLongSections(t *testing.T) {
	en := strings.Repeat("This sentence is about returns and refunds and it is long enough. ", 30)
	zh := strings.Repeat("退货需要在签收后七天内申请，并保持商品完好。", 30)
	paras := []string{"First short paragraph.", strings.TrimSpace(en), zh}
	chunks := kb.Chunks("T", "## Section\n\n"+strings.Join(paras, "\n\n"), nil)
	var body []kb.Chunk
	for _, c := range chunks {
		if c.Kind == kb.ChunkBody {
			body = append(body, c)
		}
	}
	require.Greater(t, len(body), 3)
	var joined strings.Builder
	for _, c := range body {
		require.Equal(t, "Section", c.Heading)
		require.LessOrEqual(t, utf8.RuneCountInString(c.Text), 700)
		last, _ := utf8.DecodeLastRuneInString(c.Text)
		require.Contains(t, ".。", string(last), "chunk ends at a sentence end: %q", c.Text)
		joined.WriteString(c.Text)
	}
	// Nothing is lost or duplicated (whitespace aside).
	norm := func(s string) string { return strings.Join(strings.Fields(s), "") }
	require.Equal(t, norm(strings.Join(paras, "")), norm(joined.String()))
}

// A run-on text without sentence ends is still cut, near the limit, at a space.
func TestChunksHardSplit(t *testing.T) {
	text := strings.Repeat("word ", 400)
	var n int
	for _, c := range kb.Chunks("T", text, nil)[1:] {
		require.LessOrEqual(t, utf8.RuneCountInString(c.Text), 700)
		require.False(t, strings.HasSuffix(c.Text, "wor"), "cut at a space")
		n += len(strings.Fields(c.Text))
	}
	require.Equal(t, 400, n)
}
