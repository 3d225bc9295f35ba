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
	try := func(account string, o outcome) error {
		t.Helper()
		end, err := g.begin(account)
		if err == nil {
			end(o)
		}
		return err
	}

	for i := 0; i < failLimit; i++ {
		require.NoError(t, try("ann@x.test", attemptWrong), "attempt %d", i+1)
		now = now.Add(time.Second)
	}
	err := try("ann@x.test", attemptRight)
	require.ErrorIs(t, err, ErrThrottled, "even the right password, once throttled")
	var te ThrottledError
	require.True(t, errors.As(err, &te))
	require.InDelta(t, (failWindow - time.Second).Seconds(), te.RetryAfter.Seconds(), 1)
	require.NoError(t, try("bob@x.test", attemptWrong), "another account is not throttled")

	now = now.Add(failWindow)
	require.NoError(t, try("ann@x.test", attemptWrong), "the window has passed")
	require.NoError(t, try("ann@x.test", attemptWrong), "counting starts again")

	// A right password clears the count; an attempt without a verdict does not count.
	for i := 0; i < failLimit-1; i++ {
		require.NoError(t, try("cat@x.test", attemptWrong))
	}
	require.NoError(t, try("cat@x.test", attemptRight))
	for i := 0; i < failLimit-1; i++ {
		require.NoError(t, try("cat@x.test", attemptWrong))
	}
	require.NoError(t, try("cat@x.test", attemptAborted))
	require.NoError(t, try("cat@x.test", attemptWrong), "the fifth wrong one")
	require.ErrorIs(t, try("cat@x.test", attemptWrong), ErrThrottled)
}

// Attempts in flight count: many at once (from many addresses) cannot all get past the limit
// before the first of them is counted.
func TestAttemptsInFlightCount(t *testing.T) {
	g := newLoginGuard()
	var ends []func(outcome)
	for i := 0; i < failLimit; i++ {
		end, err := g.begin("dan@x.test")
		require.NoError(t, err, "attempt %d", i+1)
		ends = append(ends, end)
	}
	_, err := g.begin("dan@x.test")
	var te ThrottledError
	require.True(t, errors.As(err, &te), "a sixth attempt while five are under way")
	require.Equal(t, time.Second, te.RetryAfter)
	for _, end := range ends {
		end(attemptWrong)
	}
	_, err = g.begin("dan@x.test")
	require.True(t, errors.As(err, &te))
	require.Greater(t, te.RetryAfter, time.Minute, "five wrong ones: the window")
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
