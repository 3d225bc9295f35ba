package report

// Every section's query takes the same four parameters: $1 the range's start and $2 its end
// (exclusive), as instants; $3 the team (empty = every team); $4 the time zone days and hours are
// counted in. params names them once so a query that does not use one still types it.
// Conversations on the 'eval' channel (evaluators' test conversations) are left out everywhere.
const params = `p AS NOT MATERIALIZED (SELECT $1::timestamptz AS t0, $2::timestamptz AS t1, $3::text AS team, $4::text AS tz)`

// days lists the range's calendar days in the time zone.
const days = `d AS (SELECT g::date AS day FROM p,
    generate_series((p.t0 AT TIME ZONE p.tz)::date::timestamp, ((p.t1 AT TIME ZONE p.tz)::date - 1)::timestamp, interval '1 day') g)`

// hoursQuery: conversations started in each hour of the day.
const hoursQuery = `WITH ` + params + `,
c AS (SELECT extract(hour FROM c.created_at AT TIME ZONE p.tz)::int AS hour, count(*) AS n
      FROM conversations c, p
      WHERE c.created_at >= p.t0 AND c.created_at < p.t1 AND c.channel <> 'eval' GROUP BY 1)
SELECT h AS hour, coalesce(c.n, 0)::bigint AS conversations
FROM generate_series(0, 23) h LEFT JOIN c ON c.hour = h
ORDER BY h`

// daysQuery: conversations started, customer messages and handoffs on each day.
const daysQuery = `WITH ` + params + `, ` + days + `,
c AS (SELECT (c.created_at AT TIME ZONE p.tz)::date AS day, count(*) AS n
      FROM conversations c, p
      WHERE c.created_at >= p.t0 AND c.created_at < p.t1 AND c.channel <> 'eval' GROUP BY 1),
m AS (SELECT (m.created_at AT TIME ZONE p.tz)::date AS day, count(*) AS n
      FROM messages m, p
      WHERE m.created_at >= p.t0 AND m.created_at < p.t1 AND m.sender = 'customer'
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = m.conversation_id) GROUP BY 1),
h AS (SELECT (h.enqueued_at AT TIME ZONE p.tz)::date AS day, count(*) AS n
      FROM handoffs h, p
      WHERE h.enqueued_at >= p.t0 AND h.enqueued_at < p.t1 AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = h.conversation_id) GROUP BY 1)
SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0)::bigint AS conversations,
       coalesce(m.n, 0)::bigint AS customer_messages, coalesce(h.n, 0)::bigint AS handoffs
FROM d LEFT JOIN c ON c.day = d.day LEFT JOIN m ON m.day = d.day LEFT JOIN h ON h.day = d.day
ORDER BY d.day`

// channelsQuery: conversations started per channel.
const channelsQuery = `WITH ` + params + `
SELECT c.channel, count(*) AS conversations
FROM conversations c, p
WHERE c.created_at >= p.t0 AND c.created_at < p.t1 AND c.channel <> 'eval'
GROUP BY c.channel ORDER BY 2 DESC, 1`

// languagesQuery: conversations started per language.
const languagesQuery = `WITH ` + params + `
SELECT c.language, count(*) AS conversations
FROM conversations c, p
WHERE c.created_at >= p.t0 AND c.created_at < p.t1 AND c.channel <> 'eval'
GROUP BY c.language ORDER BY 2 DESC, 1`

// botQuery: conversations started in the range by what became of them — 'contained' (never
// handed off) or the reason of their first handoff — with each one's share of all.
const botQuery = `WITH ` + params + `,
c AS (SELECT c.id FROM conversations c, p
      WHERE c.created_at >= p.t0 AND c.created_at < p.t1 AND c.channel <> 'eval'),
f AS (SELECT DISTINCT ON (h.conversation_id) h.conversation_id, h.reason
      FROM handoffs h JOIN c ON c.id = h.conversation_id
      ORDER BY h.conversation_id, h.enqueued_at, h.id),
o AS (SELECT coalesce(f.reason, 'contained') AS outcome, count(*) AS n
      FROM c LEFT JOIN f ON f.conversation_id = c.id GROUP BY 1)
SELECT outcome, n AS conversations, round(n * 100.0 / sum(n) OVER (), 1)::float8 AS percent
FROM o ORDER BY outcome <> 'contained', n DESC, outcome`

