package report

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is a handful of hand-counted rows around 2026-03-02..03 in Asia/Shanghai (UTC+8):
//
//	c1 web/en   2026-03-01 16:30Z (Shanghai 03-02 00:30)  contained; bot understood order_status
//	c2 web/zh   2026-03-02 02:00Z (10:00)  h2 human_request→billing, Alice: wait 60 s, first 120 s, handling 600 s
//	c3 email/en 2026-03-02 03:00Z (11:00)  h3 complaint→general, Bob: wait 120 s (accepted), first 240 s, handling 1980 s
//	c4 web/en   2026-03-03 02:00Z (10:00)  h4 human_request→billing, Alice: wait 30 s, first 60 s, unresolved
//	c5 eval     2026-03-02 05:00Z          everything of it must be left out
//	c6 web/en   2026-03-04 01:00Z (03-04 09:00) out of range; c7 web/en 2026-03-01 15:00Z (03-01 23:00) out of range
func fixture(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
INSERT INTO users (id, email, name, password_hash, role, skills) VALUES
 (901, 'alice@example.com', 'Alice', '', 'agent', '{billing}'),
 (902, 'bob@example.com', 'Bob', '', 'agent', '{general}');
INSERT INTO customers (id, name, token_hash) VALUES ('00000000-0000-0000-0000-0000000000c0', 'Cu', '\x01');
INSERT INTO conversations (id, customer_id, channel, language, status, created_at) VALUES
 ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000c0', 'web', 'en', 'bot', '2026-03-01T16:30:00Z'),
 ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-0000000000c0', 'web', 'zh', 'resolved', '2026-03-02T02:00:00Z'),
 ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-0000000000c0', 'email', 'en', 'resolved', '2026-03-02T03:00:00Z'),
 ('00000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-0000000000c0', 'web', 'en', 'assigned', '2026-03-03T02:00:00Z'),
 ('00000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-0000000000c0', 'eval', 'en', 'resolved', '2026-03-02T05:00:00Z'),
 ('00000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-0000000000c0', 'web', 'en', 'resolved', '2026-03-04T01:00:00Z'),
 ('00000000-0000-0000-0000-000000000007', '00000000-0000-0000-0000-0000000000c0', 'web', 'en', 'bot', '2026-03-01T15:00:00Z');
INSERT INTO messages (id, conversation_id, seq, sender, author_id, text, meta, created_at) VALUES
 (1, '00000000-0000-0000-0000-000000000001', 1, 'customer', NULL, 'where is my parcel', NULL, '2026-03-01T16:30:00Z'),
 (2, '00000000-0000-0000-0000-000000000001', 2, 'bot', NULL, 'here', '{"kind":"answer","understood":"order_status"}', '2026-03-01T16:30:01Z'),
 (3, '00000000-0000-0000-0000-000000000002', 1, 'customer', NULL, 'refund please', NULL, '2026-03-02T02:00:00Z'),
 (4, '00000000-0000-0000-0000-000000000002', 2, 'bot', NULL, 'a person', '{"kind":"handoff","intent":"refund"}', '2026-03-02T02:00:30Z'),
 (5, '00000000-0000-0000-0000-000000000002', 3, 'bot', NULL, 'still there', NULL, '2026-03-02T02:00:40Z'),
 (6, '00000000-0000-0000-0000-000000000002', 4, 'agent', 901, 'hi', NULL, '2026-03-02T02:03:00Z'),
 (7, '00000000-0000-0000-0000-000000000002', 5, 'customer', NULL, 'thanks', NULL, '2026-03-02T02:05:00Z'),
 (8, '00000000-0000-0000-0000-000000000002', 6, 'agent', 901, 'bye', NULL, '2026-03-02T02:06:00Z'),
 (9, '00000000-0000-0000-0000-000000000003', 1, 'customer', NULL, 'parcel?', NULL, '2026-03-02T03:00:00Z'),
 (10, '00000000-0000-0000-0000-000000000003', 2, 'bot', NULL, 'sorry', '{"kind":"handoff","understood":"order_status","intent":"complain"}', '2026-03-02T03:00:20Z'),
 (11, '00000000-0000-0000-0000-000000000003', 3, 'agent', 902, 'hello', NULL, '2026-03-02T03:04:30Z'),
 (12, '00000000-0000-0000-0000-000000000004', 1, 'customer', NULL, 'hi', NULL, '2026-03-03T02:00:00Z'),
 (13, '00000000-0000-0000-0000-000000000004', 2, 'agent', 901, 'hello', NULL, '2026-03-03T02:01:10Z'),
 (14, '00000000-0000-0000-0000-000000000005', 1, 'customer', NULL, 'test', NULL, '2026-03-02T05:00:00Z'),
 (15, '00000000-0000-0000-0000-000000000005', 2, 'bot', NULL, 'test', '{"kind":"answer","understood":"refund"}', '2026-03-02T05:00:01Z'),
 (16, '00000000-0000-0000-0000-000000000005', 3, 'agent', 901, 'x', NULL, '2026-03-02T05:30:00Z'),
 (17, '00000000-0000-0000-0000-000000000007', 1, 'customer', NULL, 'late', NULL, '2026-03-01T15:00:00Z'),
 (18, '00000000-0000-0000-0000-000000000006', 1, 'customer', NULL, 'later', NULL, '2026-03-04T01:00:00Z');
INSERT INTO handoffs (id, conversation_id, reason, skill, language, status, enqueued_at, claimed_by, claimed_at, accepted_at, resolved_at) VALUES
 (2, '00000000-0000-0000-0000-000000000002', 'human_request', 'billing', 'zh', 'resolved', '2026-03-02T02:01:00Z', 901, '2026-03-02T02:02:00Z', NULL, '2026-03-02T02:12:00Z'),
 (3, '00000000-0000-0000-0000-000000000003', 'complaint', 'general', 'en', 'resolved', '2026-03-02T03:00:30Z', 902, '2026-03-02T03:01:30Z', '2026-03-02T03:02:30Z', '2026-03-02T03:34:30Z'),
 (4, '00000000-0000-0000-0000-000000000004', 'human_request', 'billing', 'en', 'assigned', '2026-03-03T02:00:10Z', 901, '2026-03-03T02:00:40Z', NULL, NULL),
 (5, '00000000-0000-0000-0000-000000000005', 'low_confidence', 'billing', 'en', 'resolved', '2026-03-02T05:00:02Z', 901, '2026-03-02T05:20:00Z', NULL, '2026-03-02T06:00:00Z'),
 (6, '00000000-0000-0000-0000-000000000006', 'complaint', 'billing', 'en', 'resolved', '2026-03-04T01:00:10Z', 901, '2026-03-04T01:10:00Z', NULL, '2026-03-04T02:00:00Z');
INSERT INTO kb_unanswered (id, message_id, conversation_id, question, language, reason, asked_at, group_id) VALUES
 (1, 1, '00000000-0000-0000-0000-000000000001', 'where is my parcel, call me at 13812345678', 'en', 'dont_know', '2026-03-01T16:30:01Z', NULL),
 (2, 9, '00000000-0000-0000-0000-000000000003', 'parcel?', 'en', 'low_confidence', '2026-03-02T03:00:20Z', 1),
 (3, 3, '00000000-0000-0000-0000-000000000002', '=HYPERLINK("x") 退款', 'zh', 'dont_know', '2026-03-02T02:00:30Z', NULL),
 (4, 14, '00000000-0000-0000-0000-000000000005', 'test', 'en', 'dont_know', '2026-03-02T05:00:01Z', NULL),
 (5, 17, '00000000-0000-0000-0000-000000000007', 'late', 'en', 'dont_know', '2026-03-01T15:00:01Z', NULL);
INSERT INTO csat_ratings (conversation_id, score, agent_id, team, by_bot, created_at) VALUES
 ('00000000-0000-0000-0000-000000000002', 5, 901, 'billing', false, '2026-03-02T02:13:00Z'),
 ('00000000-0000-0000-0000-000000000003', 2, 902, 'general', false, '2026-03-02T03:35:00Z'),
 ('00000000-0000-0000-0000-000000000001', 4, NULL, NULL, true, '2026-03-01T16:40:00Z'),
 ('00000000-0000-0000-0000-000000000005', 1, 901, 'billing', false, '2026-03-02T06:01:00Z'),
 ('00000000-0000-0000-0000-000000000006', 1, 901, 'billing', false, '2026-03-04T02:01:00Z');
INSERT INTO tickets (id, team, subject, created_at, due_at, solved_at, status, conversation_id) VALUES
 (10001, 'billing', 'a', '2026-03-02T04:00:00Z', '2026-03-03T04:00:00Z', '2026-03-03T03:00:00Z', 'solved', '00000000-0000-0000-0000-000000000002'),
 (10002, 'general', 'b', '2026-03-02T06:00:00Z', '2026-03-03T04:00:00Z', NULL, 'open', NULL),
 (10003, 'billing', 'c', '2026-03-01T10:00:00Z', '2026-03-02T04:00:00Z', '2026-03-02T01:00:00Z', 'solved', NULL),
 (10004, 'billing', 'eval', '2026-03-02T05:10:00Z', '2026-03-03T04:00:00Z', '2026-03-02T05:20:00Z', 'solved', '00000000-0000-0000-0000-000000000005');
INSERT INTO ticket_escalations (ticket_id, kind, escalated_at, priority_before, priority_after) VALUES
 (10002, 'overdue', '2026-03-03T06:00:00Z', 'normal', 'high'),
 (10002, 'age', '2026-03-03T07:00:00Z', 'high', 'urgent');
INSERT INTO sla_breaches (handoff_id, conversation_id, kind, clock_started_at, due_at, breached_at, skill, priority_before, priority_after) VALUES
 (2, '00000000-0000-0000-0000-000000000002', 'first_response', '2026-03-02T02:01:00Z', '2026-03-02T02:02:00Z', '2026-03-02T02:02:00Z', 'billing', 0, 1),
 (3, '00000000-0000-0000-0000-000000000003', 'next_response', '2026-03-02T03:05:00Z', '2026-03-02T03:10:00Z', '2026-03-02T03:10:00Z', 'general', 0, 1),
 (5, '00000000-0000-0000-0000-000000000005', 'first_response', '2026-03-02T05:00:02Z', '2026-03-02T05:01:00Z', '2026-03-02T05:01:00Z', 'billing', 0, 1);
INSERT INTO compliance_hits (phrase, source, outcome, user_id, conversation_id, created_at) VALUES
 ('guarantee', 'agent_reply', 'blocked', 901, '00000000-0000-0000-0000-000000000002', '2026-03-02T02:04:00Z'),
 ('guarantee', 'agent_reply', 'blocked', 902, '00000000-0000-0000-0000-000000000003', '2026-03-02T03:04:00Z'),
 ('free', 'bot_answer', 'warned', NULL, NULL, '2026-03-03T01:00:00Z'),
 ('free', 'bot_answer', 'warned', NULL, '00000000-0000-0000-0000-000000000005', '2026-03-02T05:00:01Z'),
 ('free', 'kb_article', 'blocked', 901, NULL, '2026-03-05T01:00:00Z');
`)
	require.NoError(t, err)
}

// cells is a table as the CSV shows it.
func cells(t *Table) [][]string {
	out := [][]string{}
	for _, row := range t.Rows {
		r := []string{}
		for _, v := range row {
			r = append(r, cell(v))
		}
		out = append(out, r)
	}
	return out
}

func runReport(t *testing.T, pool *pgxpool.Pool, team, tz string) *Report {
	t.Helper()
	f, err := ParseFilter("2026-03-02", "2026-03-03", team, tz, "", time.Now())
	require.NoError(t, err)
	r, err := Run(context.Background(), pool, f)
	require.NoError(t, err)
	return r
}

func TestReportHandCounted(t *testing.T) {
	pool := dbtest.New(t)
	fixture(t, pool)

	r := runReport(t, pool, "", "Asia/Shanghai")
	s := r.Sections
	hours := cells(s["hours"])
	require.Len(t, hours, 24)
	got := map[string]string{}
	for _, h := range hours {
		if h[1] != "0" {
			got[h[0]] = h[1]
		}
	}
	require.Equal(t, map[string]string{"0": "1", "10": "2", "11": "1"}, got, "conversations by Shanghai hour")
	require.Equal(t, [][]string{{"2026-03-02", "3", "4", "2"}, {"2026-03-03", "1", "1", "1"}}, cells(s["days"]))
	require.Equal(t, []string{"day", "conversations", "customer_messages", "handoffs"}, s["days"].Columns)
	require.Equal(t, [][]string{{"web", "3"}, {"email", "1"}}, cells(s["channels"]))
	require.Equal(t, [][]string{{"en", "3"}, {"zh", "1"}}, cells(s["languages"]))
	require.Equal(t, [][]string{{"contained", "1", "25"}, {"human_request", "2", "50"}, {"complaint", "1", "25"}}, cells(s["bot"]))
	require.Equal(t, [][]string{{"order_status", "2", "2"}, {"refund", "1", "1"}}, cells(s["intents"]))
	// Grouped, masked, formula-safe; the eval conversation's and the out-of-range ones are not here.
	require.Equal(t, [][]string{
		{"where is my parcel, call me at 138****5678", "2", "en", "2026-03-02 11:00"},
		{`'=HYPERLINK("x") 退款`, "1", "zh", "2026-03-02 10:00"},
	}, cells(s["unanswered"]))
	require.Equal(t, []string{"by", "name", "handoffs", "first_response_p50_s", "first_response_p90_s",
		"wait_p50_s", "wait_p90_s", "handling_p50_s", "handling_p90_s"}, s["times"].Columns)
	require.Equal(t, [][]string{
		{"team", "billing", "2", "90", "114", "45", "57", "600", "600"},
		{"team", "general", "1", "240", "240", "120", "120", "1980", "1980"},
		{"agent", "Alice", "2", "90", "114", "45", "57", "600", "600"},
		{"agent", "Bob", "1", "240", "240", "120", "120", "1980", "1980"},
	}, cells(s["times"]))
	require.Equal(t, [][]string{
		{"all", "", "3", "3.67", "66.7"},
		{"bot", "", "1", "4", "100"},
		{"team", "billing", "1", "5", "100"},
		{"team", "general", "1", "2", "0"},
		{"agent", "Alice", "1", "5", "100"},
		{"agent", "Bob", "1", "2", "0"},
	}, cells(s["csat"]))
	require.Equal(t, [][]string{
		{"2026-03-02", "2", "1", "0", "1", "1"},
		{"2026-03-03", "0", "1", "1", "0", "0"},
	}, cells(s["tickets"]))
	require.Equal(t, [][]string{{"agent_reply", "blocked", "2"}, {"bot_answer", "warned", "1"}}, cells(s["compliance"]))
	require.Equal(t, []string{"billing", "general"}, r.Teams)

	contained, avg := 25.0, 3.67
	require.Equal(t, Summary{Conversations: 4, CustomerMessages: 5, Handoffs: 3, ContainmentPercent: &contained,
		CSATAverage: &avg, CSATRatings: 3, TicketsOpened: 2, TicketsSolved: 2, TicketsEscalated: 1, SLABreaches: 2,
		ComplianceHits: 3}, r.Summary)

	t.Run("team filter", func(t *testing.T) {
		r := runReport(t, pool, "billing", "Asia/Shanghai")
		s := r.Sections
		require.Equal(t, [][]string{
			{"team", "billing", "2", "90", "114", "45", "57", "600", "600"},
			{"agent", "Alice", "2", "90", "114", "45", "57", "600", "600"},
		}, cells(s["times"]))
		require.Equal(t, [][]string{{"all", "", "1", "5", "100"}, {"team", "billing", "1", "5", "100"}, {"agent", "Alice", "1", "5", "100"}}, cells(s["csat"]))
		require.Equal(t, [][]string{
			{"2026-03-02", "1", "1", "0", "1", "0"},
			{"2026-03-03", "0", "1", "0", "0", "0"},
		}, cells(s["tickets"]))
		require.True(t, s["times"].TeamFiltered)
		// Volume is everyone's: the filter does not narrow it.
		require.False(t, s["days"].TeamFiltered)
		require.Equal(t, [][]string{{"2026-03-02", "3", "4", "2"}, {"2026-03-03", "1", "1", "1"}}, cells(s["days"]))
	})

	t.Run("UTC buckets", func(t *testing.T) {
		r := runReport(t, pool, "", "UTC")
		got := map[string]string{}
		for _, h := range cells(r.Sections["hours"]) {
			if h[1] != "0" {
				got[h[0]] = h[1]
			}
		}
		// c1 (16:30Z on 03-01) falls out of a UTC range starting 03-02; c2 and c4 at 02h, c3 at 03h.
		require.Equal(t, map[string]string{"2": "2", "3": "1"}, got)
		require.Equal(t, [][]string{{"2026-03-02", "2", "3", "2"}, {"2026-03-03", "1", "1", "1"}}, cells(r.Sections["days"]))
	})
}

