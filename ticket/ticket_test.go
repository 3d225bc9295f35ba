package ticket_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/ticket"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type fixture struct {
	pool       *pgxpool.Pool
	store      *ticket.Store
	agent, sup int64
	customer   string
	conv       string
}

func setup(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	f := fixture{pool: pool, store: ticket.NewStore(pool)}
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role) VALUES ('a@x', 'Ann', 'x', 'agent') RETURNING id`).Scan(&f.agent))
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role) VALUES ('s@x', 'Sue', 'x', 'supervisor') RETURNING id`).Scan(&f.sup))
	f.customer, f.conv = newCustomer(t, pool, "zh")
	return f
}

func newCustomer(t *testing.T, pool *pgxpool.Pool, lang string) (string, string) {
	t.Helper()
	var cust, conv string
	ctx := context.Background()
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO customers (name, token_hash) VALUES ('Li Lei', decode(md5(random()::text), 'hex')) RETURNING id`).Scan(&cust))
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO conversations (customer_id, language) VALUES ($1, $2) RETURNING id`, cust, lang).Scan(&conv))
	return cust, conv
}

func ptr[T any](v T) *T { return &v }

func kinds(t *testing.T, s *ticket.Store, id int64) []string {
	t.Helper()
	evs, err := s.Events(context.Background(), id)
	require.NoError(t, err)
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

// A ticket opened from a conversation takes its customer and language, gets its number and a due
// time from its priority's SLA, and moves through its states with each change in the timeline;
// solving it tells the customer in the chat, with the meta the rating prompt looks for.
func TestTicketLifecycle(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	before := time.Now()
	tk, err := f.store.Create(ctx, ticket.NewTicket{Subject: "Refund for a broken kettle", Priority: "urgent", Team: "billing",
		OrderNumber: "A1234567", ConversationID: f.conv,
		Attachments: []ticket.Attachment{{URL: "https://files.example.com/photo.jpg", Name: "photo"}}}, f.agent)
	require.NoError(t, err)
	require.Equal(t, int64(10001), tk.ID)
	require.Equal(t, "T10001", tk.Number)
	require.Equal(t, f.customer, tk.CustomerID)
	require.Equal(t, "zh", tk.Language)
	require.Equal(t, ticket.StatusNew, tk.Status)
	require.WithinDuration(t, before.Add(4*time.Hour), tk.DueAt, time.Minute, "urgent: due in 4 hours")
	require.Equal(t, "Ann", tk.CreatedBy.Name)

	_, err = f.store.Update(ctx, tk.ID, ticket.Patch{AssigneeID: &f.agent}, f.sup)
	require.NoError(t, err)
	tk, err = f.store.Get(ctx, tk.ID)
	require.NoError(t, err)
	require.Equal(t, ticket.StatusOpen, tk.Status, "assigning a new ticket opens it")
	require.Equal(t, "Ann", tk.Assignee.Name)
	require.NotNil(t, tk.TouchedAt)

	tk, err = f.store.Update(ctx, tk.ID, ticket.Patch{Status: ptr("pending"), PendingOn: ptr("customer")}, f.agent)
	require.NoError(t, err)
	require.Equal(t, "customer", tk.PendingOn)
	_, err = f.store.Comment(ctx, tk.ID, f.agent, "Asked for a photo of the label")
	require.NoError(t, err)
	tk, err = f.store.Update(ctx, tk.ID, ticket.Patch{Status: ptr("solved")}, f.agent)
	require.NoError(t, err)
	require.NotNil(t, tk.SolvedAt)
	require.Empty(t, tk.PendingOn)

	var text, sender string
	var meta []byte
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT sender, text, meta FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1`,
		f.conv).Scan(&sender, &text, &meta))
	require.Equal(t, "system", sender)
	require.Equal(t, "您的工单 T10001 已解决：Refund for a broken kettle", text)
	var m map[string]any
	require.NoError(t, json.Unmarshal(meta, &m))
	require.Equal(t, map[string]any{"kind": "ticket_solved", "ticket_id": float64(10001), "ticket_number": "T10001"}, m)

	_, err = f.store.Update(ctx, tk.ID, ticket.Patch{Status: ptr("closed")}, f.agent)
	require.NoError(t, err)
	_, err = f.store.Update(ctx, tk.ID, ticket.Patch{Status: ptr("open")}, f.agent)
	require.ErrorIs(t, err, ticket.ErrTransition, "closed is final")

	require.Equal(t, []string{"created", "assigned", "status", "status", "comment", "status", "customer_notified", "status"},
		kinds(t, f.store, tk.ID))

	// Ann was told she has it (by Sue); she did not notify herself.
	var n int
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'ticket_assigned' AND ticket_id = $2`,
		f.agent, tk.ID).Scan(&n))
	require.Equal(t, 1, n)
}

func TestTicketRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	for name, n := range map[string]ticket.NewTicket{
		"no subject":     {Subject: " "},
		"bad priority":   {Subject: "x", Priority: "asap"},
		"bad attachment": {Subject: "x", Attachments: []ticket.Attachment{{URL: "javascript:alert(1)"}}},
		"past due":       {Subject: "x", DueAt: ptr(time.Now().Add(-time.Hour))},
		"no such conv":   {Subject: "x", ConversationID: "00000000-0000-0000-0000-000000000000"},
		"not a uuid":     {Subject: "x", CustomerID: "42"},
		"someone else's": {Subject: "x", ConversationID: f.conv, CustomerID: "00000000-0000-0000-0000-000000000001"},
	} {
		_, err := f.store.Create(ctx, n, f.agent)
		var inv *ticket.InvalidError
		require.ErrorAs(t, err, &inv, name)
	}
}

// mustCreate makes a ticket created at `age` ago, due at `due` from now.
func mustCreate(t *testing.T, f fixture, subject string, age, due time.Duration) int64 {
	t.Helper()
	ctx := context.Background()
	tk, err := f.store.Create(ctx, ticket.NewTicket{Subject: subject, ConversationID: f.conv, Priority: "normal"}, f.agent)
	require.NoError(t, err)
	_, err = f.pool.Exec(ctx, `UPDATE tickets SET created_at = now() - make_interval(secs => $2), due_at = now() + make_interval(secs => $3)
		WHERE id = $1`, tk.ID, age.Seconds(), due.Seconds())
	require.NoError(t, err)
	return tk.ID
}

