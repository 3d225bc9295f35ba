package ticket

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Escalation kinds: untouched past its due time, or unsolved after the configured age.
const (
	EscalateOverdue = "overdue"
	EscalateAge     = "age"
)

// DefaultEscalateAfter is how long a ticket may stay unsolved before it escalates by age.
const DefaultEscalateAfter = 72 * time.Hour

// Escalation is one recorded escalation.
type Escalation struct {
	TicketID       int64
	Kind           string
	PriorityBefore string
	PriorityAfter  string
}

// escalationDue is, per kind, the condition under which a ticket escalates; it is checked again
// inside the recording transaction, so a ticket touched meanwhile does not escalate. $2 is the
// age in seconds (both conditions name it, so both statements take the same parameters).
var escalationDue = map[string]string{
	EscalateOverdue: `t.status IN ('new', 'open', 'pending') AND t.touched_at IS NULL AND t.due_at < now() AND $2::float8 IS NOT NULL`,
	EscalateAge:     `t.status IN ('new', 'open', 'pending') AND $2::float8 > 0 AND t.created_at < now() - make_interval(secs => $2::float8)`,
}

// Escalate records each escalation due and not yet recorded — an untouched ticket past its due
// time, an unsolved ticket older than after (0: never) — once per ticket and kind: the ticket's
// priority goes one step up, its timeline says so, and supervisors (and the assignee) are
// notified. Several processes may run it at once: the escalation's primary key lets one of them
// record it, and only that one raises the priority and notifies.
func (s *Store) Escalate(ctx context.Context, after time.Duration) ([]Escalation, error) {
	var out []Escalation
	for _, kind := range []string{EscalateOverdue, EscalateAge} {
		rows, err := s.pool.Query(ctx, `SELECT t.id FROM tickets t WHERE `+escalationDue[kind]+`
			AND NOT EXISTS (SELECT 1 FROM ticket_escalations e WHERE e.ticket_id = t.id AND e.kind = $1)
			ORDER BY t.id LIMIT 500`, kind, after.Seconds())
		if err != nil {
			return out, fmt.Errorf("ticket: escalation candidates: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return out, fmt.Errorf("ticket: escalation candidates: %w", err)
		}
		for _, id := range ids {
			e, ok, err := s.escalate(ctx, id, kind, after)
			if err != nil {
				return out, err
			}
			if ok {
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// escalate records one escalation and acts on it in one transaction; ok is false when another
// process recorded it first or the ticket no longer qualifies.
func (s *Store) escalate(ctx context.Context, id int64, kind string, after time.Duration) (Escalation, bool, error) {
	e := Escalation{TicketID: id, Kind: kind}
	inserted := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The ticket is locked first and the condition checked on the row as it is then: a change
		// an agent was committing meanwhile (which touches it, or sets its priority) is seen.
		var current string
		err := tx.QueryRow(ctx, `SELECT t.priority FROM tickets t WHERE t.id = $3 AND `+escalationDue[kind]+`
			AND $1::text IS NOT NULL FOR UPDATE`, kind, after.Seconds(), id).Scan(&current)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		// One step up per hour at most: a normal ticket due after 72 h that is also 72 h old is
		// overdue and old at once, and goes to high, not straight to urgent.
		var recent bool
		err = tx.QueryRow(ctx, `INSERT INTO ticket_escalations (ticket_id, kind, priority_before, priority_after)
			VALUES ($1, $2, $3, $3) ON CONFLICT (ticket_id, kind) DO NOTHING
			RETURNING EXISTS (SELECT 1 FROM ticket_escalations WHERE ticket_id = $1 AND kind <> $2
				AND escalated_at > now() - interval '1 hour')`, id, kind, current).Scan(&recent)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		inserted = true
		e.PriorityBefore, e.PriorityAfter = current, raise(current)
		if recent {
			e.PriorityAfter = current
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET priority = $2, updated_at = now() WHERE id = $1`, id, e.PriorityAfter); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE ticket_escalations SET priority_after = $3 WHERE ticket_id = $1 AND kind = $2`,
			id, kind, e.PriorityAfter); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, 0, "escalated", "", map[string]any{"kind": kind,
			"from": e.PriorityBefore, "to": e.PriorityAfter}); err != nil {
			return err
		}
		// Supervisors hear of it (admins when there are none), and so does the person on it.
		rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = 'supervisor'
			UNION SELECT id FROM users WHERE role = 'admin' AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'supervisor')
			UNION SELECT assignee_id FROM tickets WHERE id = $1 AND assignee_id IS NOT NULL`, id)
		if err != nil {
			return err
		}
		users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := notifyTx(ctx, tx, u, NotifyEscalated, id, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Escalation{}, false, fmt.Errorf("ticket: escalate: %w", err)
	}
	return e, inserted, nil
}

// Sweeper escalates tickets in the background; every `baton serve` process runs one.
type Sweeper struct {
	Store *Store
	// After is the age at which an unsolved ticket escalates (0: never).
	After time.Duration
	Every time.Duration
	Log   *slog.Logger
}

// Run sweeps every Every until ctx ends.
func (w *Sweeper) Run(ctx context.Context) {
	every := w.Every
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.Sweep(ctx)
		}
	}
}

// Sweep runs one round.
func (w *Sweeper) Sweep(ctx context.Context) {
	es, err := w.Store.Escalate(ctx, w.After)
	if err != nil && ctx.Err() == nil {
		w.Log.Error("ticket escalation failed", "err", err)
	}
	for _, e := range es {
		w.Log.Info("ticket escalated; priority raised", "ticket", Number(e.TicketID), "kind", e.Kind, "priority", e.PriorityAfter)
	}
}
