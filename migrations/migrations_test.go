package migrations_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/migrations"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Up, down to nothing, and up again must leave a working schema each time.
func TestUpDownUp(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)

	n, err := migrations.Pending(ctx, pool)
	require.NoError(t, err)
	require.Zero(t, n, "dbtest migrates everything")

	// Chunks of any dimension are stored; rolling back to the 512-only schema drops the others.
	_, err = pool.Exec(ctx, `INSERT INTO kb_articles (title, body, language) VALUES ('t', 'b', 'en');
		INSERT INTO kb_chunks (article_id, ord, kind, text, embedder, dim, embedding)
		SELECT id, 0, 'title', 't', 'small', 3, '[1,0,0]' FROM kb_articles;
		INSERT INTO kb_chunks (article_id, ord, kind, text, embedder, dim, embedding)
		SELECT id, 1, 'title', 't', 'local', 512, array_fill(0.1, ARRAY[512])::vector FROM kb_articles`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO kb_chunks (article_id, ord, kind, text, embedder, dim, embedding)
		SELECT id, 2, 'title', 't', 'liar', 4, '[1,0,0]' FROM kb_articles`)
	require.ErrorContains(t, err, "kb_chunks_dim_check", "dim says the vector's dimension")
	_, err = migrations.DownTo(ctx, pool, 3)
	require.NoError(t, err)
	var dims []int32
	require.NoError(t, pool.QueryRow(ctx, "SELECT array_agg(dim ORDER BY dim) FROM kb_chunks").Scan(&dims))
	require.Equal(t, []int32{512}, dims)
	_, err = migrations.Up(ctx, pool)
	require.NoError(t, err)
	var counted int64
	require.NoError(t, pool.QueryRow(ctx, "SELECT df FROM kb_terms WHERE term = '#chunks'").Scan(&counted))
	require.EqualValues(t, 1, counted, "chunks from before 0004 are counted")
	var history []string
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(v.version || ' ' || v.action || ' ' || v.title)
		FROM kb_article_versions v JOIN kb_articles a ON a.id = v.article_id AND a.version = v.version`).Scan(&history))
	require.Equal(t, []string{"1 baseline t"}, history, "articles from before 0006 start their history")

	down, err := migrations.DownTo(ctx, pool, 0)
	require.NoError(t, err)
	require.NotEmpty(t, down)
	var exists bool
	require.NoError(t, pool.QueryRow(ctx, "SELECT to_regclass('conversations') IS NOT NULL").Scan(&exists))
	require.False(t, exists, "down removes the tables")
	n, err = migrations.Pending(ctx, pool)
	require.NoError(t, err)
	require.Equal(t, len(down), n)

	up, err := migrations.Up(ctx, pool)
	require.NoError(t, err)
	require.Len(t, up, len(down))
	require.NoError(t, pool.QueryRow(ctx, "SELECT to_regclass('conversations') IS NOT NULL").Scan(&exists))
	require.True(t, exists)

	// pgvector works after the round trip: cosine distance through the HNSW-indexed column type.
	var d float64
	require.NoError(t, pool.QueryRow(ctx, "SELECT '[1,0,0]'::vector <=> '[0,1,0]'::vector").Scan(&d))
	require.InDelta(t, 1.0, d, 1e-9)
}

// Two processes starting together on a fresh database (two `baton serve` behind one proxy) take
// turns: every migration is applied once, and neither fails.
func TestConcurrentUp(t *testing.T) {
	if dbtest.Embedded() {
		t.Skip("PGlite is one session: two processes share it and cannot race (make test-native runs this)")
	}
	ctx := context.Background()
	admin := dbtest.New(t)
	_, err := admin.Exec(ctx, `DROP SCHEMA IF EXISTS race_test CASCADE; CREATE SCHEMA race_test`)
	require.NoError(t, err)
	defer admin.Exec(ctx, `DROP SCHEMA IF EXISTS race_test CASCADE`) //nolint:errcheck
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = "race_test,public"
	var wg sync.WaitGroup
	applied := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool, err := pgxpool.NewWithConfig(ctx, cfg)
			if err != nil {
				errs[i] = err
				return
			}
			defer pool.Close()
			rs, err := migrations.Up(ctx, pool)
			applied[i], errs[i] = len(rs), err
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	all, err := migrations.Pending(ctx, admin)
	require.NoError(t, err)
	require.Zero(t, all)
	require.Positive(t, applied[0]+applied[1])
	require.Zero(t, min(applied[0], applied[1]), "one process applied them all, the other found nothing to do")
}
