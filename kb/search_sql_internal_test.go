package kb

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

// A knowledge base up to exactChunks finds its vector candidates by a scan, never through the
// HNSW index: the index's neighbours depend on the order the graph was built in, so a borderline
// answer could differ between two databases holding the same articles. The planner is pushed
// towards the index (sequential scans off) and still must not take it; the approximate query,
// planned the same way, does.
func TestExactVectorQueryAvoidsTheIndex(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := NewStore(pool, LocalEmbedder{})
	require.NoError(t, s.EnsureIndex(ctx))
	in := ArticleInput{Title: "Delivery times", Body: "Parcels arrive in 3-5 days.", Language: "en", Status: StatusPublished}
	require.NoError(t, in.Normalize())
	_, err := s.ArticleCreate(ctx, in, "test", nil)
	require.NoError(t, err)

	vecs, err := s.embedder.Embed(ctx, []string{"when does my parcel come"})
	require.NoError(t, err)
	plan := func(sql string) string {
		var lines []string
		require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, "EXPLAIN "+sql, pgvector.NewVector(vecs[0]), []string{"parcel"}, s.embedder.Name(), "en", 20)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var l string
				if err := rows.Scan(&l); err != nil {
					return err
				}
				lines = append(lines, l)
			}
			return rows.Err()
		}))
		return strings.Join(lines, "\n")
	}
	index := IndexName(LocalEmbedder{}.Dim())
	require.NotContains(t, plan(s.sql.vectorExact), index)
	require.Contains(t, plan(s.sql.vector), index, "the approximate query uses the index when the planner is pushed to")
}
