package csat

import (
	"context"
	"fmt"
)

// filterSQL is the staff filters, each off when its parameter is NULL.
const filterSQL = ` WHERE ($1::text IS NULL OR r.team = $1)
   AND ($2::bigint IS NULL OR r.agent_id = $2)
   AND ($3::boolean IS NULL OR r.by_bot = $3)
   AND ($4::timestamptz IS NULL OR r.created_at >= $4)
   AND ($5::timestamptz IS NULL OR r.created_at < $5)`

const listSQL = `
SELECT r.id, r.conversation_id, r.ticket_id, r.score, r.comment, r.agent_id, coalesce(nullif(u.name, ''), u.email, ''),
       r.team, r.by_bot, coalesce(cu.name, ''), r.created_at, r.updated_at
  FROM csat_ratings r
  LEFT JOIN users u ON u.id = r.agent_id
  LEFT JOIN customers cu ON cu.id = r.customer_id` + filterSQL + `
 ORDER BY r.created_at DESC, r.id DESC
 LIMIT $6`

const summarySQL = `
SELECT count(*), coalesce(avg(r.score), 0)::float8,
       count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
       count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5),
       count(*) FILTER (WHERE r.by_bot), coalesce(avg(r.score) FILTER (WHERE r.by_bot), 0)::float8
  FROM csat_ratings r` + filterSQL

const byAgentSQL = `
SELECT r.agent_id, coalesce(nullif(u.name, ''), u.email), count(*), avg(r.score)::float8
  FROM csat_ratings r JOIN users u ON u.id = r.agent_id` + filterSQL + `
 GROUP BY r.agent_id, u.name, u.email
 ORDER BY 3 DESC, 1`

const byTeamSQL = `
SELECT r.team, count(*), avg(r.score)::float8
  FROM csat_ratings r` + filterSQL + ` AND r.team IS NOT NULL
 GROUP BY r.team
 ORDER BY 2 DESC, 1`

func (f Filter) args() []any {
	var team, agent, bot, from, to any
	if f.Team != "" {
		team = f.Team
	}
	if f.AgentID != 0 {
		agent = f.AgentID
	}
	if f.ByBot != nil {
		bot = *f.ByBot
	}
	if f.From != nil {
		from = *f.From
	}
	if f.To != nil {
		to = *f.To
	}
	return []any{team, agent, bot, from, to}
}

// List returns the newest ratings matching f (at most f.Limit) and the averages of all of them.
func (s *Store) List(ctx context.Context, f Filter) ([]Rating, Summary, error) {
	out := []Rating{}
	sum := Summary{ByAgent: []AgentAvg{}, ByTeam: []TeamAvg{}}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := s.pool.Query(ctx, listSQL, append(f.args(), f.Limit)...)
	if err != nil {
		return nil, sum, fmt.Errorf("csat: list: %w", err)
	}
	for rows.Next() {
		var r Rating
		var score int16
		if err := rows.Scan(&r.ID, &r.ConversationID, &r.TicketID, &score, &r.Comment, &r.AgentID, &r.AgentName,
			&r.Team, &r.ByBot, &r.CustomerName, &r.CreatedAt, &r.UpdatedAt); err != nil {
			rows.Close()
			return nil, sum, fmt.Errorf("csat: list: %w", err)
		}
		r.Score = int(score)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, sum, fmt.Errorf("csat: list: %w", err)
	}
	d := &sum.Distribution
	if err := s.pool.QueryRow(ctx, summarySQL, f.args()...).Scan(&sum.Count, &sum.Average.Average,
		&d[0], &d[1], &d[2], &d[3], &d[4], &sum.Bot.Count, &sum.Bot.Average); err != nil {
		return nil, sum, fmt.Errorf("csat: summary: %w", err)
	}
	rows, err = s.pool.Query(ctx, byAgentSQL, f.args()...)
	if err != nil {
		return nil, sum, fmt.Errorf("csat: by agent: %w", err)
	}
	for rows.Next() {
		var a AgentAvg
		if err := rows.Scan(&a.AgentID, &a.Name, &a.Count, &a.Average.Average); err != nil {
			rows.Close()
			return nil, sum, fmt.Errorf("csat: by agent: %w", err)
		}
		sum.ByAgent = append(sum.ByAgent, a)
	}
	if err := rows.Err(); err != nil {
		return nil, sum, fmt.Errorf("csat: by agent: %w", err)
	}
	rows, err = s.pool.Query(ctx, byTeamSQL, f.args()...)
	if err != nil {
		return nil, sum, fmt.Errorf("csat: by team: %w", err)
	}
	for rows.Next() {
		var t TeamAvg
		if err := rows.Scan(&t.Team, &t.Count, &t.Average.Average); err != nil {
			rows.Close()
			return nil, sum, fmt.Errorf("csat: by team: %w", err)
		}
		sum.ByTeam = append(sum.ByTeam, t)
	}
	return out, sum, rows.Err()
}