func TestParseFilter(t *testing.T) {
	now := time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC) // 03-11 04:00 in Shanghai
	f, err := ParseFilter("", "", "", "", "Asia/Shanghai", now)
	require.NoError(t, err)
	require.Equal(t, "2026-03-05", f.From)
	require.Equal(t, "2026-03-11", f.To)
	require.Equal(t, "2026-03-04T16:00:00Z", f.Start.UTC().Format(time.RFC3339))
	require.Equal(t, "2026-03-11T16:00:00Z", f.End.UTC().Format(time.RFC3339))

	f, err = ParseFilter("2025-01-01", "2026-01-01", " billing ", "", "", now)
	require.NoError(t, err)
	require.Equal(t, "UTC", f.TZ)
	require.Equal(t, "billing", f.Team)

	for _, bad := range [][4]string{
		{"2026-13-01", "", "", ""},
		{"", "yesterday", "", ""},
		{"2026-03-05", "2026-03-04", "", ""},
		{"2025-01-01", "2026-01-02", "", ""}, // 367 days
		{"", "", "", "Mars/Olympus"},
		{"", "", "", "Local"},
	} {
		_, err := ParseFilter(bad[0], bad[1], bad[2], bad[3], "", now)
		require.ErrorIs(t, err, ErrBadFilter, "%v", bad)
	}
}
