package kb_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

// staff adds a user straight into the users table and returns its id.
func staff(t *testing.T, pool *pgxpool.Pool, email, name string) *int64 {
	t.Helper()
	var id int64
	require.NoError(t, pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash, role)
		VALUES ($1, $2, 'x', 'editor') RETURNING id`, email, name).Scan(&id))
	return &id
}

func input(t *testing.T, in kb.ArticleInput) kb.ArticleInput {
	t.Helper()
	require.NoError(t, in.Normalize())
	return in
}

// titles of the best search results for q.
func found(t *testing.T, s *kb.Store, q string) []string {
	t.Helper()
	res, err := s.Search(context.Background(), q, kb.SearchOptions{K: 5})
	require.NoError(t, err)
	out := []string{}
	for _, r := range res {
		out = append(out, r.Title)
	}
	return out
}

// answer is the body of the article the bot would answer q from ("" for none).
func answer(t *testing.T, s *kb.Store, q string) string {
	t.Helper()
	res, err := s.Search(context.Background(), q, kb.SearchOptions{K: 1})
	require.NoError(t, err)
	if len(res) == 0 {
		return ""
	}
	return res[0].Body
}

// Create → edit → publish → restore: each change is a version saying who made it, when and which
// fields changed; restoring brings the old text back as a new version and the bot searches it.
func TestArticleHistoryCreateUpdateRestore(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	ann := staff(t, pool, "ann@x.test", "Ann Editor")
	bob := staff(t, pool, "bob@x.test", "")

	start := time.Now().Add(-time.Minute)
	a, err := s.ArticleCreate(ctx, input(t, kb.ArticleInput{Title: "Gift wrapping", Language: "en", Tags: []string{"Orders"},
		Body: "We gift wrap any order for five yuan. Choose gift wrap at checkout."}), "manual", ann)
	require.NoError(t, err)
	require.Equal(t, 1, a.Version)

	edited := input(t, kb.ArticleInput{Title: "Gift wrapping", Language: "en", Tags: []string{"orders", "Gifts"}, Status: kb.StatusDraft,
		Body:      "Gift wrapping is free for members. Pick the ribbon colour in your basket.",
		Questions: []string{"can you wrap my present"}})
	a, err = s.ArticleUpdate(ctx, a.ID, edited, kb.Change{By: bob, BaseVersion: 1})
	require.NoError(t, err)
	require.Equal(t, 2, a.Version)

	a, err = s.ArticleSetStatus(ctx, a.ID, kb.StatusPublished, kb.Change{By: ann, BaseVersion: 2})
	require.NoError(t, err)
	require.Equal(t, 3, a.Version)
	require.Contains(t, answer(t, s, "how much is gift wrapping"), "free for members", "the bot answers from the edit")

	// Saving the same content again, or publishing what is published, changes nothing.
	same, err := s.ArticleUpdate(ctx, a.ID, input(t, kb.ArticleInput{Title: a.Title, Body: a.Body, Language: "en",
		Status: kb.StatusPublished, Tags: a.Tags, Questions: a.Questions}), kb.Change{By: ann, BaseVersion: 3})
	require.NoError(t, err)
	require.Equal(t, 3, same.Version)
	same, err = s.ArticleSetStatus(ctx, a.ID, kb.StatusPublished, kb.Change{By: ann})
	require.NoError(t, err)
	require.Equal(t, 3, same.Version)

	hist, err := s.ArticleVersions(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, hist, 3)
	type row struct {
		Version int
		Action  string
		Email   string
		Name    string
		Changed []string
		Status  string
	}
	rows := []row{}
	for _, v := range hist {
		require.NotNil(t, v.Author, "v%d has an author", v.Version)
		require.Empty(t, v.Body, "lists leave bodies out")
		require.WithinRange(t, v.CreatedAt, start, time.Now().Add(time.Minute))
		rows = append(rows, row{v.Version, v.Action, v.Author.Email, v.Author.Name, v.Changed, v.Status})
	}
	require.Equal(t, []row{
		{3, kb.ActionStatus, "ann@x.test", "Ann Editor", []string{"status"}, "published"},
		{2, kb.ActionUpdate, "bob@x.test", "", []string{"body", "tags", "questions"}, "draft"},
		{1, kb.ActionCreate, "ann@x.test", "Ann Editor", []string{"title", "body", "language", "status", "tags", "questions"}, "draft"},
	}, rows)
	require.False(t, hist[0].CreatedAt.Before(hist[1].CreatedAt), "newest first")

	v1, err := s.ArticleVersion(ctx, a.ID, 1)
	require.NoError(t, err)
	require.Equal(t, "We gift wrap any order for five yuan. Choose gift wrap at checkout.", v1.Body)
	require.Equal(t, []string{"orders"}, v1.Tags)
	_, err = s.ArticleVersion(ctx, a.ID, 9)
	require.ErrorIs(t, err, kb.ErrNotFound)

	// Restore v1: its text comes back as version 4; the article stays published.
	r, restored, err := s.ArticleRestore(ctx, a.ID, 1, kb.Change{By: bob, BaseVersion: 3})
	require.NoError(t, err)
	require.True(t, restored)
	require.Equal(t, 4, r.Version)
	require.Equal(t, v1.Body, r.Body)
	require.Empty(t, r.Questions)
	require.Equal(t, kb.StatusPublished, r.Status)
	require.Contains(t, answer(t, s, "how much is gift wrapping"), "five yuan", "the bot answers from the restored text")
	v4, err := s.ArticleVersion(ctx, a.ID, 4)
	require.NoError(t, err)
	require.Equal(t, kb.ActionRestore, v4.Action)
	require.Equal(t, 1, *v4.RestoredFrom)
	require.Equal(t, "bob@x.test", v4.Author.Email)
	require.Equal(t, []string{"body", "tags", "questions"}, v4.Changed)

	// Restoring what is already there records nothing.
	_, restored, err = s.ArticleRestore(ctx, a.ID, 4, kb.Change{By: bob})
	require.NoError(t, err)
	require.False(t, restored)
	hist, err = s.ArticleVersions(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, hist, 4)

	_, _, err = s.ArticleRestore(ctx, a.ID, 7, kb.Change{By: bob})
	require.ErrorIs(t, err, kb.ErrNotFound)
	_, err = s.ArticleVersions(ctx, 999999)
	require.ErrorIs(t, err, kb.ErrNotFound)
}

// Two editors open version 1; the second save is refused and the first editor's text stays.
func TestStaleSaveIsRefused(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	ann := staff(t, pool, "ann@x.test", "Ann")
	bob := staff(t, pool, "bob@x.test", "Bob")
	a, err := s.ArticleCreate(ctx, input(t, kb.ArticleInput{Title: "Opening hours", Body: "We open at nine.", Language: "en"}), "manual", ann)
	require.NoError(t, err)

	_, err = s.ArticleUpdate(ctx, a.ID, input(t, kb.ArticleInput{Title: "Opening hours", Body: "We open at eight.", Language: "en"}),
		kb.Change{By: ann, BaseVersion: 1})
	require.NoError(t, err)
	_, err = s.ArticleUpdate(ctx, a.ID, input(t, kb.ArticleInput{Title: "Opening hours", Body: "We open at ten.", Language: "en"}),
		kb.Change{By: bob, BaseVersion: 1})
	require.ErrorIs(t, err, kb.ErrConflict)
	var stale *kb.StaleError
	require.True(t, errors.As(err, &stale))
	require.Equal(t, 1, stale.Base)
	require.Equal(t, 2, stale.Current.Version)
	require.Equal(t, "ann@x.test", stale.Latest.Author.Email, "the error can say who saved first")
	require.Contains(t, err.Error(), "changed after you opened it")

	_, err = s.ArticleSetStatus(ctx, a.ID, kb.StatusPublished, kb.Change{By: bob, BaseVersion: 1})
	require.True(t, errors.As(err, &stale), "publishing a stale form is refused too")
	_, _, err = s.ArticleRestore(ctx, a.ID, 1, kb.Change{By: bob, BaseVersion: 1})
	require.True(t, errors.As(err, &stale), "and so is restoring from one")

	got, err := s.ArticleGet(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, "We open at eight.", got.Body)
	require.Equal(t, kb.StatusDraft, got.Status)
	require.Equal(t, 2, got.Version)

	// From the current version the save goes through.
	got, err = s.ArticleUpdate(ctx, a.ID, input(t, kb.ArticleInput{Title: "Opening hours", Body: "We open at ten.", Language: "en"}),
		kb.Change{By: bob, BaseVersion: 2})
	require.NoError(t, err)
	require.Equal(t, 3, got.Version)
}

// Drafts and archived articles are not answered from, whatever their history: a restore keeps the
// status, so restoring an archived article's text does not bring it back to the bot.
func TestSearchSkipsDraftAndArchivedVersions(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	a, err := s.ArticleCreate(ctx, input(t, kb.ArticleInput{Title: "Bicycle repairs", Body: "We repair bicycles on Saturdays.", Language: "en"}), "manual", nil)
	require.NoError(t, err)
	require.Empty(t, found(t, s, "bicycle repairs saturday"), "a draft is not answered")
	_, err = s.ArticleSetStatus(ctx, a.ID, kb.StatusPublished, kb.Change{})
	require.NoError(t, err)
	require.Equal(t, []string{"Bicycle repairs"}, found(t, s, "bicycle repairs saturday"))
	_, err = s.ArticleUpdate(ctx, a.ID, input(t, kb.ArticleInput{Title: "Bicycle repairs", Body: "We repair bicycles on Sundays.",
		Language: "en", Status: kb.StatusArchived}), kb.Change{})
	require.NoError(t, err)
	require.Empty(t, found(t, s, "bicycle repairs saturday"), "an archived article is not answered")
	r, _, err := s.ArticleRestore(ctx, a.ID, 2, kb.Change{})
	require.NoError(t, err)
	require.Equal(t, kb.StatusArchived, r.Status)
	require.Equal(t, "We repair bicycles on Saturdays.", r.Body)
	require.Empty(t, found(t, s, "bicycle repairs saturday"))
}

// Imports, suggestion approvals and bulk loads have history too; no article's history is empty.
func TestEveryPathRecordsHistory(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	ed := staff(t, pool, "ed@x.test", "Ed")

	imp := func(line string) kb.ImportResult {
		res, err := s.ImportJSONL(ctx, bytes.NewBufferString(line), "import", ed)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		return res
	}
	imp(`{"title":"退货运费谁出","body":"质量问题运费由我们承担。","tags":["退货"]}`)
	imp(`{"title":"退货运费谁出","body":"质量问题运费由我们承担。","tags":["退货"]}`)
	imp(`{"title":"退货运费谁出","body":"质量问题运费由我们承担，其他情况由买家承担。","tags":["退货"]}`)
	list, err := s.ArticleList(ctx, kb.ArticleFilter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	hist, err := s.ArticleVersions(ctx, list[0].ID)
	require.NoError(t, err)
	require.Len(t, hist, 2, "re-importing unchanged content records no version")
	require.Equal(t, kb.ActionImport, hist[0].Action)
	require.Equal(t, []string{"body"}, hist[0].Changed)
	require.Equal(t, "import", hist[0].Source)
	require.Equal(t, kb.ActionCreate, hist[1].Action)
	require.Equal(t, "ed@x.test", hist[1].Author.Email)

	// An approved suggestion: the reviewing editor made version 1.
	var sid int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO kb_suggestions (question, answer, language)
		VALUES ('Do you ship to Norway?', 'Yes, within ten days.', 'en') RETURNING id`).Scan(&sid))
	_, art, err := s.SuggestionApprove(ctx, sid, kb.Approval{}, *ed)
	require.NoError(t, err)
	hist, err = s.ArticleVersions(ctx, art.ID)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	require.Equal(t, "suggestion", hist[0].Source)
	require.Equal(t, "ed@x.test", hist[0].Author.Email)

	// A bulk-loaded article has no history rows; reading it starts one, and editing keeps it.
	ids, err := s.BulkInsert(ctx, []kb.BulkArticle{{Title: "Bulk", Body: "Loaded in bulk.", Language: "en"}})
	require.NoError(t, err)
	hist, err = s.ArticleVersions(ctx, ids[0])
	require.NoError(t, err)
	require.Len(t, hist, 1)
	require.Equal(t, kb.ActionBaseline, hist[0].Action)
	require.Nil(t, hist[0].Author)
	ids2, err := s.BulkInsert(ctx, []kb.BulkArticle{{Title: "Bulk two", Body: "Also bulk.", Language: "en"}})
	require.NoError(t, err)
	_, err = s.ArticleUpdate(ctx, ids2[0], input(t, kb.ArticleInput{Title: "Bulk two", Body: "Edited.", Language: "en", Status: kb.StatusPublished}),
		kb.Change{By: ed, BaseVersion: 1})
	require.NoError(t, err)
	hist, err = s.ArticleVersions(ctx, ids2[0])
	require.NoError(t, err)
	require.Len(t, hist, 2)
	v1, err := s.ArticleVersion(ctx, ids2[0], 1)
	require.NoError(t, err)
	require.Equal(t, "Also bulk.", v1.Body, "the state before the first edit is kept")
}