// intentsQuery: the ten intents customers' messages were read as in the most conversations
// (a bot reply's meta: the intent it understood, else the task's intent).
const intentsQuery = `WITH ` + params + `,
m AS (SELECT m.conversation_id, coalesce(nullif(m.meta->>'understood', ''), nullif(m.meta->>'intent', '')) AS intent
      FROM messages m, p
      WHERE m.created_at >= p.t0 AND m.created_at < p.t1 AND m.sender = 'bot'
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = m.conversation_id))
SELECT intent, count(DISTINCT conversation_id) AS conversations, count(*) AS bot_replies
FROM m WHERE intent IS NOT NULL
GROUP BY intent ORDER BY 2 DESC, 3 DESC, 1 LIMIT 10`

// unansweredQuery: the ten most-asked questions the bot could not answer, grouped as the
// knowledge base groups them; each shown by its group's first question in the range.
const unansweredQuery = `WITH ` + params + `
SELECT (array_agg(u.question ORDER BY u.id))[1] AS question, count(*) AS times,
       (array_agg(u.language ORDER BY u.id))[1] AS language,
       to_char(max(u.asked_at AT TIME ZONE p.tz), 'YYYY-MM-DD HH24:MI') AS last_asked
FROM kb_unanswered u, p
WHERE u.asked_at >= p.t0 AND u.asked_at < p.t1 AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = u.conversation_id)
GROUP BY coalesce(u.group_id, u.id) ORDER BY 2 DESC, min(u.id) LIMIT 10`

// timesQuery: handoffs enqueued in the range, per team (handoffs.skill) and per agent (the one
// who claimed it), with p50/p90 in seconds of: first response (enqueued → the first agent
// message after it), wait (enqueued → accepted, or claimed when there was no offer to accept)
// and handling (claimed → resolved).
const timesQuery = `WITH ` + params + `,
h AS (SELECT h.skill, h.claimed_by,
             extract(epoch FROM (SELECT min(m.created_at) FROM messages m
                                 WHERE m.conversation_id = h.conversation_id AND m.sender = 'agent'
                                   AND m.created_at >= h.enqueued_at
                                   AND m.created_at <= coalesce(h.resolved_at, 'infinity')) - h.enqueued_at)::float8 AS first_s,
             extract(epoch FROM coalesce(h.accepted_at, h.claimed_at) - h.enqueued_at)::float8 AS wait_s,
             extract(epoch FROM h.resolved_at - h.claimed_at)::float8 AS handle_s
      FROM handoffs h, p
      WHERE h.enqueued_at >= p.t0 AND h.enqueued_at < p.t1 AND (p.team = '' OR h.skill = p.team)
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = h.conversation_id))
SELECT CASE WHEN GROUPING(h.skill) = 0 THEN 'team' ELSE 'agent' END AS "by",
       CASE WHEN GROUPING(h.skill) = 0 THEN h.skill
            ELSE coalesce(nullif(u.name, ''), u.email, '#' || h.claimed_by) END AS name,
       count(*) AS handoffs,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.first_s)::numeric, 1)::float8 AS first_response_p50_s,
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY h.first_s)::numeric, 1)::float8 AS first_response_p90_s,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.wait_s)::numeric, 1)::float8 AS wait_p50_s,
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY h.wait_s)::numeric, 1)::float8 AS wait_p90_s,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.handle_s)::numeric, 1)::float8 AS handling_p50_s,
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY h.handle_s)::numeric, 1)::float8 AS handling_p90_s
FROM h LEFT JOIN users u ON u.id = h.claimed_by
GROUP BY GROUPING SETS ((h.skill), (h.claimed_by, u.name, u.email))
HAVING GROUPING(h.skill) = 0 OR h.claimed_by IS NOT NULL
ORDER BY 1 DESC, 2`

