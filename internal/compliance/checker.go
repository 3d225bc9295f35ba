package compliance

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/events"
)

// Topic announces a change to the rules to every Baton process.
const Topic = "compliance"

// DefaultTTL is how long a process trusts its cached rules without hearing of a change: a
// backstop for a lost notification (the event bus reports changes within a fraction of a second).
const DefaultTTL = time.Minute

// Checker holds the active rules of this process, loaded from the database and reloaded after a
// change (announced on Topic) or DefaultTTL. Checking is then an in-memory scan.
type Checker struct {
	pool *pgxpool.Pool
	ttl  time.Duration
	log  *slog.Logger

	mu     sync.Mutex
	set    *RuleSet
	loaded time.Time
	stale  bool
}

// NewChecker returns a checker over the rules in pool.
func NewChecker(pool *pgxpool.Pool, log *slog.Logger) *Checker {
	if log == nil {
		log = slog.Default()
	}
	return &Checker{pool: pool, ttl: DefaultTTL, log: log, stale: true}
}

// Invalidate makes the next check reload the rules.
func (c *Checker) Invalidate() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}

// Follow reloads the rules whenever any process announces a change, until done is closed.
func (c *Checker) Follow(bus *events.Bus, done <-chan struct{}) {
	if bus == nil {
		return
	}
	ch, unsubscribe := bus.Subscribe(Topic)
	go func() {
		defer unsubscribe()
		for {
			select {
			case <-done:
				return
			case <-ch:
				c.Invalidate()
			}
		}
	}()
}

// Rules returns the active rules, reloading them first when they may have changed. Call it
// before a transaction that checks text (it may read the database).
func (c *Checker) Rules(ctx context.Context) (*RuleSet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stale && c.set != nil && time.Since(c.loaded) < c.ttl {
		return c.set, nil
	}
	rules, err := listRules(ctx, c.pool, true)
	if err != nil {
		if c.set != nil { // keep checking with what we had
			c.log.Warn("compliance: rules not reloaded", "err", err)
			return c.set, nil
		}
		return nil, err
	}
	set, errs := NewRuleSet(rules)
	for _, e := range errs {
		c.log.Warn("compliance: rule skipped", "err", e)
	}
	c.set, c.loaded, c.stale = set, time.Now(), false
	return set, nil
}

// Check returns where text breaks an active rule.
func (c *Checker) Check(ctx context.Context, text, lang string) ([]Hit, error) {
	set, err := c.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return set.Check(text, lang), nil
}
