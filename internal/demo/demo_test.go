package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/internal/compliance"
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

// The demo's compliance rules hold back none of the demo's own answers: no published article and
// no bot template says a demo phrase. Seeding again adds nothing.
func TestDemoComplianceRulesSpareTheDemo(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := &compliance.Store{Pool: pool}
	require.NoError(t, demo.EnsureCompliance(ctx, store, log))
	n, err := store.EnsureRules(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, n)
	rules, err := store.Rules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, 4)
	require.NoError(t, demo.EnsureCompliance(ctx, store, log))
	rules2, err := store.Rules(ctx)
	require.NoError(t, err)
	require.Len(t, rules2, 4, "seeding twice adds nothing")

	set, errs := compliance.NewRuleSet(rules)
	require.Empty(t, errs)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	require.NoError(t, demo.LoadArticles(ctx, s, log))
	arts, err := s.ArticleList(ctx, kb.ArticleFilter{})
	require.NoError(t, err)
	require.NotEmpty(t, arts)
	for _, a := range arts {
		full, err := s.ArticleGet(ctx, a.ID)
		require.NoError(t, err)
		require.Empty(t, set.Check(full.Title+"\n"+full.Body, full.Language), full.Title)
	}
	bots := bot.NewStore(pool)
	require.NoError(t, demo.EnsureBot(ctx, bots, log))
	d, err := bots.Active(ctx)
	require.NoError(t, err)
	def, err := bot.ParseDefinition([]byte(d.Source))
	require.NoError(t, err)
	require.Empty(t, bot.CheckTemplates(set, def))
	// The rules do bite where they should.
	require.Len(t, set.Check("你这个傻逼", "zh"), 1)
	require.Len(t, set.Check("We offer a guaranteed refund", "en"), 1)
}
