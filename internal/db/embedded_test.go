package db

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func nodeModules() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "node_modules")
}

// A second process on the same data directory shares the running database instead of opening
// the files twice; data written before a restart is still there after it.
func TestEmbeddedShareAndRestart(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()

	first, err := StartEmbedded(ctx, dir, nodeModules(), log)
	require.NoError(t, err)
	require.True(t, first.Owner())
	p1, err := NewPool(ctx, first.URL, true)
	require.NoError(t, err)
	_, err = p1.Exec(ctx, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before restart')`)
	require.NoError(t, err)

	second, err := StartEmbedded(ctx, dir, nodeModules(), log)
	require.NoError(t, err)
	require.False(t, second.Owner(), "the second command shares the owner's server")
	require.Equal(t, first.URL, second.URL)
	p2, err := NewPool(ctx, second.URL, true)
	require.NoError(t, err)
	var v string
	require.NoError(t, p2.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v))
	require.Equal(t, "before restart", v)
	p2.Close()
	second.Stop() // does not stop the owner's server
	require.NoError(t, p1.Ping(ctx))

	p1.Close()
	first.Stop()

	again, err := StartEmbedded(ctx, dir, nodeModules(), log)
	require.NoError(t, err)
	defer again.Stop()
	require.True(t, again.Owner())
	p3, err := NewPool(ctx, again.URL, true)
	require.NoError(t, err)
	defer p3.Close()
	require.NoError(t, p3.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v))
	require.Equal(t, "before restart", v)
}

func TestMissingNodeModulesIsAClearError(t *testing.T) {
	_, err := StartEmbedded(context.Background(), t.TempDir(), t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.ErrorContains(t, err, "npm packages are not installed")
}

// If the embedded database process dies, Baton starts it again on the same address (the pool
// reconnects, the data is there) instead of answering 500 forever; when it cannot, Failed says so
// and Baton exits.
func TestEmbeddedRestartsAfterACrash(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := StartEmbedded(ctx, t.TempDir(), nodeModules(), log)
	require.NoError(t, err)
	defer e.Stop()
	pool, err := NewPool(ctx, e.URL, true)
	require.NoError(t, err)
	defer pool.Close()
	_, err = pool.Exec(ctx, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the crash')`)
	require.NoError(t, err)
	require.True(t, e.Up())

	first := e.PID()
	require.NoError(t, syscall.Kill(first, syscall.SIGKILL))
	require.Eventually(t, func() bool { return !e.Up() }, 10*time.Second, 20*time.Millisecond, "seen down")
	require.Eventually(t, func() bool { return e.Up() }, 2*time.Minute, 100*time.Millisecond, "restarted")
	require.NotEqual(t, first, e.PID())
	var v string
	require.Eventually(t, func() bool {
		return pool.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v) == nil
	}, 30*time.Second, 100*time.Millisecond, "the pool reconnects to the restarted server")
	require.Equal(t, "before the crash", v)
	select {
	case err := <-e.Failed():
		t.Fatalf("failed after a restart that worked: %v", err)
	default:
	}

	// A server that cannot start again: after maxRestarts attempts, Failed reports it.
	e.mu.Lock()
	e.script = filepath.Join(t.TempDir(), "missing.js")
	e.mu.Unlock()
	require.NoError(t, syscall.Kill(e.PID(), syscall.SIGKILL))
	select {
	case err := <-e.Failed():
		require.ErrorContains(t, err, "could not be restarted")
	case <-time.After(2 * time.Minute):
		t.Fatal("no failure reported")
	}
	require.False(t, e.Up())
}

// Stopping Baton (Ctrl-C) while the embedded database is being restarted does not wait for the
// restart attempts.
func TestStopDuringARestart(t *testing.T) {
	e, err := StartEmbedded(context.Background(), t.TempDir(), nodeModules(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	e.mu.Lock()
	e.script = filepath.Join(t.TempDir(), "missing.js") // every restart fails, after a pause
	e.mu.Unlock()
	require.NoError(t, syscall.Kill(e.PID(), syscall.SIGKILL))
	require.Eventually(t, func() bool { return !e.Up() }, 10*time.Second, 20*time.Millisecond)
	start := time.Now()
	e.Stop()
	require.Less(t, time.Since(start), 3*time.Second, "Stop waited for the restart attempts")
}
