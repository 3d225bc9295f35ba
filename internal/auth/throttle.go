package auth

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"
)

// Password checks are the expensive part of signing in (argon2id: 19 MiB and tens of
// milliseconds each), so wrong passwords are bounded two ways:
//   - at most hashSlots checks run at once, and at most maxHashWaiters wait for a slot; past that a
//     sign-in is refused with ErrBusy rather than queued (memory stays flat under a flood);
//   - per account (the email as typed, lower-cased), after failLimit wrong passwords within
//     failWindow further attempts are refused with ErrThrottled, without a check, until the
//     window has passed since the last failure. A right password clears the count.
//
// The per-IP rate limit in front of the login endpoints still applies; this holds against many
// IPs trying one account. The counts are per process: two processes allow twice as many.
const (
	hashSlots      = 2
	maxHashWaiters = 16
	failLimit      = 5
	failWindow     = 15 * time.Minute
)

// ErrThrottled is returned while an account refuses sign-ins after too many wrong passwords.
var ErrThrottled = errors.New("auth: too many wrong passwords for this account; try again later")

// ErrBusy is returned when too many sign-ins are being checked at once.
var ErrBusy = errors.New("auth: too many sign-ins at once; try again in a moment")

// ThrottledError says how long an account stays throttled.
type ThrottledError struct{ RetryAfter time.Duration }

func (e ThrottledError) Error() string { return ErrThrottled.Error() }
func (e ThrottledError) Unwrap() error { return ErrThrottled }

// RetryAfter is the Retry-After header value, in seconds, for ErrThrottled or ErrBusy.
func RetryAfter(err error) string {
	var t ThrottledError
	if errors.As(err, &t) {
		return strconv.Itoa(int(t.RetryAfter.Seconds()) + 1)
	}
	return "1"
}

type loginGuard struct {
	slots   chan struct{}
	mu      sync.Mutex
	waiting int
	fails   map[string]*failures
	lastGC  time.Time
	now     func() time.Time // for tests
}

type failures struct {
	n    int
	last time.Time
}

func newLoginGuard() *loginGuard {
	return &loginGuard{slots: make(chan struct{}, hashSlots), fails: map[string]*failures{}, now: time.Now}
}

// allowed says whether account may try a password now.
func (g *loginGuard) allowed(account string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if now.Sub(g.lastGC) > time.Minute {
		for k, f := range g.fails {
			if now.Sub(f.last) > failWindow {
				delete(g.fails, k)
			}
		}
		g.lastGC = now
	}
	f := g.fails[account]
	if f == nil || f.n < failLimit {
		return nil
	}
	if wait := failWindow - now.Sub(f.last); wait > 0 {
		return ThrottledError{RetryAfter: wait}
	}
	delete(g.fails, account)
	return nil
}

// result records the outcome of a password check for account.
func (g *loginGuard) result(account string, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if ok {
		delete(g.fails, account)
		return
	}
	now := g.now()
	f := g.fails[account]
	if f == nil || now.Sub(f.last) > failWindow {
		f = &failures{}
		g.fails[account] = f
	}
	f.n++
	f.last = now
}

// check runs one password check within the concurrency bound.
func (g *loginGuard) check(ctx context.Context, encoded, pw string) (bool, error) {
	g.mu.Lock()
	if g.waiting >= maxHashWaiters {
		g.mu.Unlock()
		return false, ErrBusy
	}
	g.waiting++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
	}()
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-g.slots }()
	return CheckPassword(encoded, pw), nil
}
