package kb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

// A knowledge base past syncChunks keeps answering with its previous model while the new one
// trains in the background, and picks the new one up once it is ready; a small one retrains within
// the search that first sees the change.
func TestModelRebuildsWhenTheKnowledgeBaseChanges(t *testing.T) {
	ctx := context.Background()
	s := NewStore(dbtest.New(t), LocalEmbedder{})
	add := func(title, body string, questions ...string) {
		in := ArticleInput{Title: title, Body: body, Language: "en", Status: StatusPublished, Questions: questions}
		require.NoError(t, in.Normalize())
		_, err := s.ArticleCreate(ctx, in, "test", nil)
		require.NoError(t, err)
	}
	for i := range 3 {
		add(fmt.Sprintf("Topic %d", i), fmt.Sprintf("Body about topic number %d.", i), fmt.Sprintf("question on topic %d", i))
	}
	info, err := s.Model(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, info.Languages["en"].Articles)
	require.True(t, info.Languages["en"].Classifier)

	// Small: the next search sees the fourth article in the classifier.
	add("Gift wrapping", "We wrap gifts for 5 yuan.", "do you gift wrap")
	res, err := s.Search(ctx, "can you gift wrap my present", SearchOptions{Language: "en"})
	require.NoError(t, err)
	require.Equal(t, "Gift wrapping", res[0].Title)
	require.Positive(t, res[0].ClassifierScore, "the classifier knows the new article at once")

	// Large (for this test): the search after a change uses the old model, the background build
	// catches up.
	old := syncChunks
	syncChunks = 2
	t.Cleanup(func() { syncChunks = old })
	add("Store hours", "Our shops open 10:00-22:00.", "when do your shops open")
	res, err = s.Search(ctx, "when do your shops open", SearchOptions{Language: "en"})
	require.NoError(t, err)
	require.Equal(t, "Store hours", res[0].Title, "retrieval finds the new article at once")
	require.Zero(t, res[0].ClassifierScore, "the previous classifier does not know it yet")
	require.Eventually(t, func() bool {
		res, err := s.Search(ctx, "when do your shops open", SearchOptions{Language: "en"})
		return err == nil && res[0].Title == "Store hours" && res[0].ClassifierScore > 0
	}, 30*time.Second, 100*time.Millisecond, "the retrained classifier knows it")
}

// The generation, and with it the model, moves when what the model learns from changes, and not
// for a draft saved or a published article's tags edited.
func TestGenerationFollowsPublishedContent(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := NewStore(pool, LocalEmbedder{})
	gen := func() int64 {
		g, err := s.Generation(ctx)
		require.NoError(t, err)
		return g
	}
	moved := func(what string, f func()) {
		t.Helper()
		before := gen()
		f()
		require.Greater(t, gen(), before, "%s moves the generation", what)
	}
	still := func(what string, f func()) {
		t.Helper()
		before := gen()
		f()
		require.Equal(t, before, gen(), "%s leaves the generation", what)
	}
	body := "Parcels arrive in 3-5 days."
	input := func(status string, tags ...string) ArticleInput {
		in := ArticleInput{Title: "Delivery times", Body: body, Language: "en",
			Status: status, Questions: []string{"how long does delivery take"}, Tags: tags}
		require.NoError(t, in.Normalize())
		return in
	}
	var a Article
	var err error
	still("a draft created", func() {
		a, err = s.ArticleCreate(ctx, input(StatusDraft), "test", nil)
		require.NoError(t, err)
	})
	still("a draft edited", func() {
		body = "Parcels arrive in 2-4 days."
		a, err = s.ArticleUpdate(ctx, a.ID, input(StatusDraft), Change{})
		require.NoError(t, err)
	})
	moved("publishing", func() {
		a, err = s.ArticleSetStatus(ctx, a.ID, StatusPublished, Change{})
		require.NoError(t, err)
	})
	still("a published article's tags edited", func() {
		a, err = s.ArticleUpdate(ctx, a.ID, input(StatusPublished, "shipping"), Change{})
		require.NoError(t, err)
	})
	moved("a published article's questions edited", func() {
		in := input(StatusPublished, "shipping")
		in.Questions = append(in.Questions, "when will my parcel come")
		a, err = s.ArticleUpdate(ctx, a.ID, in, Change{})
		require.NoError(t, err)
	})
	moved("a published article's passages rechunked", func() {
		_, err := pool.Exec(ctx, `DELETE FROM kb_chunks WHERE article_id = $1 AND kind = 'body'`, a.ID)
		require.NoError(t, err)
	})
	moved("archiving", func() {
		a, err = s.ArticleSetStatus(ctx, a.ID, StatusArchived, Change{})
		require.NoError(t, err)
	})
	still("an archived article deleted", func() {
		_, err := pool.Exec(ctx, `DELETE FROM kb_articles WHERE id = $1`, a.ID)
		require.NoError(t, err)
	})
	moved("emptying the table", func() {
		_, err := pool.Exec(ctx, `TRUNCATE kb_articles CASCADE`)
		require.NoError(t, err)
	})
}

// When the model cannot be built (here: the store's background work has been stopped), search
// still answers, on retrieval alone, and Model says it failed instead of waiting forever.
func TestSearchWithoutAModel(t *testing.T) {
	ctx := context.Background()
	s := NewStore(dbtest.New(t), LocalEmbedder{})
	for i, title := range []string{"Shipping times", "Returns", "Opening hours"} {
		in := ArticleInput{Title: title, Body: fmt.Sprintf("About %s, part %d.", title, i), Language: "en", Status: StatusPublished}
		require.NoError(t, in.Normalize())
		_, err := s.ArticleCreate(ctx, in, "test", nil)
		require.NoError(t, err)
	}
	stopped, stop := context.WithCancel(ctx)
	stop()
	s.SetBackground(stopped)
	res, err := s.Search(ctx, "opening hours", SearchOptions{Language: "en"})
	require.NoError(t, err)
	require.Equal(t, "Opening hours", res[0].Title)
	require.Zero(t, res[0].ClassifierScore)
	require.Equal(t, "retrieval", res[0].Evidence.Model)
	_, err = s.Model(ctx)
	require.Error(t, err)
	s.Wait()
}
