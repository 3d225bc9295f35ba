package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/events"
)

// SLATopic carries SLA breaches (kind "breach"); the queue topic hears of them too ("sla_breach").
const SLATopic = "sla"

// lateWindow is how far back the sweep looks for clocks a late reply stopped between two sweeps.
const lateWindow = time.Minute

// Breach is a recorded SLA breach.
type Breach struct {
	ID             int64     `json:"id"`
	HandoffID      int64     `json:"handoff_id"`
	ConversationID string    `json:"conversation_id"`
	Kind           string    `json:"kind"`
	ClockStartedAt time.Time `json:"clock_started_at"`
	DueAt          time.Time `json:"due_at"`
	BreachedAt     time.Time `json:"breached_at"`
	Skill          string    `json:"skill"`
	PriorityBefore int       `json:"priority_before"`
	PriorityAfter  int       `json:"priority_after"`
}

// SLASweep records each breach not yet recorded — a running clock past its due time, or one a
// late reply stopped within the last minute — once, with its time, and escalates it: the
// handoff's priority goes up (RaiseForBreach) and a breach event goes out on the bus. Several
// processes may sweep at once: the unique clock key lets one of them record it.
func (s *Store) SLASweep(ctx context.Context) ([]Breach, error) {
	targets, err := s.SLATargets(ctx)
	if err != nil {
		return nil, err
	}
	shortest := targets[0].FirstResponseSeconds
	for _, t := range targets {
		shortest = min(shortest, t.FirstResponseSeconds, t.NextResponseSeconds)
	}
	rows, err := s.slaRows(ctx, `WHERE (h.status <> 'resolved' OR h.resolved_at > now() - make_interval(secs => $1))
		AND h.enqueued_at < now() - make_interval(secs => $2)`, lateWindow.Seconds(), shortest)
	if err != nil {
		return nil, err
	}
	var out []Breach
	for _, r := range rows {
		clocks := Clocks(r.EnqueuedAt, TargetFor(targets, r.BasePriority), r.Timeline)
		evaluate(clocks, r.Now)
		for _, c := range clocks {
			if !c.Breached || recorded(r.Breaches, c) || (!c.Running() && c.StoppedAt.Before(r.Now.Add(-lateWindow))) {
				continue
			}
			b, ok, err := s.recordBreach(ctx, r.HandoffID, c)
			if err != nil {
				return out, err
			}
			if ok {
				out = append(out, b)
			}
		}
	}
	return out, nil
}

func recorded(bs []recordedBreach, c Clock) bool {
	for _, b := range bs {
		if b.Kind == c.Kind && b.StartedAt.Equal(c.StartedAt) {
			return true
		}
	}
	return false
}

// recordBreach stores one breach and escalates it in one transaction; ok is false when another
// sweep recorded it first.
func (s *Store) recordBreach(ctx context.Context, hid int64, c Clock) (Breach, bool, error) {
	b := Breach{HandoffID: hid, Kind: c.Kind, ClockStartedAt: c.StartedAt, DueAt: c.DueAt}
	inserted := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO sla_breaches (handoff_id, conversation_id, kind, clock_started_at, due_at, skill,
			priority_before, priority_after)
			SELECT id, conversation_id, $2, $3, $4, skill, priority, priority FROM handoffs WHERE id = $1
			ON CONFLICT (handoff_id, kind, clock_started_at) DO NOTHING
			RETURNING id, conversation_id, breached_at, skill`, hid, c.Kind, c.StartedAt, c.DueAt).
			Scan(&b.ID, &b.ConversationID, &b.BreachedAt, &b.Skill)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		inserted = true
		if b.PriorityBefore, b.PriorityAfter, err = RaiseForBreach(ctx, tx, hid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE sla_breaches SET priority_before = $2, priority_after = $3 WHERE id = $1`,
			b.ID, b.PriorityBefore, b.PriorityAfter); err != nil {
			return err
		}
		if err := events.Notify(ctx, tx, events.Event{Topic: SLATopic, Kind: "breach"}); err != nil {
			return err
		}
		return events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "sla_breach"})
	})
	if err != nil {
		return Breach{}, false, fmt.Errorf("handoff: record sla breach: %w", err)
	}
	return b, inserted, nil
}

// sweepSLA is the sweeper's SLA step: record and escalate breaches.
func (w *Sweeper) sweepSLA(ctx context.Context) {
	bs, err := w.Store.SLASweep(ctx)
	if err != nil {
		w.logErr(ctx, "SLA check failed", err)
	}
	for _, b := range bs {
		w.Log.Info("SLA breached; priority raised", "handoff", b.HandoffID, "clock", b.Kind, "skill", b.Skill,
			"due_at", b.DueAt, "priority", b.PriorityAfter)
	}
}
