package ticket

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SLATarget is the time a new ticket of a priority gets before it is due.
type SLATarget struct {
	Priority   string `json:"priority"`
	DueMinutes int    `json:"due_minutes"`
}

// slaTargets is each priority's due time: what an admin set, else the default (urgent 4 hours,
// high 24, normal 72, low 120).
const slaTargets = `SELECT d.priority, COALESCE(s.due_minutes, d.minutes) AS due_minutes
	FROM (VALUES ('low', 7200, 1), ('normal', 4320, 2), ('high', 1440, 3), ('urgent', 240, 4)) AS d (priority, minutes, ord)
	LEFT JOIN ticket_sla s ON s.priority = d.priority ORDER BY d.ord`

// MaxDueMinutes bounds a target: a year.
const MaxDueMinutes = 365 * 24 * 60

// SLATargets returns the due time of each priority, lowest priority first.
func (s *Store) SLATargets(ctx context.Context) ([]SLATarget, error) {
	rows, err := s.pool.Query(ctx, slaTargets)
	if err != nil {
		return nil, fmt.Errorf("ticket: sla: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SLATarget])
	if err != nil {
		return nil, fmt.Errorf("ticket: sla: %w", err)
	}
	return out, nil
}

// SetSLATargets replaces the due times of the priorities given; new tickets use them.
func (s *Store) SetSLATargets(ctx context.Context, ts []SLATarget) ([]SLATarget, error) {
	if len(ts) == 0 {
		return nil, invalid("targets must name at least one priority")
	}
	for _, t := range ts {
		if !oneOf(t.Priority, Priorities) {
			return nil, invalid("priority must be one of low, normal, high, urgent")
		}
		if t.DueMinutes < 1 || t.DueMinutes > MaxDueMinutes {
			return nil, invalid("due_minutes must be between 1 and %d", MaxDueMinutes)
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, t := range ts {
			if _, err := tx.Exec(ctx, `INSERT INTO ticket_sla (priority, due_minutes) VALUES ($1, $2)
				ON CONFLICT (priority) DO UPDATE SET due_minutes = EXCLUDED.due_minutes, updated_at = now()`,
				t.Priority, t.DueMinutes); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ticket: set sla: %w", err)
	}
	return s.SLATargets(ctx)
}
