package server

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/kb"
)

// renamedEmbedder is the local embedder under another name: to the knowledge base, a new model.
type renamedEmbedder struct{ kb.LocalEmbedder }

func (renamedEmbedder) Name() string { return "local-renamed" }

// At start, chunks another embedder made are re-embedded in the background, with progress logged.
func TestRefreshKBLogsProgress(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	_, err := kb.NewStore(pool, kb.LocalEmbedder{}).ImportJSONL(ctx, bytes.NewReader(demo.Articles()), "test", nil)
	require.NoError(t, err)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	store := kb.NewStore(pool, renamedEmbedder{})
	RefreshKB(ctx, store, log)
	out := logs.String()
	require.Contains(t, out, "re-embedding in the background")
	require.Contains(t, out, "embedder=local-renamed")
	require.GreaterOrEqual(t, strings.Count(out, "msg=\"knowledge base: re-embedding\""), 5, out)
	require.Contains(t, out, "re-embedding done")
	st, err := store.Stale(ctx)
	require.NoError(t, err)
	require.Zero(t, st.Total())

	logs.Reset()
	RefreshKB(ctx, store, log) // nothing to do: silent
	require.Empty(t, logs.String())
}