// The list searches titles, bodies and questions in both languages, and filters by tag.
func TestArticleListSearchAndFilters(t *testing.T) {
	ctx := context.Background()
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	for _, in := range []kb.ArticleInput{
		{Title: "Refund times", Body: "Refunds reach your card in five days.", Language: "en", Tags: []string{"refunds"}},
		{Title: "Card payments", Body: "We take Visa. A refund goes back to the same card.", Language: "en", Tags: []string{"payments"}, Status: kb.StatusPublished},
		{Title: "退款多久到账", Body: "退款会在五天内退回原支付账户。", Language: "zh", Tags: []string{"refunds"}},
		{Title: "发票", Body: "下单后可以在订单页申请电子发票。", Language: "zh", Questions: []string{"怎么开发票报销"}},
	} {
		_, err := s.ArticleCreate(ctx, input(t, in), "manual", nil)
		require.NoError(t, err)
	}
	titles := func(f kb.ArticleFilter) []string {
		list, err := s.ArticleList(ctx, f)
		require.NoError(t, err)
		out := []string{}
		for _, a := range list {
			out = append(out, a.Title)
		}
		return out
	}
	require.Equal(t, []string{"Refund times", "Card payments"}, titles(kb.ArticleFilter{Query: "REFUND"}), "title matches first")
	require.Equal(t, []string{"Card payments"}, titles(kb.ArticleFilter{Query: "refund same card"}), "every word must match")
	require.Equal(t, []string{"退款多久到账"}, titles(kb.ArticleFilter{Query: "原支付"}), "Chinese body text")
	require.Equal(t, []string{"发票"}, titles(kb.ArticleFilter{Query: "报销"}), "alternative questions")
	require.ElementsMatch(t, []string{"Refund times", "退款多久到账"}, titles(kb.ArticleFilter{Tag: "refunds"}))
	require.Equal(t, []string{"退款多久到账"}, titles(kb.ArticleFilter{Tag: "refunds", Language: "zh"}))
	require.Equal(t, []string{"Card payments"}, titles(kb.ArticleFilter{Status: kb.StatusPublished}))
	require.Empty(t, titles(kb.ArticleFilter{Query: "norway"}))

	tags, err := s.ArticleTags(ctx)
	require.NoError(t, err)
	require.Equal(t, []kb.TagCount{{Tag: "refunds", Articles: 2}, {Tag: "payments", Articles: 1}}, tags)
}
