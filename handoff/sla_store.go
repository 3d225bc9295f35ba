package handoff

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/events"
)

// SLATargets returns the SLA tiers in force, highest priority first: the stored ones, else the defaults.
func (s *Store) SLATargets(ctx context.Context) ([]SLATarget, error) {
	rows, err := s.pool.Query(ctx, `SELECT min_priority, name, first_response_seconds, next_response_seconds
		FROM sla_targets ORDER BY min_priority DESC`)
	if err != nil {
		return nil, fmt.Errorf("handoff: sla targets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SLATarget, error) {
		var t SLATarget
		return t, r.Scan(&t.MinPriority, &t.Name, &t.FirstResponseSeconds, &t.NextResponseSeconds)
	})
	if err != nil {
		return nil, fmt.Errorf("handoff: sla targets: %w", err)
	}
	if len(out) == 0 {
		return slices.Clone(DefaultSLATargets), nil
	}
	return out, nil
}

// SLATargetsSet replaces the SLA tiers. Running clocks count towards the new targets at once.
func (s *Store) SLATargetsSet(ctx context.Context, in []SLATarget) ([]SLATarget, error) {
	targets, err := NormalizeSLATargets(in)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sla_targets`); err != nil {
			return err
		}
		for _, t := range targets {
			if _, err := tx.Exec(ctx, `INSERT INTO sla_targets (min_priority, name, first_response_seconds, next_response_seconds)
				VALUES ($1, $2, $3, $4)`, t.MinPriority, t.Name, t.FirstResponseSeconds, t.NextResponseSeconds); err != nil {
				return err
			}
		}
		// Every open page recomputes its timers.
		return events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "sla_targets"})
	})
	if err != nil {
		return nil, fmt.Errorf("handoff: set sla targets: %w", err)
	}
	return targets, nil
}

// slaSelect reads what SLA clocks need of each handoff: its priority before any breach raised it,
// its timeline (customer and agent messages from the handoff to its resolution) and its
// recorded breaches. The WHERE clause is appended.
const slaSelect = `
SELECT h.id, h.conversation_id, h.status, h.enqueued_at, h.resolved_at,
  h.priority - COALESCE((SELECT sum(b.priority_after - b.priority_before) FROM sla_breaches b WHERE b.handoff_id = h.id), 0)::int,
  COALESCE(t.senders, '{}'), COALESCE(t.ats, '{}'),
  COALESCE(br.kinds, '{}'), COALESCE(br.starts, '{}'), COALESCE(br.ats, '{}'),
  now()
FROM handoffs h
LEFT JOIN LATERAL (
  SELECT array_agg(m.sender ORDER BY m.seq) AS senders, array_agg(m.created_at ORDER BY m.seq) AS ats
  FROM messages m
  WHERE m.conversation_id = h.conversation_id AND m.sender IN ('customer', 'agent')
    AND m.created_at >= h.enqueued_at AND (h.resolved_at IS NULL OR m.created_at <= h.resolved_at)
) t ON true
LEFT JOIN LATERAL (
  SELECT array_agg(b.kind ORDER BY b.id) AS kinds, array_agg(b.clock_started_at ORDER BY b.id) AS starts,
    array_agg(b.breached_at ORDER BY b.id) AS ats
  FROM sla_breaches b WHERE b.handoff_id = h.id
) br ON true
`

// slaRow is one handoff with what its SLA state is computed from.
type slaRow struct {
	HandoffID      int64
	ConversationID string
	Status         string
	EnqueuedAt     time.Time
	ResolvedAt     *time.Time
	BasePriority   int
	Timeline       []Stamp
	Breaches       []recordedBreach
	Now            time.Time
}

func (s *Store) slaRows(ctx context.Context, where string, args ...any) ([]slaRow, error) {
	rows, err := s.pool.Query(ctx, slaSelect+where, args...)
	if err != nil {
		return nil, fmt.Errorf("handoff: sla: %w", err)
	}
	defer rows.Close()
	var out []slaRow
	for rows.Next() {
		var r slaRow
		var senders, kinds []string
		var ats, starts, breachedAts []time.Time
		if err := rows.Scan(&r.HandoffID, &r.ConversationID, &r.Status, &r.EnqueuedAt, &r.ResolvedAt, &r.BasePriority,
			&senders, &ats, &kinds, &starts, &breachedAts, &r.Now); err != nil {
			return nil, fmt.Errorf("handoff: sla: %w", err)
		}
		for i := range min(len(senders), len(ats)) {
			r.Timeline = append(r.Timeline, Stamp{Sender: senders[i], At: ats[i]})
		}
		for i := range min(len(kinds), len(starts), len(breachedAts)) {
			r.Breaches = append(r.Breaches, recordedBreach{Kind: kinds[i], StartedAt: starts[i], BreachedAt: breachedAts[i]})
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (r slaRow) state(targets []SLATarget) SLAState {
	if r.ResolvedAt != nil {
		return ResolvedSLAState(r.HandoffID, r.BasePriority, r.EnqueuedAt, targets, r.Timeline, r.Breaches, *r.ResolvedAt)
	}
	return NewSLAState(r.HandoffID, r.BasePriority, r.EnqueuedAt, targets, r.Timeline, r.Breaches, r.Now)
}

// SLAForConversations returns the SLA state of each conversation's open handoff, by conversation id.
func (s *Store) SLAForConversations(ctx context.Context, convIDs []string) (map[string]*SLAState, error) {
	out := map[string]*SLAState{}
	if len(convIDs) == 0 {
		return out, nil
	}
	targets, err := s.SLATargets(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.slaRows(ctx, `WHERE h.conversation_id = ANY($1::uuid[]) AND h.status <> 'resolved'`, convIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		st := r.state(targets)
		out[r.ConversationID] = &st
	}
	return out, nil
}

// SLAForHandoff returns one handoff's SLA state (a resolved one's as it ended).
func (s *Store) SLAForHandoff(ctx context.Context, hid int64) (*SLAState, error) {
	targets, err := s.SLATargets(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.slaRows(ctx, `WHERE h.id = $1`, hid)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	st := rows[0].state(targets)
	return &st, nil
}

// WithSLA fills in the SLA state of queue items.
func (s *Store) WithSLA(ctx context.Context, items []QueueItem) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ConversationID
	}
	states, err := s.SLAForConversations(ctx, ids)
	if err != nil {
		return err
	}
	for i := range items {
		items[i].SLA = states[items[i].ConversationID]
	}
	return nil
}

// WithAgentSLA fills in the SLA state of an agent's conversations.
func (s *Store) WithAgentSLA(ctx context.Context, items []AgentItem) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ConversationID
	}
	states, err := s.SLAForConversations(ctx, ids)
	if err != nil {
		return err
	}
	for i := range items {
		items[i].SLA = states[items[i].ConversationID]
	}
	return nil
}
