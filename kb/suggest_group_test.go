package kb_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

// sugEnv is a knowledge base (the demo help centre, or empty) with a way to file suggestions as
// resolved handoffs do.
type sugEnv struct {
	t      *testing.T
	pool   *pgxpool.Pool
	s      *kb.Store
	editor int64
}

func newSugEnv(t *testing.T, withDemo bool) *sugEnv {
	t.Helper()
	pool := dbtest.New(t)
	e := &sugEnv{t: t, pool: pool, s: kb.NewStore(pool, kb.LocalEmbedder{})}
	ctx := context.Background()
	if withDemo {
		b, err := os.ReadFile("../internal/demo/articles.jsonl")
		require.NoError(t, err)
		res, err := e.s.ImportJSONL(ctx, bytes.NewReader(b), "test", nil)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
	}
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role)
		VALUES ('editor@x.test', 'Ed', 'x', 'editor') RETURNING id`).Scan(&e.editor))
	return e
}

// conversation makes a customer and a conversation in lang and returns its id.
func (e *sugEnv) conversation(lang string) string {
	e.t.Helper()
	var conv string
	require.NoError(e.t, e.pool.QueryRow(context.Background(), `WITH c AS (
			INSERT INTO customers (token_hash) VALUES (decode(md5(random()::text || clock_timestamp()::text), 'hex')) RETURNING id)
		INSERT INTO conversations (customer_id, language) SELECT id, $1 FROM c RETURNING id::text`, lang).Scan(&conv))
	return conv
}

// suggest files question and answer as a resolved handoff does and returns the suggestion's id.
func (e *sugEnv) suggest(question, answer, lang string) int64 {
	e.t.Helper()
	ctx := context.Background()
	conv := e.conversation(lang)
	var hid, id int64
	require.NoError(e.t, e.pool.QueryRow(ctx, `INSERT INTO handoffs (conversation_id, reason, skill, language, question, status)
		VALUES ($1, 'human_request', 'general', $2, $3, 'resolved') RETURNING id`, conv, lang, question).Scan(&hid))
	require.NoError(e.t, pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		return kb.SuggestionCreateTx(ctx, tx, kb.NewSuggestion{Question: question, Answer: answer, Language: lang,
			ConversationID: conv, HandoffID: hid})
	}))
	require.NoError(e.t, e.pool.QueryRow(ctx, `SELECT id FROM kb_suggestions WHERE handoff_id = $1`, hid).Scan(&id))
	return id
}

func (e *sugEnv) groups(status string) []kb.SuggestionGroup {
	e.t.Helper()
	gs, err := e.s.SuggestionGroups(context.Background(), kb.SuggestionFilter{Status: status})
	require.NoError(e.t, err)
	return gs
}

func findGroup(t *testing.T, gs []kb.SuggestionGroup, id int64) kb.SuggestionGroup {
	t.Helper()
	for _, g := range gs {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("no group %d in %+v", id, gs)
	return kb.SuggestionGroup{}
}

func phrasingTexts(ps []kb.Phrasing) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// The same question answered again joins the first one's group, whatever its wording; a question
// the help centre already answers is attached to that article; other questions stay apart; and
// Chinese groups by characters, apart from English.
func TestSuggestionDedupe(t *testing.T) {
	e := newSugEnv(t, true)

	pickup := e.suggest("Can I collect my order in person at your Shanghai warehouse?", "Yes, weekdays 10-17.", "en")
	e.suggest("is in-person collection at the Shanghai warehouse possible?", "Yes, Monday to Friday 10:00-17:00.", "en")
	e.suggest("can I collect my order in person at your shanghai warehouse", "Yes. Choose self pickup at checkout.", "en")
	wrap := e.suggest("Do you gift wrap orders for birthdays?", "Yes, for 5 yuan.", "en")
	parcel := e.suggest("where is my parcel right now", "Look under Orders > Track.", "en")

	zhPickup := e.suggest("可以去你们上海仓库自提吗", "可以，工作日10点到17点。", "zh")
	e.suggest("你好，上海的仓库能自提吗？", "可以自提，下单时选“到仓自提”。", "zh")
	e.suggest("上海仓库可以自提吗", "可以。", "zh")
	zhRefund := e.suggest("退款几天能到", "一般3到5个工作日。", "zh")

	gs := e.groups(kb.SuggestionOpen)
	require.Len(t, gs, 5, "nine suggestions, five questions")

	g := findGroup(t, gs, pickup)
	require.Equal(t, 3, g.Count)
	require.Equal(t, "Can I collect my order in person at your Shanghai warehouse?", g.Question, "the question as first asked")
	require.Len(t, g.Phrasings, 2, "a repeat differing only in case and punctuation is the same phrasing")
	require.Equal(t, 2, g.Phrasings[0].Count)
	require.Equal(t, "is in-person collection at the Shanghai warehouse possible?", g.Phrasings[1].Text)
	require.Len(t, g.Answers, 3)
	require.Equal(t, "Yes. Choose self pickup at checkout.", g.Answers[0].Answer, "latest answer first")
	require.Equal(t, "Yes, weekdays 10-17.", g.Answers[2].Answer)
	require.Equal(t, g.Answers[0].Answer, g.Answer)
	require.Nil(t, g.SimilarArticle, "the demo help centre has no pickup article")

	require.Equal(t, 1, findGroup(t, gs, wrap).Count)
	p := findGroup(t, gs, parcel)
	require.NotNil(t, p.SimilarArticle, "the help centre covers it")
	require.Equal(t, "Tracking Your Order", p.SimilarArticle.Title)
	require.GreaterOrEqual(t, *p.SimilarArticle.Similarity, kb.CoveredThreshold)

	z := findGroup(t, gs, zhPickup)
	require.Equal(t, 3, z.Count)
	require.ElementsMatch(t, []string{"可以去你们上海仓库自提吗", "你好，上海的仓库能自提吗？", "上海仓库可以自提吗"}, phrasingTexts(z.Phrasings))
	require.Equal(t, "zh", z.Language)
	r := findGroup(t, gs, zhRefund)
	require.NotNil(t, r.SimilarArticle)
	require.Equal(t, "退款多久到账", r.SimilarArticle.Title)

	// Most asked first.
	require.Equal(t, 3, gs[0].Count)
	require.Equal(t, 3, gs[1].Count)
	require.Equal(t, 1, gs[4].Count)

	// A new asking joins its group (the count grows); the group list filters by language.
	e.suggest("Can I collect my order in person at your Shanghai warehouse??", "Yes.", "en")
	g, err := e.s.SuggestionGroupGet(context.Background(), pickup)
	require.NoError(t, err)
	require.Equal(t, 4, g.Count)
	zh, err := e.s.SuggestionGroups(context.Background(), kb.SuggestionFilter{Status: kb.SuggestionOpen, Language: "zh"})
	require.NoError(t, err)
	require.Len(t, zh, 2)
	// A Chinese question handed off in an English turn ("talk to a human") is still Chinese.
	e.suggest("上海仓库可以自提吗？", "可以。", "en")
	z, err = e.s.SuggestionGroupGet(context.Background(), zhPickup)
	require.NoError(t, err)
	require.Equal(t, 4, z.Count)
}

// Approving with edits publishes one article for the whole group: the edited question and every
// other phrasing become its questions, and search finds it at once.
func TestSuggestionApproveWithEdit(t *testing.T) {
	e := newSugEnv(t, false)
	ctx := context.Background()
	first := e.suggest("Can I collect my order in person at your Shanghai warehouse?", "yes", "en")
	second := e.suggest("is in-person collection at the Shanghai warehouse possible?", "Yes, weekdays 10-17.", "en")
	other := e.suggest("do you gift wrap?", "Yes.", "en")

	res, err := e.s.Search(ctx, "self pickup Shanghai warehouse", kb.SearchOptions{K: 1})
	require.NoError(t, err)
	require.Empty(t, res)

	// Any member's id acts on the group.
	sg, art, err := e.s.SuggestionApprove(ctx, second, kb.Approval{
		Title:    "Self pickup from the Shanghai warehouse",
		Question: "Can I pick up my order at the Shanghai warehouse?",
		Answer:   "Yes: choose Self pickup at checkout; weekdays 10:00-17:00.",
		Tags:     []string{"Pickup", " shipping "},
	}, e.editor)
	require.NoError(t, err)
	require.Equal(t, first, sg.ID)
	require.Equal(t, kb.SuggestionApproved, sg.Status)
	require.Equal(t, art.ID, *sg.ArticleID)
	require.Equal(t, e.editor, *sg.ReviewedBy)
	require.NotNil(t, sg.ReviewedAt)
	require.Equal(t, "published", art.Status)
	require.Equal(t, "suggestion", art.Source)
	require.Equal(t, "Self pickup from the Shanghai warehouse", art.Title)
	require.Equal(t, "Yes: choose Self pickup at checkout; weekdays 10:00-17:00.", art.Body)
	require.Equal(t, []string{"pickup", "shipping"}, art.Tags)
	require.Equal(t, []string{"Can I pick up my order at the Shanghai warehouse?",
		"is in-person collection at the Shanghai warehouse possible?",
		"Can I collect my order in person at your Shanghai warehouse?"}, art.Questions, "the edited question, then the phrasings, latest first")

	res, err = e.s.Search(ctx, "is in-person collection at the Shanghai warehouse possible", kb.SearchOptions{K: 1})
	require.NoError(t, err)
	require.NotEmpty(t, res)
	require.Equal(t, art.ID, res[0].ArticleID)
	require.GreaterOrEqual(t, res[0].Score, 0.5)

	// Both members are approved; the other question stays open; a second approval conflicts.
	approved := e.groups(kb.SuggestionApproved)
	require.Len(t, approved, 1)
	require.Equal(t, 2, approved[0].Count)
	require.Equal(t, "editor@x.test", approved[0].ReviewedBy.Email)
	require.Equal(t, art.Title, approved[0].Article.Title)
	open := e.groups(kb.SuggestionOpen)
	require.Len(t, open, 1)
	require.Equal(t, other, open[0].ID)
	_, _, err = e.s.SuggestionApprove(ctx, first, kb.Approval{}, e.editor)
	require.ErrorIs(t, err, kb.ErrConflict)

	// The same question asked again now meets the article, not the closed group.
	again := e.suggest("Can I collect my order in person at your Shanghai warehouse?", "Yes.", "en")
	g, err := e.s.SuggestionGroupGet(ctx, again)
	require.NoError(t, err)
	require.Equal(t, again, g.ID)
	require.Equal(t, 1, g.Count)
	require.NotNil(t, g.SimilarArticle)
	require.Equal(t, art.ID, g.SimilarArticle.ID)

	// A title taken by another article is a conflict that leaves the group open.
	_, _, err = e.s.SuggestionApprove(ctx, again, kb.Approval{Title: art.Title}, e.editor)
	require.ErrorIs(t, err, kb.ErrConflict)
	g, err = e.s.SuggestionGroupGet(ctx, again)
	require.NoError(t, err)
	require.Equal(t, kb.SuggestionOpen, g.Status)
	require.Nil(t, g.ReviewedBy)
	// An edit that breaks an article rule is invalid and leaves the group open.
	_, _, err = e.s.SuggestionApprove(ctx, other, kb.Approval{Title: string(bytes.Repeat([]byte("x"), kb.MaxTitleLen+1))}, e.editor)
	require.ErrorIs(t, err, kb.ErrInvalid)
	require.Len(t, e.groups(kb.SuggestionOpen), 2)
}

// Merging adds the group's phrasings to an article as alternative questions (and, if asked, the
// answer to its body); search then finds the article for them.
func TestSuggestionMerge(t *testing.T) {
	e := newSugEnv(t, false)
	ctx := context.Background()
	in := kb.ArticleInput{Title: "Store opening hours", Body: "Our shops open 10:00-22:00 every day.", Language: "en",
		Status: "published", Questions: []string{"when do you open"}}
	require.NoError(t, in.Normalize())
	art, err := e.s.ArticleCreate(ctx, in, "test", nil)
	require.NoError(t, err)
	zin := kb.ArticleInput{Title: "门店营业时间", Body: "每天10点到22点。", Language: "zh", Status: "published"}
	require.NoError(t, zin.Normalize())
	zart, err := e.s.ArticleCreate(ctx, zin, "test", nil)
	require.NoError(t, err)

	id := e.suggest("Are the shops open on public holidays?", "Yes, holidays too, 10:00-18:00.", "en")
	e.suggest("are your shops open on public holidays", "Yes.", "en")
	e.suggest("are the shops open on public holidays??", "Yes, 10-18.", "en")
	res, err := e.s.Search(ctx, "shops open public holidays", kb.SearchOptions{K: 1})
	require.NoError(t, err)
	before := 0.0
	if len(res) > 0 {
		before = res[0].Score
	}

	_, err = e.s.SuggestionMerge(ctx, id, kb.MergeRequest{ArticleID: 999999}, e.editor)
	require.ErrorIs(t, err, kb.ErrNotFound)
	_, err = e.s.SuggestionMerge(ctx, id, kb.MergeRequest{ArticleID: zart.ID}, e.editor)
	require.ErrorIs(t, err, kb.ErrInvalid, "a Chinese article cannot take an English question")

	m, err := e.s.SuggestionMerge(ctx, id, kb.MergeRequest{ArticleID: art.ID, AppendAnswer: kb.AppendAnswer{On: true}}, e.editor)
	require.NoError(t, err)
	require.Equal(t, kb.SuggestionMerged, m.Suggestion.Status)
	require.Equal(t, art.ID, *m.Suggestion.ArticleID)
	require.Equal(t, e.editor, *m.Suggestion.ReviewedBy)
	require.Equal(t, []string{"when do you open", "are the shops open on public holidays??", "are your shops open on public holidays"},
		m.Article.Questions, "distinct phrasings, most asked first, added once")
	require.Equal(t, []string{"are the shops open on public holidays??", "are your shops open on public holidays"}, m.AddedQuestions)
	require.Equal(t, "Our shops open 10:00-22:00 every day.\n\nYes, 10-18.", m.Article.Body, "the latest answer appended")
	require.True(t, m.AnswerAppended)

	res, err = e.s.Search(ctx, "are shops open on public holidays?", kb.SearchOptions{K: 1})
	require.NoError(t, err)
	require.NotEmpty(t, res)
	require.Equal(t, art.ID, res[0].ArticleID)
	require.Greater(t, res[0].Score, before)
	require.GreaterOrEqual(t, res[0].Score, 0.5)

	merged := e.groups(kb.SuggestionMerged)
	require.Len(t, merged, 1)
	require.Equal(t, 3, merged[0].Count)
	require.Equal(t, art.ID, merged[0].Article.ID)
	require.Empty(t, e.groups(kb.SuggestionOpen))
	_, err = e.s.SuggestionMerge(ctx, id, kb.MergeRequest{ArticleID: art.ID}, e.editor)
	require.ErrorIs(t, err, kb.ErrConflict)

	// An edited text may be appended instead; without append_answer the body stays.
	other := e.suggest("do you open on christmas day", "Closed on 25 December.", "en")
	m, err = e.s.SuggestionMerge(ctx, other, kb.MergeRequest{ArticleID: art.ID, AppendAnswer: kb.AppendAnswer{On: true, Text: "Closed on Christmas Day."}}, e.editor)
	require.NoError(t, err)
	require.Contains(t, m.Article.Body, "\n\nClosed on Christmas Day.")
	third := e.suggest("can I pay by cheque in the shop", "No.", "en")
	m, err = e.s.SuggestionMerge(ctx, third, kb.MergeRequest{ArticleID: art.ID}, e.editor)
	require.NoError(t, err)
	require.NotContains(t, m.Article.Body, "No.")
	require.False(t, m.AnswerAppended)
}

// Dismissing closes the whole group; the question asked again later starts a new one.
func TestSuggestionDismissGroup(t *testing.T) {
	e := newSugEnv(t, false)
	ctx := context.Background()
	first := e.suggest("能开增值税专用发票吗", "可以，联系客服。", "zh")
	e.suggest("可以开增值税专票吗？", "可以。", "zh")
	require.Len(t, e.groups(kb.SuggestionOpen), 1)

	sg, err := e.s.SuggestionDismiss(ctx, first, e.editor)
	require.NoError(t, err)
	require.Equal(t, kb.SuggestionDismissed, sg.Status)
	require.Equal(t, e.editor, *sg.ReviewedBy)
	require.Empty(t, e.groups(kb.SuggestionOpen))
	d := e.groups(kb.SuggestionDismissed)
	require.Len(t, d, 1)
	require.Equal(t, 2, d[0].Count)

	_, _, err = e.s.SuggestionApprove(ctx, first, kb.Approval{}, e.editor)
	require.ErrorIs(t, err, kb.ErrConflict)
	_, err = e.s.SuggestionDismiss(ctx, first, e.editor)
	require.ErrorIs(t, err, kb.ErrConflict)
	_, err = e.s.SuggestionDismiss(ctx, 424242, e.editor)
	require.ErrorIs(t, err, kb.ErrNotFound)

	later := e.suggest("能开增值税专用发票吗", "可以。", "zh")
	open := e.groups(kb.SuggestionOpen)
	require.Len(t, open, 1)
	require.Equal(t, later, open[0].ID)
	require.Equal(t, 1, open[0].Count)
	require.Len(t, e.groups(""), 2)
}
