package kb_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

// exchange stores a customer message and the bot's reply of kind (with reason), at a time.
func (e *sugEnv) exchange(conv, text, kind, reason string, at time.Time) {
	e.t.Helper()
	ctx := context.Background()
	meta, err := json.Marshal(map[string]string{"kind": kind, "reason": reason})
	require.NoError(e.t, err)
	_, err = e.pool.Exec(ctx, `WITH c AS (
			INSERT INTO messages (conversation_id, seq, sender, text, created_at)
			SELECT $1, coalesce(max(seq), 0) + 1, 'customer', $2, $3 FROM messages WHERE conversation_id = $1
			RETURNING id, seq)
		INSERT INTO messages (conversation_id, seq, sender, text, reply_to, meta, bot_done, created_at)
		SELECT $1, c.seq + 1, 'bot', 'Sorry, I don''t know.', c.id, $4::jsonb, true, $3 FROM c`, conv, text, at, string(meta))
	require.NoError(e.t, err)
	if kind == "handoff" {
		// What the bot hands off with: the question it could not answer, "" when it is a "yes" to its offer.
		q := text
		if text == "yes" || text == "是" {
			q = ""
		}
		_, err = e.pool.Exec(ctx, `INSERT INTO handoffs (conversation_id, reason, skill, language, question, status)
			VALUES ($1, $2, 'general', 'en', $3, 'resolved')`, conv, reason, q)
		require.NoError(e.t, err)
	}
}

func (e *sugEnv) report(f kb.UnansweredFilter) []kb.UnansweredGroup {
	e.t.Helper()
	gs, err := e.s.UnansweredReport(context.Background(), f)
	require.NoError(e.t, err)
	return gs
}

