package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/dbtest"
)

func adminUser() auth.User { return auth.User{ID: -1, Role: auth.RoleAdmin} }

// backdate moves a conversation's handoff and messages into the past, as if it had waited ago.
func backdate(t *testing.T, pool *pgxpool.Pool, convID string, ago time.Duration) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `UPDATE handoffs SET enqueued_at = enqueued_at - make_interval(secs => $2),
		claimed_at = claimed_at - make_interval(secs => $2) WHERE conversation_id = $1`, convID, ago.Seconds())
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE messages SET created_at = created_at - make_interval(secs => $2) WHERE conversation_id = $1`,
		convID, ago.Seconds())
	require.NoError(t, err)
}

func countRows(t *testing.T, pool *pgxpool.Pool, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), q, args...).Scan(&n))
	return n
}

func priorityOf(t *testing.T, pool *pgxpool.Pool, convID string) int {
	t.Helper()
	return countRows(t, pool, `SELECT priority FROM handoffs WHERE conversation_id = $1 AND status <> 'resolved'`, convID)
}

// A first response overdue is recorded once, with its time, and escalated once: the priority goes
// up by one step and a breach event is written for the bus. Later sweeps record nothing more.
func TestSLASweepRecordsFirstResponseBreachOnce(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	_, err := s.SLATargetsSet(ctx, []SLATarget{
		{MinPriority: 10, Name: "high", FirstResponseSeconds: 30, NextResponseSeconds: 20},
		{MinPriority: 0, Name: "normal", FirstResponseSeconds: 120, NextResponseSeconds: 60},
	})
	require.NoError(t, err)

	normal := newHandoff(t, pool, "general", "en", 0) // nobody online: both wait
	high := newHandoff(t, pool, "general", "en", 10)
	backdate(t, pool, normal, 60*time.Second) // within its 120 s
	backdate(t, pool, high, 60*time.Second)   // past its 30 s

	breaches, err := s.SLASweep(ctx)
	require.NoError(t, err)
	require.Len(t, breaches, 1, "only the high-priority conversation is overdue")
	b := breaches[0]
	require.Equal(t, high, b.ConversationID)
	require.Equal(t, ClockFirstResponse, b.Kind)
	require.Equal(t, 10, b.PriorityBefore)
	require.Equal(t, 10+BreachPriorityStep, b.PriorityAfter)
	require.WithinDuration(t, time.Now(), b.BreachedAt, time.Minute)
	require.WithinDuration(t, b.ClockStartedAt.Add(30*time.Second), b.DueAt, time.Millisecond)
	require.Equal(t, 20, priorityOf(t, pool, high), "the breach raised the priority")
	require.Equal(t, 0, priorityOf(t, pool, normal))
	require.Equal(t, 1, countRows(t, pool, `SELECT count(*) FROM events WHERE topic = $1 AND kind = 'breach'`, SLATopic))

	// The queue now serves the breached conversation first, and says so.
	items, err := s.Queue(ctx, adminUser())
	require.NoError(t, err)
	require.NoError(t, s.WithSLA(ctx, items))
	require.Equal(t, high, items[0].ConversationID)
	st := items[0].SLA
	require.True(t, st.Breached)
	require.Equal(t, 1, st.Breaches)
	require.Equal(t, "high", st.Tier, "the breach raised the queue priority, not the SLA tier")
	require.NotNil(t, st.Current.BreachedAt)
	require.True(t, st.Current.Breached)
	require.False(t, items[1].SLA.Breached)
	require.InDelta(t, 60, items[1].SLA.Current.Elapsed, 5)
	require.Equal(t, 120, items[1].SLA.Current.Target)

	for range 3 {
		again, err := s.SLASweep(ctx)
		require.NoError(t, err)
		require.Empty(t, again, "a breach is recorded once")
	}
	require.Equal(t, 20, priorityOf(t, pool, high), "and escalated once")
	require.Equal(t, 1, countRows(t, pool, `SELECT count(*) FROM sla_breaches`))

	// The normal one goes overdue too, later.
	backdate(t, pool, normal, 61*time.Second)
	breaches, err = s.SLASweep(ctx)
	require.NoError(t, err)
	require.Len(t, breaches, 1)
	require.Equal(t, normal, breaches[0].ConversationID)
	require.Equal(t, BreachPriorityStep, priorityOf(t, pool, normal))
}

// The next-response clock: after the agent's first answer, a customer message left unanswered
// past its target is a breach of its own; answering stops the clock; a late answer the sweep had
// not seen yet is still recorded.
func TestSLASweepNextResponse(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	convs := conversation.NewStore(pool)
	_, err := s.SLATargetsSet(ctx, []SLATarget{{MinPriority: 0, Name: "all", FirstResponseSeconds: 100, NextResponseSeconds: 40}})
	require.NoError(t, err)
	agent := newAgent(t, pool, "ann", agentOpts{})
	conv := newHandoff(t, pool, "general", "en", 0)
	require.Equal(t, "ann", holder(t, pool, conv))

	say := func(sender string, ago time.Duration) {
		t.Helper()
		nm := conversation.NewMessage{Sender: sender, Text: "x", BotDone: true}
		if sender == conversation.SenderAgent {
			nm.AuthorID = &agent.ID
		}
		m, _, err := convs.Append(ctx, conv, nm)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, `UPDATE messages SET created_at = now() - make_interval(secs => $2) WHERE id = $1`, m.ID, ago.Seconds())
		require.NoError(t, err)
	}
	backdate(t, pool, conv, 400*time.Second)
	say(conversation.SenderAgent, 350*time.Second)    // first response after 50 s: in time
	say(conversation.SenderCustomer, 300*time.Second) // a next-response clock starts
	say(conversation.SenderAgent, 280*time.Second)    // answered after 20 s: in time
	say(conversation.SenderCustomer, 200*time.Second) // another starts; nobody answers: 200 s > 40 s

	breaches, err := s.SLASweep(ctx)
	require.NoError(t, err)
	require.Len(t, breaches, 1)
	require.Equal(t, ClockNextResponse, breaches[0].Kind)
	states, err := s.SLAForConversations(ctx, []string{conv})
	require.NoError(t, err)
	st := states[conv]
	require.NotNil(t, st.Current)
	require.Equal(t, ClockNextResponse, st.Current.Kind)
	require.True(t, st.Current.Breached)
	require.NotNil(t, st.Current.BreachedAt)
	require.InDelta(t, 200, st.Current.Elapsed, 5)
	require.False(t, st.FirstResponse.Breached)

	// The agent answers (late, already recorded); an exchange in time records nothing.
	say(conversation.SenderAgent, 150*time.Second)
	say(conversation.SenderCustomer, 120*time.Second)
	say(conversation.SenderAgent, 100*time.Second)
	breaches, err = s.SLASweep(ctx)
	require.NoError(t, err)
	require.Empty(t, breaches)

	// The customer writes and the agent answers late before any sweep saw the clock running:
	// the late answer is still recorded, once.
	say(conversation.SenderCustomer, 55*time.Second)
	say(conversation.SenderAgent, 5*time.Second) // after 50 s
	breaches, err = s.SLASweep(ctx)
	require.NoError(t, err)
	require.Len(t, breaches, 1, "the late answer is a breach")
	require.Equal(t, ClockNextResponse, breaches[0].Kind)
	states, err = s.SLAForConversations(ctx, []string{conv})
	require.NoError(t, err)
	require.Nil(t, states[conv].Current, "nobody waits now")
	require.Equal(t, 2, states[conv].Breaches)
	require.Equal(t, 2*BreachPriorityStep, priorityOf(t, pool, conv))
	again, err := s.SLASweep(ctx)
	require.NoError(t, err)
	require.Empty(t, again)
}