// An untouched ticket past its due time escalates once, however many processes sweep at once: its
// priority goes up one step, its timeline says so, supervisors are told. A touched ticket past due
// does not; a ticket unsolved past the configured age escalates (once) whether touched or not.
func TestEscalationRecordedOnce(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	untouched := mustCreate(t, f, "untouched and overdue", time.Hour, -time.Minute)
	// Saving the form unchanged is not work on it.
	_, err := f.store.Update(ctx, untouched, ticket.Patch{}, f.agent)
	require.NoError(t, err)
	touched := mustCreate(t, f, "touched and overdue", time.Hour, -time.Minute)
	_, err = f.store.Comment(ctx, touched, f.agent, "on it")
	require.NoError(t, err)
	fresh := mustCreate(t, f, "not due yet", time.Hour, time.Hour)
	old := mustCreate(t, f, "unsolved for days", 80*time.Hour, time.Hour)
	_, err = f.store.Comment(ctx, old, f.agent, "still waiting on the warehouse")
	require.NoError(t, err)
	// Overdue and old at once: both are recorded, but it goes one step up, not two.
	both := mustCreate(t, f, "old, untouched and overdue", 80*time.Hour, -time.Minute)

	// Two server processes sweep at the same moment, several times.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var got []ticket.Escalation
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			es, err := f.store.Escalate(ctx, 72*time.Hour)
			require.NoError(t, err)
			mu.Lock()
			got = append(got, es...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	require.Len(t, got, 4, "%+v", got)
	byTicket := map[int64]ticket.Escalation{}
	var bothSteps []string
	for _, e := range got {
		byTicket[e.TicketID] = e
		if e.TicketID == both {
			bothSteps = append(bothSteps, e.PriorityBefore+"→"+e.PriorityAfter)
		}
	}
	require.ElementsMatch(t, []string{"normal→high", "high→high"}, bothSteps)
	require.Equal(t, ticket.Escalation{TicketID: untouched, Kind: "overdue", PriorityBefore: "normal", PriorityAfter: "high"}, byTicket[untouched])
	require.Equal(t, ticket.Escalation{TicketID: old, Kind: "age", PriorityBefore: "normal", PriorityAfter: "high"}, byTicket[old])

	for id, want := range map[int64]string{untouched: "high", touched: "normal", fresh: "normal", old: "high", both: "high"} {
		tk, err := f.store.Get(ctx, id)
		require.NoError(t, err)
		require.Equal(t, want, tk.Priority, tk.Subject)
	}
	tk, err := f.store.Get(ctx, untouched)
	require.NoError(t, err)
	require.Equal(t, []string{"overdue"}, tk.Escalations)
	require.True(t, tk.Overdue)
	require.Equal(t, []string{"created", "escalated"}, kinds(t, f.store, untouched))

	var n int
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'ticket_escalated'`, f.sup).Scan(&n))
	require.Equal(t, 4, n, "the supervisor hears of each escalation once")

	// Later sweeps find nothing new; a ticket age 0 never escalates by age.
	es, err := f.store.Escalate(ctx, 72*time.Hour)
	require.NoError(t, err)
	require.Empty(t, es)
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT count(*) FROM ticket_events WHERE kind = 'escalated'`).Scan(&n))
	require.Equal(t, 4, n)
	es, err = f.store.Escalate(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, es)
}

// The chat answers a ticket number with its status only for the customer's own tickets; another
// customer's number gets the same "cannot find" as a number that does not exist.
func TestChatAnswer(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	mine, err := f.store.Create(ctx, ticket.NewTicket{Subject: "Broken kettle", ConversationID: f.conv}, f.agent)
	require.NoError(t, err)
	otherCust, otherConv := newCustomer(t, f.pool, "en")
	theirs, err := f.store.Create(ctx, ticket.NewTicket{Subject: "Secret other matter", ConversationID: otherConv}, f.agent)
	require.NoError(t, err)

	reply, meta, ok, err := f.store.ChatAnswer(ctx, f.customer, "en", "what about ticket "+mine.Number+"?")
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, reply, "T10001")
	require.Contains(t, reply, "Broken kettle")
	require.Contains(t, reply, "waiting for our team")
	require.JSONEq(t, `{"kind":"ticket_status","ticket_number":"T10001","found":true}`, string(meta))

	reply, _, ok, err = f.store.ChatAnswer(ctx, f.customer, "en", "工单10001 怎么样了")
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, reply, "已受理")

	for text, want := range map[string]string{"t10002": "couldn't find", "ticket #10002": "couldn't find",
		"工单号：T10002": "没有找到", "T99999": "couldn't find"} {
		reply, _, ok, err = f.store.ChatAnswer(ctx, f.customer, "en", text)
		require.NoError(t, err)
		require.True(t, ok, text)
		require.NotContains(t, reply, "Secret", text)
		require.Contains(t, reply, want, text)
	}
	reply, _, ok, err = f.store.ChatAnswer(ctx, otherCust, "en", theirs.Number)
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, reply, "Secret other matter")

	for _, text := range []string{"where is order T1234567", "my order A1234567", "hello", "call me at 10002",
		"订单T123456还没到", "order no. T12345", "I bought a ticket: 2 adults", "工单2个"} {
		_, _, ok, err = f.store.ChatAnswer(ctx, f.customer, "en", text)
		require.NoError(t, err)
		require.False(t, ok, text)
	}
}
