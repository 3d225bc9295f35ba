package handoff

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// QueueStats is one queue (skill) as a supervisor sees it.
type QueueStats struct {
	Skill   string `json:"skill"`
	Mode    string `json:"mode"`
	Waiting int    `json:"waiting"`
	// OldestEnqueuedAt is when the longest-waiting conversation was handed off (nil: none waits).
	OldestEnqueuedAt *time.Time `json:"oldest_enqueued_at,omitempty"`
	LongestWait      float64    `json:"longest_wait_seconds"`
	MedianWait       float64    `json:"median_wait_seconds"`
	Assigned         int        `json:"assigned"`
	AgentsOnline     int        `json:"agents_online"`
	// BreachedOpen counts open conversations with at least one SLA breach; Breaches24h every
	// breach recorded in the last 24 hours.
	BreachedOpen int `json:"breached_open"`
	Breaches24h  int `json:"breaches_24h"`
}

// AgentStats is one agent's presence and load.
type AgentStats struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Role       string     `json:"role"`
	Skills     []string   `json:"skills"`
	Languages  []string   `json:"languages"`
	Presence   string     `json:"presence"`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty"`
	Load       int        `json:"load"`
	Capacity   int        `json:"capacity"`
}

// OpenConversation is a waiting or held conversation on the supervisor's board.
type OpenConversation struct {
	ConversationID string `json:"conversation_id"`
	HandoffID      int64  `json:"handoff_id"`
	Status         string `json:"status"`
	Reason         string `json:"reason"`
	Skill          string `json:"skill"`
	Language       string `json:"language"`
	Priority       int    `json:"priority"`
	Question       string `json:"question"`
	// Message is the customer's message that triggered the handoff.
	Message      string    `json:"message,omitempty"`
	CustomerName string    `json:"customer_name"`
	EnqueuedAt   time.Time `json:"enqueued_at"`
	AgentID      *int64    `json:"agent_id,omitempty"`
	AgentName    string    `json:"agent_name,omitempty"`
	SLA          *SLAState `json:"sla,omitempty"`
}

// Overview is the supervisor's view: every queue, every agent, every open conversation.
type Overview struct {
	AsOf          time.Time          `json:"as_of"`
	Queues        []QueueStats       `json:"queues"`
	Agents        []AgentStats       `json:"agents"`
	Conversations []OpenConversation `json:"conversations"`
	SLA           []SLATarget        `json:"sla_targets"`
}

// queueStatsSelect reports every queue: the skills agents have, teams configure, or open handoffs use.
const queueStatsSelect = `
WITH skills AS (
  SELECT DISTINCT unnest(skills) AS skill FROM users WHERE role IN ('agent', 'supervisor', 'admin')
  UNION SELECT skill FROM routing_teams
  UNION SELECT skill FROM handoffs WHERE status <> 'resolved'
),
waiting AS (
  SELECT skill, count(*) AS n, min(enqueued_at) AS oldest,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM now() - enqueued_at)) AS median
  FROM handoffs WHERE status = 'queued' GROUP BY skill
)
SELECT s.skill,
  COALESCE((SELECT mode FROM routing_teams t WHERE t.skill = s.skill), 'auto'),
  COALESCE(w.n, 0)::int, w.oldest,
  COALESCE(extract(epoch FROM now() - w.oldest), 0)::float8, COALESCE(w.median, 0)::float8,
  (SELECT count(*) FROM handoffs h WHERE h.skill = s.skill AND h.status = 'assigned')::int,
  (SELECT count(*) FROM users u WHERE u.presence = 'online' AND s.skill = ANY(u.skills)
     AND u.role IN ('agent', 'supervisor', 'admin'))::int,
  (SELECT count(*) FROM handoffs h WHERE h.skill = s.skill AND h.status <> 'resolved'
     AND EXISTS (SELECT 1 FROM sla_breaches b WHERE b.handoff_id = h.id))::int,
  (SELECT count(*) FROM sla_breaches b WHERE b.skill = s.skill AND b.breached_at > now() - interval '24 hours')::int
FROM skills s LEFT JOIN waiting w ON w.skill = s.skill
ORDER BY s.skill`

const agentStatsSelect = `
SELECT u.id, COALESCE(NULLIF(u.name, ''), split_part(u.email, '@', 1)), u.email, u.role, u.skills, u.languages,
  u.presence, u.last_seen_at,
  (SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned')::int, u.capacity
FROM users u WHERE u.role IN ('agent', 'supervisor', 'admin')
ORDER BY CASE u.presence WHEN 'online' THEN 0 WHEN 'away' THEN 1 ELSE 2 END, lower(u.name), u.email`

// openSelect lists waiting and held conversations, waiting first, then by priority and age.
const openSelect = `
SELECT h.conversation_id, h.id, h.status, h.reason, h.skill, h.language, h.priority, h.question,
  COALESCE(h.context->>'message', ''), cu.name, h.enqueued_at, h.claimed_by, COALESCE(NULLIF(u.name, ''), split_part(u.email, '@', 1), '')
FROM handoffs h
JOIN conversations c ON c.id = h.conversation_id
JOIN customers cu ON cu.id = c.customer_id
LEFT JOIN users u ON u.id = h.claimed_by
WHERE h.status <> 'resolved'
ORDER BY h.status = 'assigned', h.priority DESC, h.enqueued_at, h.id
LIMIT 500`

// Overview reads the supervisor's view in one snapshot.
func (s *Store) Overview(ctx context.Context) (Overview, error) {
	var o Overview
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT now()`).Scan(&o.AsOf); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, queueStatsSelect)
		if err != nil {
			return err
		}
		o.Queues, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueStats, error) {
			var q QueueStats
			return q, r.Scan(&q.Skill, &q.Mode, &q.Waiting, &q.OldestEnqueuedAt, &q.LongestWait, &q.MedianWait,
				&q.Assigned, &q.AgentsOnline, &q.BreachedOpen, &q.Breaches24h)
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, agentStatsSelect)
		if err != nil {
			return err
		}
		o.Agents, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AgentStats, error) {
			var a AgentStats
			return a, r.Scan(&a.ID, &a.Name, &a.Email, &a.Role, &a.Skills, &a.Languages, &a.Presence, &a.LastSeenAt,
				&a.Load, &a.Capacity)
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, openSelect)
		if err != nil {
			return err
		}
		o.Conversations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (OpenConversation, error) {
			var c OpenConversation
			return c, r.Scan(&c.ConversationID, &c.HandoffID, &c.Status, &c.Reason, &c.Skill, &c.Language, &c.Priority,
				&c.Question, &c.Message, &c.CustomerName, &c.EnqueuedAt, &c.AgentID, &c.AgentName)
		})
		return err
	})
	if err != nil {
		return Overview{}, fmt.Errorf("handoff: supervisor overview: %w", err)
	}
	ids := make([]string, len(o.Conversations))
	for i, c := range o.Conversations {
		ids[i] = c.ConversationID
	}
	states, err := s.SLAForConversations(ctx, ids)
	if err != nil {
		return Overview{}, err
	}
	for i := range o.Conversations {
		o.Conversations[i].SLA = states[o.Conversations[i].ConversationID]
	}
	if o.SLA, err = s.SLATargets(ctx); err != nil {
		return Overview{}, err
	}
	return o, nil
}
