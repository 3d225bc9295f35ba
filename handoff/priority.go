package handoff

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/events"
)

// A handoff's priority is a number, higher first; the queue is ordered by priority, then by age.
// Bands give it names (and first-response targets): urgent from 20, high from 10, normal below.
const (
	PriorityHigh   = 10
	PriorityUrgent = 20
	// MaxPriority caps what reasons, rules, VIP bonuses and breaches add up to.
	MaxPriority = 100
	// BreachRaise is added once to a handoff whose wait passed its first-response target.
	BreachRaise = 10
	// moodRaise is added when the customer was upset but handed off for another reason.
	moodRaise = 10
)

// Priority is the base priority of a handoff reason: complaints and anger first, then people who
// asked for a person or whose task failed, then the rest.
func Priority(reason string) int {
	switch reason {
	case ReasonComplaint, ReasonNegative:
		return PriorityUrgent
	case ReasonHumanRequest, ReasonActionFailed, ReasonRetries:
		return PriorityHigh
	}
	return 0
}

// PriorityOf is a handoff's priority when it is made: its reason's base, plus 10 when the
// customer's last message was negative but the reason is not already about mood, plus bonus (the
// intent's handoff-rule priority and the VIP bonus of the bot definition, for a customer whose
// profile has a VIP tier), at most MaxPriority.
func PriorityOf(reason, sentimentLabel string, bonus int) int {
	p := Priority(reason) + max(bonus, 0)
	if sentimentLabel == "negative" && reason != ReasonComplaint && reason != ReasonNegative {
		p += moodRaise
	}
	return min(p, MaxPriority)
}

// FirstResponseTargets are how long a customer of each priority band may wait for a person.
type FirstResponseTargets struct {
	Urgent, High, Normal time.Duration
}

// DefaultFirstResponse is used when nothing else is configured (BATON_SLA_FIRST_RESPONSE).
var DefaultFirstResponse = FirstResponseTargets{Urgent: time.Minute, High: 2 * time.Minute, Normal: 5 * time.Minute}

// For returns the target of a priority.
func (t FirstResponseTargets) For(priority int) time.Duration {
	switch {
	case priority >= PriorityUrgent:
		return t.Urgent
	case priority >= PriorityHigh:
		return t.High
	}
	return t.Normal
}

// breachUpdate raises, once, every handoff still waiting for a person (queued, or offered and not
// yet accepted) past the first-response target of its priority band.
const breachUpdate = `
UPDATE handoffs SET priority = LEAST(priority + $4, $5), sla_breached_at = now()
WHERE sla_breached_at IS NULL
  AND (status = 'queued' OR (status = 'assigned' AND accepted_at IS NULL))
  AND enqueued_at < now() - make_interval(secs => CASE WHEN priority >= $6 THEN $1::float8
                                                       WHEN priority >= $7 THEN $2::float8
                                                       ELSE $3::float8 END)`

// RaiseBreached raises the priority of every handoff that has waited past its first-response
// target, once per handoff, and returns how many it raised. The sweeper calls it; it is safe in
// several processes at once (a raised handoff is no longer selected).
func (s *Store) RaiseBreached(ctx context.Context, t FirstResponseTargets) (int, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, breachUpdate, t.Urgent.Seconds(), t.High.Seconds(), t.Normal.Seconds(),
			BreachRaise, MaxPriority, PriorityUrgent, PriorityHigh)
		if err != nil {
			return fmt.Errorf("handoff: raise breached: %w", err)
		}
		if n = tag.RowsAffected(); n > 0 {
			return events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"})
		}
		return nil
	})
	return int(n), err
}
