package kb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

// Changing the embedder: search keeps finding articles (lexically) before re-embedding, Refresh
// re-embeds everything with progress, creates nothing twice, and then the new model's vectors work.
func TestReembedAfterEmbedderChange(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	old := kb.NewStore(pool, kb.LocalEmbedder{})
	ids := addArticles(t, old, hybridArticles...)

	e, srv := conceptEmbedder(t)
	s := kb.NewStore(pool, e)
	require.NoError(t, s.EnsureIndex(ctx))
	var idx int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname = $1`, kb.IndexName(conceptDim)).Scan(&idx))
	require.Equal(t, 1, idx, "an HNSW index for the new dimension")

	st, err := s.Stale(ctx)
	require.NoError(t, err)
	var chunks int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM kb_chunks`).Scan(&chunks))
	require.Equal(t, kb.Staleness{Articles: 0, Chunks: chunks}, st)

	// Not re-embedded yet: found by its words, judged on them alone.
	res, err := s.Search(ctx, "error XR7731 at checkout", kb.SearchOptions{Language: "en", K: 3})
	require.NoError(t, err)
	require.NotEmpty(t, res)
	require.Equal(t, ids["Checkout problems"], res[0].ArticleID)
	require.Equal(t, res[0].LexicalScore, res[0].VectorScore)
	// The paraphrase needs the new model's vectors: not found yet.
	res, err = s.Search(ctx, "will I be compensated in cash", kb.SearchOptions{Language: "en", K: 3})
	require.NoError(t, err)
	require.Empty(t, res)

	var seen []int
	n, err := s.Refresh(ctx, func(done, total int) {
		require.Equal(t, chunks, total)
		seen = append(seen, done)
	})
	require.NoError(t, err)
	require.Equal(t, chunks, n)
	require.Equal(t, chunks, seen[len(seen)-1])
	require.NotEmpty(t, srv.Requests())
	var stale int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM kb_chunks WHERE embedder <> $1 OR dim <> $2`, e.Name(), conceptDim).Scan(&stale))
	require.Zero(t, stale)
	st, err = s.Stale(ctx)
	require.NoError(t, err)
	require.Zero(t, st.Total())

	res, err = s.Search(ctx, "will I be compensated in cash", kb.SearchOptions{Language: "en", K: 3})
	require.NoError(t, err)
	require.NotEmpty(t, res)
	require.Equal(t, ids["Refund policy"], res[0].ArticleID)

	// Switching back re-embeds with the local embedder again.
	st, err = old.Stale(ctx)
	require.NoError(t, err)
	require.Equal(t, chunks, st.Chunks)
}

// Articles cut by an older chunker are re-cut; --all redoes every article.
func TestRefreshRecutsOldChunks(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	ids := addArticles(t, s, hybridArticles...)
	_, err := pool.Exec(ctx, `UPDATE kb_chunks SET chunker = 'old', heading = '' WHERE article_id = $1`, ids["Refund policy"])
	require.NoError(t, err)
	st, err := s.Stale(ctx)
	require.NoError(t, err)
	require.Equal(t, kb.Staleness{Articles: 1}, st)
	n, err := s.Refresh(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	var heading string
	require.NoError(t, pool.QueryRow(ctx, `SELECT heading FROM kb_chunks WHERE article_id = $1 AND kind = 'body'`, ids["Refund policy"]).Scan(&heading))
	require.Equal(t, "How it works", heading)

	require.NoError(t, s.MarkAllStale(ctx))
	st, err = s.Stale(ctx)
	require.NoError(t, err)
	require.Equal(t, len(hybridArticles), st.Articles)
	n, err = s.Refresh(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, len(hybridArticles), n)
}

// The document frequencies the triggers keep match the chunks after creates, updates and deletes.
func TestTermStatsFollowChunks(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	ids := addArticles(t, s, hybridArticles...)
	in := kb.ArticleInput{Title: "Delivery times", Language: "en", Status: kb.StatusPublished, Body: "Parcels take a week now."}
	require.NoError(t, in.Normalize())
	_, err := s.ArticleUpdate(ctx, ids["Delivery times"], in, kb.Change{})
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `DELETE FROM kb_articles WHERE id = $1`, ids["Account security"])
	require.NoError(t, err)

	var mismatches int
	require.NoError(t, pool.QueryRow(ctx, `
		WITH actual AS (
			SELECT t AS term, count(*) AS df FROM kb_chunks, unnest(tokens) t GROUP BY t
			UNION ALL SELECT '#chunks', count(*) FROM kb_chunks
			UNION ALL SELECT '#tokens', coalesce(sum(cardinality(tokens)), 0) FROM kb_chunks)
		SELECT count(*) FROM actual a FULL JOIN (SELECT * FROM kb_terms WHERE df <> 0 AND term <> '#generation') k ON k.term = a.term
		WHERE a.df IS DISTINCT FROM k.df`).Scan(&mismatches))
	require.Zero(t, mismatches)
}
