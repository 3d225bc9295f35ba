package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAccountThrottle(t *testing.T) {
	g := newLoginGuard()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	g.now = func() time.Time { return now }

	for i := 0; i < failLimit; i++ {
		require.NoError(t, g.allowed("ann@x.test"), "attempt %d", i+1)
		g.result("ann@x.test", false)
		now = now.Add(time.Second)
	}
	err := g.allowed("ann@x.test")
	require.ErrorIs(t, err, ErrThrottled)
	var te ThrottledError
	require.True(t, errors.As(err, &te))
	require.InDelta(t, (failWindow - time.Second).Seconds(), te.RetryAfter.Seconds(), 1)
	require.NoError(t, g.allowed("bob@x.test"), "another account is not throttled")

	now = now.Add(failWindow)
	require.NoError(t, g.allowed("ann@x.test"), "the window has passed")
	g.result("ann@x.test", false)
	require.NoError(t, g.allowed("ann@x.test"), "counting starts again")

	// A right password clears the count.
	for i := 0; i < failLimit-1; i++ {
		g.result("cat@x.test", false)
	}
	g.result("cat@x.test", true)
	g.result("cat@x.test", false)
	require.NoError(t, g.allowed("cat@x.test"))
}

// With every hashing slot taken and the waiting room full, a sign-in is refused at once instead of
// queueing another argon2id computation.
func TestPasswordChecksAreBounded(t *testing.T) {
	g := newLoginGuard()
	for i := 0; i < hashSlots; i++ {
		g.slots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{}, maxHashWaiters)
	results := make(chan error, maxHashWaiters)
	for i := 0; i < maxHashWaiters; i++ {
		go func() {
			started <- struct{}{}
			_, err := g.check(ctx, dummyHash, "x")
			results <- err
		}()
	}
	for i := 0; i < maxHashWaiters; i++ {
		<-started
	}
	require.Eventually(t, func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.waiting == maxHashWaiters
	}, 5*time.Second, 5*time.Millisecond)
	_, err := g.check(context.Background(), dummyHash, "x")
	require.ErrorIs(t, err, ErrBusy)

	// Freeing the slots lets the waiters through, at most hashSlots at a time.
	for i := 0; i < hashSlots; i++ {
		<-g.slots
	}
	for i := 0; i < maxHashWaiters; i++ {
		require.NoError(t, <-results)
	}
	ok, err := g.check(context.Background(), HashPassword("right"), "right")
	require.NoError(t, err)
	require.True(t, ok)
}
