package kb_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/kb"
)

// Native Postgres speaks the extended protocol (typed parameters, prepared statements) where the
// embedded database uses the simple one: import, search and re-embed work over it too. One
// connection, so PGlite's shared session never interleaves two of them.
func TestExtendedProtocol(t *testing.T) {
	ctx := context.Background()
	dbtest.New(t) // empty tables
	pool, err := db.NewPool(ctx, dbtest.URL(t)+"&pool_max_conns=1", false)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	require.NoError(t, s.EnsureIndex(ctx))
	res, err := s.ImportJSONL(ctx, bytes.NewReader(demo.Articles()), "test", nil)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	for _, q := range []struct{ q, lang, title string }{
		{"我的快递到哪了", "zh", "怎么查物流"},
		{"where is my parcel right now", "en", "Tracking Your Order"},
	} {
		got, err := s.Search(ctx, q.q, kb.SearchOptions{Language: q.lang, K: 3})
		require.NoError(t, err)
		require.NotEmpty(t, got)
		require.Equal(t, q.title, got[0].Title)
	}
	e, _ := conceptEmbedder(t)
	s2 := kb.NewStore(pool, e)
	require.NoError(t, s2.EnsureIndex(ctx))
	n, err := s2.Refresh(ctx, nil)
	require.NoError(t, err)
	require.Positive(t, n)
	got, err := s2.Search(ctx, "my parcel", kb.SearchOptions{Language: "en", K: 3})
	require.NoError(t, err)
	require.NotEmpty(t, got)
}
