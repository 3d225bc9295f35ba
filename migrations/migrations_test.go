package migrations_test

import (
	"context"
	"testing"

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