// Every question the bot did not know, or handed off for low confidence, is counted once, grouped
// with its other wordings, most frequent first, within the period and language asked for; what
// now covers it is shown.
func TestUnansweredReport(t *testing.T) {
	e := newSugEnv(t, false)
	ctx := context.Background()
	now := time.Now()
	day := 24 * time.Hour

	c1, c2, c3 := e.conversation("zh"), e.conversation("zh"), e.conversation("zh")
	e.exchange(c1, "能开增值税专用发票吗", "dont_know", "", now.Add(-3*day))
	e.exchange(c2, "可以开增值税专票吗？", "dont_know", "", now.Add(-2*day))
	e.exchange(c3, "能开增值税专用发票吗", "dont_know", "", now.Add(-time.Hour))
	// The "yes" to the offer of a person is not a question; the handoff's question was counted above.
	e.exchange(c3, "是", "handoff", "low_confidence", now.Add(-time.Hour+time.Minute))

	c4, c5 := e.conversation("en"), e.conversation("en")
	e.exchange(c4, "what's the warranty on headphones", "dont_know", "", now.Add(-4*day))
	// The second unanswered question in a row hands off at once: counted as low confidence.
	e.exchange(c5, "gift cards?", "dont_know", "", now.Add(-3*time.Hour))
	e.exchange(c5, "What's the warranty on headphones?", "handoff", "low_confidence", now.Add(-2*time.Hour))
	c6 := e.conversation("en")
	e.exchange(c6, "do you have a store in Beijing", "dont_know", "", now.Add(-6*day))
	e.exchange(c6, "is there a Beijing store?", "dont_know", "", now.Add(-5*day))
	// Answered, handed off for another reason, or too old for the period: not in the report.
	e.exchange(c6, "how long does a refund take", "answer", "", now.Add(-5*day))
	e.exchange(c6, "I want to complain", "handoff", "complaint", now.Add(-5*day))
	c7 := e.conversation("en")
	e.exchange(c7, "can I pay with bitcoin", "dont_know", "", now.Add(-40*day))

	gs := e.report(kb.UnansweredFilter{})
	require.Len(t, gs, 4, "%+v", gs)
	inv := gs[0]
	require.Equal(t, 3, inv.Count)
	require.Equal(t, "zh", inv.Language)
	require.Equal(t, "能开增值税专用发票吗", inv.Question, "its most frequent wording")
	require.Equal(t, []kb.Phrasing{{Text: "能开增值税专用发票吗", Count: 2}, {Text: "可以开增值税专票吗？", Count: 1}}, inv.Phrasings)
	require.Equal(t, map[string]int{"dont_know": 3, "low_confidence": 0}, inv.Reasons)
	require.Equal(t, []string{c3, c2, c1}, inv.ConversationIDs, "latest first")
	require.WithinDuration(t, now.Add(-time.Hour), inv.LastSeen, time.Second)
	require.WithinDuration(t, now.Add(-3*day), inv.FirstSeen, time.Second)
	require.False(t, inv.Covered)

	// Two twice-asked questions: the more recent first.
	warranty, beijing := gs[1], gs[2]
	require.Equal(t, 2, warranty.Count)
	require.Equal(t, map[string]int{"dont_know": 1, "low_confidence": 1}, warranty.Reasons)
	require.ElementsMatch(t, []string{c4, c5}, warranty.ConversationIDs)
	require.Equal(t, 2, beijing.Count)
	require.Contains(t, phrasingTexts(beijing.Phrasings), "is there a Beijing store?")
	require.Equal(t, "gift cards?", gs[3].Question)
	require.Equal(t, 1, gs[3].Count)

	// The period and the language narrow it; reading again counts nothing twice.
	require.Len(t, e.report(kb.UnansweredFilter{Days: 60}), 5)
	zh := e.report(kb.UnansweredFilter{Language: "zh"})
	require.Len(t, zh, 1)
	require.Equal(t, 3, zh[0].Count)
	week := e.report(kb.UnansweredFilter{Days: 1})
	require.Len(t, week, 3)
	require.Equal(t, 1, week[0].Count, "only this day's askings count")
	require.Len(t, e.report(kb.UnansweredFilter{Limit: 2}), 2)

	// Asked again: the group grows.
	c8 := e.conversation("zh")
	e.exchange(c8, "能开增值税专用发票吗？？", "dont_know", "", now)
	gs = e.report(kb.UnansweredFilter{})
	require.Equal(t, inv.ID, gs[0].ID)
	require.Equal(t, 4, gs[0].Count)
	require.Equal(t, c8, gs[0].ConversationIDs[0])

	// An agent's answer waiting for review is shown but does not cover it yet; once approved it does.
	sid := e.suggest("能开增值税专用发票吗", "可以，在订单详情页申请专票。", "zh")
	gs = e.report(kb.UnansweredFilter{Language: "zh"})
	require.NotNil(t, gs[0].CoveredBy.Suggestion)
	require.Equal(t, sid, gs[0].CoveredBy.Suggestion.ID)
	require.Equal(t, "open", gs[0].CoveredBy.Suggestion.Status)
	require.False(t, gs[0].Covered)
	_, art, err := e.s.SuggestionApprove(ctx, sid, kb.Approval{Title: "增值税专用发票"}, e.editor)
	require.NoError(t, err)
	gs = e.report(kb.UnansweredFilter{Language: "zh"})
	require.True(t, gs[0].Covered)
	require.Equal(t, "approved", gs[0].CoveredBy.Suggestion.Status)
	require.Equal(t, art.ID, *gs[0].CoveredBy.Suggestion.ArticleID)
	require.NotNil(t, gs[0].CoveredBy.Article, "search now finds the new article")
	require.Equal(t, art.ID, gs[0].CoveredBy.Article.ID)

	// An article written directly covers a question too.
	in := kb.ArticleInput{Title: "Headphone warranty", Body: "Headphones have a one-year warranty.", Language: "en",
		Status: "published", Questions: []string{"what is the warranty on headphones"}}
	require.NoError(t, in.Normalize())
	_, err = e.s.ArticleCreate(ctx, in, "test", nil)
	require.NoError(t, err)
	for _, g := range e.report(kb.UnansweredFilter{Language: "en"}) {
		if g.ID == warranty.ID {
			require.True(t, g.Covered)
			require.Equal(t, "Headphone warranty", g.CoveredBy.Article.Title)
			require.Nil(t, g.CoveredBy.Suggestion)
		} else {
			require.False(t, g.Covered, g.Question)
		}
	}
}