// csatQuery: ratings given in the range — all of them, the bot's (conversations no person took
// part in), per team and per agent — with the average score and the share of 4s and 5s.
const csatQuery = `WITH ` + params + `,
r AS (SELECT r.score, r.by_bot, r.team, r.agent_id
      FROM csat_ratings r, p
      WHERE r.created_at >= p.t0 AND r.created_at < p.t1 AND (p.team = '' OR r.team = p.team)
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = r.conversation_id)),
g AS (SELECT 0 AS o, 'all' AS "by", '' AS name, 0::bigint AS k, score FROM r
      UNION ALL SELECT 1, 'bot', '', 0, score FROM r WHERE by_bot
      UNION ALL SELECT 2, 'team', team, 0, score FROM r WHERE team IS NOT NULL AND team <> ''
      UNION ALL SELECT 3, 'agent', coalesce(nullif(u.name, ''), u.email), u.id, score
                FROM r JOIN users u ON u.id = r.agent_id)
SELECT "by", name, count(*) AS ratings, round(avg(score), 2)::float8 AS average,
       round(100.0 * count(*) FILTER (WHERE score >= 4) / count(*), 1)::float8 AS satisfied_percent
FROM g GROUP BY o, "by", name, k ORDER BY o, name, k`

// ticketsQuery: per day, tickets opened and solved (by tickets.team), tickets escalated
// (whichever kind, once per ticket and day) and SLA breaches of handoffs by clock (handoffs.skill).
const ticketsQuery = `WITH ` + params + `, ` + days + `,
o AS (SELECT (t.created_at AT TIME ZONE p.tz)::date AS day, count(*) AS n
      FROM tickets t, p
      WHERE t.created_at >= p.t0 AND t.created_at < p.t1 AND (p.team = '' OR t.team = p.team)
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = t.conversation_id) GROUP BY 1),
s AS (SELECT (t.solved_at AT TIME ZONE p.tz)::date AS day, count(*) AS n
      FROM tickets t, p
      WHERE t.solved_at >= p.t0 AND t.solved_at < p.t1 AND (p.team = '' OR t.team = p.team)
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = t.conversation_id) GROUP BY 1),
e AS (SELECT (x.escalated_at AT TIME ZONE p.tz)::date AS day, count(DISTINCT x.ticket_id) AS n
      FROM ticket_escalations x JOIN tickets t ON t.id = x.ticket_id, p
      WHERE x.escalated_at >= p.t0 AND x.escalated_at < p.t1 AND (p.team = '' OR t.team = p.team)
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = t.conversation_id) GROUP BY 1),
b AS (SELECT (b.breached_at AT TIME ZONE p.tz)::date AS day,
             count(*) FILTER (WHERE b.kind = 'first_response') AS first_n,
             count(*) FILTER (WHERE b.kind = 'next_response') AS next_n
      FROM sla_breaches b, p
      WHERE b.breached_at >= p.t0 AND b.breached_at < p.t1 AND (p.team = '' OR b.skill = p.team)
        AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = b.conversation_id) GROUP BY 1)
SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(o.n, 0)::bigint AS opened, coalesce(s.n, 0)::bigint AS solved,
       coalesce(e.n, 0)::bigint AS escalated, coalesce(b.first_n, 0)::bigint AS sla_first_response_breaches,
       coalesce(b.next_n, 0)::bigint AS sla_next_response_breaches
FROM d LEFT JOIN o ON o.day = d.day LEFT JOIN s ON s.day = d.day LEFT JOIN e ON e.day = d.day
     LEFT JOIN b ON b.day = d.day
ORDER BY d.day`

// complianceQuery: compliance hits by where they happened and what came of them.
const complianceQuery = `WITH ` + params + `
SELECT h.source, h.outcome, count(*) AS hits
FROM compliance_hits h, p
WHERE h.created_at >= p.t0 AND h.created_at < p.t1 AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.channel = 'eval' AND e.id = h.conversation_id)
GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`

// teamsQuery lists the teams the filter offers: every routing team and every agent's skill.
const teamsQuery = `SELECT skill FROM routing_teams
UNION SELECT unnest(skills) FROM users
UNION SELECT 'general'
ORDER BY 1`
