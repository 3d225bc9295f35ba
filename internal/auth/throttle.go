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
	n       int       // wrong passwords in the window
	pending int       // checks under way, counted against the limit until they end
	last    time.Time // the last wrong password
}

// outcome is how a sign-in attempt ended.
type outcome int

const (
	attemptRight   outcome = iota // the right password: the count starts again
	attemptWrong                  // a wrong password (or an unknown account)
	attemptAborted                // no verdict (the database failed, the client left, too busy)
)

func newLoginGuard() *loginGuard {
	return &loginGuard{slots: make(chan struct{}, hashSlots), fails: map[string]*failures{}, now: time.Now}
}

// begin says whether account may try a password now and, if so, counts the attempt as under way
// until end is called with its outcome: attempts in flight count against the limit too, so many
// at once cannot slip past it.
func (g *loginGuard) begin(account string) (end func(outcome), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if now.Sub(g.lastGC) > time.Minute {
		for k, f := range g.fails {
			if f.pending == 0 && now.Sub(f.last) > failWindow {
				delete(g.fails, k)
			}
		}
		g.lastGC = now
	}
	f := g.fails[account]
	if f == nil {
		f = &failures{}
		g.fails[account] = f
	}
	if f.n > 0 && now.Sub(f.last) > failWindow {
		f.n = 0 // the window has passed
	}
	if f.n >= failLimit {
		return nil, ThrottledError{RetryAfter: failWindow - now.Sub(f.last)}
	}
	if f.n+f.pending >= failLimit {
		return nil, ThrottledError{RetryAfter: time.Second} // the attempts in flight decide
	}
	f.pending++
	return func(o outcome) { g.end(account, o) }, nil
}

// end settles an attempt begin counted.
func (g *loginGuard) end(account string, o outcome) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := g.fails[account]
	if f == nil {
		return
	}
	f.pending--
	switch o {
	case attemptRight:
		f.n = 0
	case attemptWrong:
		now := g.now()
		if now.Sub(f.last) > failWindow {
			f.n = 0
		}
		f.n++
		f.last = now
	}
	if f.n == 0 && f.pending == 0 {
		delete(g.fails, account)
	}
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
