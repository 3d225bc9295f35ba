package report

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// GenerateOptions sizes the synthetic data `baton bench reports` measures on.
type GenerateOptions struct {
	Messages int // about this many messages (ten per conversation on average)
	Days     int // spread over this many days up to now
}

// The generator plans every conversation once in genPlanTable (who it is, when, whether and how it
// was handed off), then fills the real tables from the plan with INSERT … SELECT, in batches of
// conversations so progress can be shown and the embedded database is not asked for one huge
// statement.
const genPlanTable = `CREATE TABLE bench_report_plan AS
WITH a AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE email LIKE 'bench-agent-%'),
cu AS (SELECT array_agg(id ORDER BY id) AS ids FROM customers WHERE external_id LIKE 'bench-%')
SELECT g AS n, gen_random_uuid() AS id, cu.ids[1 + g % cardinality(cu.ids)] AS customer_id,
       now() - make_interval(secs => $2::float8 * 86400 * (g::float8 / $1)) - make_interval(secs => (g * 7919 % 3600)) AS created_at,
       CASE WHEN g % 20 = 0 THEN 'eval' WHEN g % 10 IN (1, 2) THEN 'api' WHEN g % 10 = 3 THEN 'email' ELSE 'web' END AS channel,
       CASE WHEN g % 5 < 3 THEN 'zh' ELSE 'en' END AS language,
       6 + g % 9 AS messages,
       g % 10 < 3 AS handed,
       (ARRAY['human_request', 'complaint', 'low_confidence', 'negative_sentiment', 'vip', 'action_failed'])[1 + g % 6] AS reason,
       (ARRAY['general', 'billing', 'tech', 'returns'])[1 + g % 4] AS skill,
       a.ids[1 + g % cardinality(a.ids)] AS agent_id,
       60 + g * 31 % 600 AS wait_s,
       5 + g * 17 % 120 AS first_s,
       120 + g * 13 % 1800 AS handle_s
FROM generate_series(1, $1::int) g, a, cu`

const genConversations = `INSERT INTO conversations (id, customer_id, channel, language, status, created_at, updated_at)
SELECT id, customer_id, channel, language, CASE WHEN handed THEN 'resolved' ELSE 'bot' END, created_at, created_at
FROM bench_report_plan WHERE n BETWEEN $1 AND $2`

// Messages alternate customer and bot; a handed-off conversation's last three are its agent's,
// the first of them first_s after the agent took it.
const genMessages = `INSERT INTO messages (conversation_id, seq, sender, author_id, text, meta, created_at)
SELECT p.id, s,
       CASE WHEN p.handed AND s > p.messages - 3 THEN 'agent' WHEN s % 2 = 1 THEN 'customer' ELSE 'bot' END,
       CASE WHEN p.handed AND s > p.messages - 3 THEN p.agent_id END,
       'bench message ' || s,
       CASE WHEN s % 2 = 0 AND NOT (p.handed AND s > p.messages - 3) THEN jsonb_build_object('kind', 'answer',
            'understood', (ARRAY['order_status', 'refund', 'shipping_time', 'change_address', 'invoice', 'cancel_order',
                                 'return_item', 'payment_failed', 'coupon', 'account_login', 'warranty', 'store_hours'])[1 + (p.n * 7 + s) % 12],
            'confidence', 0.5 + (s % 5) / 10.0) END,
       CASE WHEN p.handed AND s > p.messages - 3
            THEN p.created_at + make_interval(secs => 60 + p.wait_s + p.first_s + (s - p.messages + 2) * 30)
            ELSE p.created_at + make_interval(secs => s * 5) END
FROM bench_report_plan p, generate_series(1, p.messages) s
WHERE p.n BETWEEN $1 AND $2`

const genHandoffs = `INSERT INTO handoffs (conversation_id, reason, skill, language, status, enqueued_at, claimed_by, claimed_at, accepted_at, resolved_at)
SELECT id, reason, skill, language, 'resolved', created_at + interval '60 seconds', agent_id,
       created_at + make_interval(secs => 60 + wait_s), CASE WHEN n % 2 = 0 THEN created_at + make_interval(secs => 60 + wait_s) END,
       created_at + make_interval(secs => 60 + wait_s + handle_s)
FROM bench_report_plan WHERE handed AND n BETWEEN $1 AND $2`

const genRatings = `INSERT INTO csat_ratings (conversation_id, customer_id, score, agent_id, team, by_bot, created_at, updated_at)
SELECT id, customer_id, (ARRAY[1, 2, 3, 4, 4, 5, 5, 5])[1 + n % 8],
       CASE WHEN handed THEN agent_id END, CASE WHEN handed THEN skill END, NOT handed,
       created_at + interval '40 minutes', created_at + interval '40 minutes'
FROM bench_report_plan WHERE n % 5 < 2 AND n BETWEEN $1 AND $2`

const genTickets = `INSERT INTO tickets (team, subject, status, conversation_id, customer_id, created_at, updated_at, due_at, solved_at)
SELECT skill, 'bench ticket', CASE WHEN n / 20 % 10 < 7 THEN 'solved' ELSE 'open' END, id, customer_id,
       created_at + interval '30 minutes', created_at + interval '30 minutes', created_at + interval '1 day',
       CASE WHEN n / 20 % 10 < 7 THEN created_at + make_interval(hours => 1 + n / 20 % 48) END
FROM bench_report_plan WHERE n % 20 = 7 AND n BETWEEN $1 AND $2`

