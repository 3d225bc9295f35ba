package events_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/events"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// An event notified in a committed transaction reaches the topic's subscribers; other topics
// and rolled-back transactions deliver nothing.
func TestBusDeliversCommittedEvents(t *testing.T) {
	pool := dbtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bus := events.NewBus(pool, dbtest.Embedded(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	go bus.Run(ctx)
	<-bus.Ready()
	ch, unsub := bus.Subscribe("conv:a")
	defer unsub()

	require.Error(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		require.NoError(t, events.Notify(ctx, tx, events.Event{Topic: "conv:a", Kind: "message", Seq: 1}))
		return io.EOF // roll back
	}))
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return events.Notify(ctx, tx, events.Event{Topic: "conv:b", Kind: "message", Seq: 1})
	}))
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return events.Notify(ctx, tx, events.Event{Topic: "conv:a", Kind: "message", Seq: 2})
	}))
	select {
	case ev := <-ch:
		require.Equal(t, int64(2), ev.Seq)
	case <-time.After(10 * time.Second):
		t.Fatal("no event delivered")
	}
	// The pool still serves other queries while the listener waits.
	for i := 0; i < 20; i++ {
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT 1").Scan(&n))
	}
}
