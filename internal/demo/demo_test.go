package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/kb"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Loading the demo again (every `make run`) changes nothing, and never undoes an editor's edit.
func TestLoadArticlesKeepsEditorsChanges(t *testing.T) {
	ctx := context.Background()
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	require.NoError(t, demo.LoadArticles(ctx, s, log))
	list, err := s.ArticleList(ctx, kb.ArticleFilter{Query: "400-123-4567", Language: "en"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	a := list[0]
	require.Equal(t, 1, a.Version)

	in := kb.ArticleInput{Title: a.Title, Body: "We are open around the clock.", Language: a.Language, Status: a.Status, Tags: a.Tags, Questions: a.Questions}
	require.NoError(t, in.Normalize())
	_, err = s.ArticleUpdate(ctx, a.ID, in, kb.Change{BaseVersion: 1, Source: "manual"})
	require.NoError(t, err)

	require.NoError(t, demo.LoadArticles(ctx, s, log))
	got, err := s.ArticleGet(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, "We are open around the clock.", got.Body, "the editor's text stays")
	require.Equal(t, 2, got.Version)
	all, err := s.ArticleList(ctx, kb.ArticleFilter{})
	require.NoError(t, err)
	for _, x := range all {
		if x.ID != a.ID {
			require.Equal(t, 1, x.Version, "%s: reloading the same demo records no version", x.Title)
		}
	}
}
