package kb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

// A knowledge base past syncArticles keeps answering with its previous model while the new one
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
	syncArticles = 2
	t.Cleanup(func() { syncArticles = 60 })
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
