package kb_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

func TestReadableShowsMarkdownAsPlainChatText(t *testing.T) {
	md := "Intro with **bold**, *italic*, `code` and a [help page](https://shop.example/help).\n\n\n" +
		"## Who pays\n- Faulty items: **we** pay\n* Changed your mind: you pay\n1. Step one\n\n" +
		"> Note: keep the receipt\n\n---\n```\nraw *text* stays\n```\nsnake_case_word stays, ![logo](x.png) goes"
	got := kb.Readable(md)
	require.Equal(t, "Intro with bold, italic, code and a help page (https://shop.example/help).\n\n"+
		"Who pays\n• Faulty items: we pay\n• Changed your mind: you pay\n1. Step one\n\n"+
		"Note: keep the receipt\n\nraw *text* stays\nsnake_case_word stays, logo goes", got)
	require.Equal(t, "退货运费由我们承担。\n• 质量问题", kb.Readable("## 退货\n退货运费由**我们**承担。\n- 质量问题")[len("退货\n"):])
}

// longArticle has an intro and three sections, each long enough that the article is answered by
// passage, and one section too long for one answer.
func longArticle() kb.Result {
	intro := "Everything about sending things back to Baton Shop, from the first click to the money on your card. " +
		"Read the section you need; each stands on its own."
	pays := "If the item is faulty or we sent the wrong one, **we pay** the return shipping: book a courier pickup in the app. " +
		"If you changed your mind, you pay the return shipping yourself."
	var long []string
	for i := 0; i < 12; i++ {
		long = append(long, "Refund step paragraph number "+strings.Repeat("x", i+1)+" explains one more detail of how the money travels back to your card after the warehouse checks the parcel.")
	}
	body := intro + "\n\n## Who pays return shipping\n" + pays + "\n\n## Refund timing\n" + strings.Join(long, "\n\n") +
		"\n\n## Damaged parcels\nPhotograph the box before you open it and send us the photos within 48 hours."
	return kb.Result{ArticleID: 7, Title: "Returns guide", Body: body}
}

// chunkOf returns the body chunk of the article whose text holds needle, as search would report it.
func chunkOf(t *testing.T, r kb.Result, needle string) kb.Result {
	t.Helper()
	for _, c := range kb.Chunks(r.Title, r.Body, nil) {
		if c.Kind == kb.ChunkBody && strings.Contains(c.Text, needle) {
			r.MatchKind, r.Heading, r.Passage = kb.ChunkBody, c.Heading, c.Text
			return r
		}
	}
	t.Fatalf("no chunk holds %q", needle)
	return r
}

func TestAnswerExcerptPassageOfALongArticle(t *testing.T) {
	art := longArticle()

	// A match in a section: that section, readable, with its heading.
	ex := kb.AnswerExcerpt(chunkOf(t, art, "courier pickup"), 0)
	require.True(t, ex.Passage)
	require.Equal(t, "Who pays return shipping", ex.Heading)
	require.Equal(t, "Who pays return shipping\nIf the item is faulty or we sent the wrong one, we pay the return shipping: book a courier pickup in the app. "+
		"If you changed your mind, you pay the return shipping yourself.", ex.Text)

	// A section longer than an answer: the matching passage's own paragraphs only.
	r := chunkOf(t, art, "number xxxxxxxxxxx ")
	ex = kb.AnswerExcerpt(r, 0)
	require.True(t, ex.Passage)
	require.Equal(t, "Refund timing", ex.Heading)
	require.True(t, strings.HasPrefix(ex.Text, "Refund timing\n"), ex.Text)
	require.Contains(t, ex.Text, "number xxxxxxxxxxx ")
	require.NotContains(t, ex.Text, "number x ", "the section's first paragraphs are another passage")
	require.LessOrEqual(t, utf8.RuneCountInString(ex.Text), kb.MaxAnswerRunes)

	// The intro, before any heading.
	ex = kb.AnswerExcerpt(chunkOf(t, art, "first click"), 0)
	require.True(t, ex.Passage)
	require.Equal(t, "", ex.Heading)
	require.True(t, strings.HasPrefix(ex.Text, "Everything about sending things back"))
	require.NotContains(t, ex.Text, "courier")

	// A match on the title or a question is an FAQ: the article's answer from the start, cut at a
	// paragraph to fit.
	faq := art
	faq.MatchKind = kb.ChunkTitle
	ex = kb.AnswerExcerpt(faq, 0)
	require.False(t, ex.Passage)
	require.True(t, ex.Cut)
	require.True(t, strings.HasPrefix(ex.Text, "Everything about sending things back"))
	require.Contains(t, ex.Text, "Who pays return shipping\nIf the item is faulty or we sent the wrong one, we pay")
	require.True(t, strings.HasSuffix(ex.Text, "\n…"))
	require.LessOrEqual(t, utf8.RuneCountInString(ex.Text), kb.MaxAnswerRunes)
}

func TestAnswerExcerptShortArticleIsAnsweredWhole(t *testing.T) {
	art := kb.Result{Title: "Pickup", Body: "You can collect orders in store.\n\n## Where\n- Shanghai, Nanjing Road\n\n## When\nEvery day 10:00–21:00."}
	ex := kb.AnswerExcerpt(chunkOf(t, art, "Nanjing"), 0)
	require.False(t, ex.Passage, "a short article is clearer whole")
	require.Equal(t, "You can collect orders in store.\n\nWhere\n• Shanghai, Nanjing Road\n\nWhen\nEvery day 10:00–21:00.", ex.Text)

	// The body changed since the chunk was cut: the whole article, not a wrong passage.
	long := chunkOf(t, longArticle(), "courier pickup")
	long.Passage = "a passage that is no longer there"
	ex = kb.AnswerExcerpt(long, 0)
	require.False(t, ex.Passage)
	require.True(t, strings.HasPrefix(ex.Text, "Everything about"))
}

func TestAnswerExcerptCutsChineseAtSentences(t *testing.T) {
	body := strings.Repeat("质量问题退货运费由我们承担，请在订单详情页申请退货并预约上门取件。", 40)
	ex := kb.AnswerExcerpt(kb.Result{Title: "退货", Body: body, MatchKind: kb.ChunkQuestion}, 100)
	require.True(t, ex.Cut)
	require.LessOrEqual(t, utf8.RuneCountInString(ex.Text), 100)
	require.True(t, strings.HasSuffix(ex.Text, "。…"), ex.Text)
}