const genEscalations = `INSERT INTO ticket_escalations (ticket_id, kind, escalated_at, priority_before, priority_after)
SELECT id, 'overdue', due_at, 'normal', 'high' FROM tickets WHERE status = 'open' AND id % 3 = 0`

const genBreaches = `INSERT INTO sla_breaches (handoff_id, conversation_id, kind, clock_started_at, due_at, breached_at, skill, priority_before, priority_after)
SELECT id, conversation_id, CASE WHEN id % 2 = 0 THEN 'first_response' ELSE 'next_response' END,
       enqueued_at, enqueued_at + interval '2 minutes', enqueued_at + interval '2 minutes', skill, 0, 1
FROM handoffs WHERE id % 8 = 0`

const genUnanswered = `INSERT INTO kb_unanswered (message_id, conversation_id, question, language, reason, asked_at)
SELECT m.id, p.id, (ARRAY['do you ship to Mars', '可以开发票吗', 'where is the store in Lyon', '能用花呗吗',
        'do you sell gift cards', '退货运费谁出', 'can I pay in bitcoin', '周末发货吗'])[1 + p.n % 8]
       || CASE WHEN p.n % 16 = 0 THEN ' 13812345678' ELSE '' END,
       p.language, 'dont_know', m.created_at
FROM bench_report_plan p JOIN messages m ON m.conversation_id = p.id AND m.seq = 1
WHERE p.n % 20 = 3 AND p.n BETWEEN $1 AND $2`

const genUnansweredGroups = `UPDATE kb_unanswered u SET group_id = g.first
FROM (SELECT regexp_replace(question, ' 1[0-9]+$', '') AS q, min(id) AS first FROM kb_unanswered GROUP BY 1) g
WHERE regexp_replace(u.question, ' 1[0-9]+$', '') = g.q`

const genHits = `INSERT INTO compliance_hits (phrase, source, outcome, user_id, conversation_id, language, created_at)
SELECT 'guarantee', (ARRAY['agent_reply', 'agent_reply', 'bot_answer', 'kb_article'])[1 + n % 4],
       (ARRAY['blocked', 'warned', 'sent_after_warning'])[1 + n % 3], CASE WHEN handed THEN agent_id END, id, language,
       created_at + interval '5 minutes'
FROM bench_report_plan WHERE n % 50 = 9 AND n BETWEEN $1 AND $2`

// Generate fills an empty, migrated database with opt.Messages messages' worth of conversations,
// handoffs, ratings, tickets, breaches, unanswered questions and compliance hits, reporting
// progress to logf. It returns how many messages it wrote.
func Generate(ctx context.Context, pool *pgxpool.Pool, opt GenerateOptions, logf func(string, ...any)) (int64, error) {
	convs := max(opt.Messages/10, 1)
	exec := func(what, sql string, args ...any) error {
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("report: generate %s: %w", what, err)
		}
		return nil
	}
	if err := exec("agents", `INSERT INTO users (email, name, password_hash, role, skills)
SELECT 'bench-agent-' || g || '@example.com', 'Agent ' || g, '', 'agent',
       ARRAY[(ARRAY['general', 'billing', 'tech', 'returns'])[1 + g % 4]]
FROM generate_series(1, 24) g`); err != nil {
		return 0, err
	}
	if err := exec("customers", `INSERT INTO customers (external_id, name, token_hash)
SELECT 'bench-' || g, 'Customer ' || g, sha256(('bench-' || g)::bytea) FROM generate_series(1, 2000) g`); err != nil {
		return 0, err
	}
	if err := exec("plan", genPlanTable, convs, opt.Days); err != nil {
		return 0, err
	}
	defer pool.Exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS bench_report_plan`) //nolint:errcheck
	if err := exec("plan index", `CREATE INDEX ON bench_report_plan (n)`); err != nil {
		return 0, err
	}
	const batch = 10000
	start := time.Now()
	for lo := 1; lo <= convs; lo += batch {
		hi := min(lo+batch-1, convs)
		for _, step := range []struct{ what, sql string }{
			{"conversations", genConversations}, {"messages", genMessages}, {"handoffs", genHandoffs},
			{"ratings", genRatings}, {"tickets", genTickets}, {"unanswered", genUnanswered}, {"hits", genHits},
		} {
			if err := exec(step.what, step.sql, lo, hi); err != nil {
				return 0, err
			}
		}
		logf("generated %d/%d conversations (%.0fs)", hi, convs, time.Since(start).Seconds())
	}
	for _, step := range []struct{ what, sql string }{
		{"escalations", genEscalations}, {"breaches", genBreaches}, {"unanswered groups", genUnansweredGroups},
		// As autovacuum would have by then: statistics, and the visibility map index-only scans need.
		{"vacuum", `VACUUM ANALYZE`},
	} {
		if err := exec(step.what, step.sql); err != nil {
			return 0, err
		}
	}
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil {
		return 0, fmt.Errorf("report: generate: count: %w", err)
	}
	return n, nil
}
