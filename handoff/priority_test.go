package handoff

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/dbtest"
)

func TestPriorityOf(t *testing.T) {
	cases := []struct {
		name      string
		reason    string
		sentiment string
		bonus     int
		want      int
	}{
		{"unanswered question", ReasonLowConfidence, "neutral", 0, 0},
		{"asked for a person", ReasonHumanRequest, "neutral", 0, PriorityHigh},
		{"complaint", ReasonComplaint, "negative", 0, PriorityUrgent},
		{"anger is not counted twice", ReasonNegative, "negative", 0, PriorityUrgent},
		{"upset customer asking for a person", ReasonHumanRequest, "negative", 0, PriorityUrgent},
		{"upset customer the bot could not answer", ReasonLowConfidence, "negative", 0, PriorityHigh},
		{"VIP bonus and intent rule", ReasonIntentRule, "neutral", 15 + 5, 20},
		{"VIP complaint", ReasonComplaint, "negative", 15, 35},
		{"capped", ReasonComplaint, "negative", 500, MaxPriority},
		{"negative bonus ignored", ReasonHumanRequest, "positive", -50, PriorityHigh},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, PriorityOf(tc.reason, tc.sentiment, tc.bonus))
		})
	}
}

// The queue is served by priority, then age: what the queue lists, the positions customers are
// told and the order a pulling agent gets them all agree.
func TestQueueOrderedByPriorityThenAge(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	require.NoError(t, s.TeamModeSet(ctx, "general", ModePull))
	oldLow := newHandoff(t, pool, "general", "en", 0)
	urgent := newHandoff(t, pool, "general", "en", 20)
	high := newHandoff(t, pool, "general", "en", 10)
	newLow := newHandoff(t, pool, "general", "en", 0)
	newUrgent := newHandoff(t, pool, "general", "en", 20)
	want := []string{urgent, newUrgent, high, oldLow, newLow}

	admin := auth.User{Role: auth.RoleAdmin}
	items, err := s.Queue(ctx, admin)
	require.NoError(t, err)
	var got []string
	for _, it := range items {
		got = append(got, it.ConversationID)
	}
	require.Equal(t, want, got)
	for i, conv := range want {
		q, err := s.QueueInfo(ctx, conv)
		require.NoError(t, err)
		require.Equal(t, i+1, q.Position, "position of the %d. in line", i+1)
	}

	ann := newAgent(t, pool, "ann", agentOpts{Capacity: 5})
	for _, conv := range want {
		c, err := s.ClaimNext(ctx, ann)
		require.NoError(t, err)
		require.Equal(t, conv, c.ID)
	}
}

// A handoff waiting past its SLA first-response target is raised (the SLA sweep, sla_sweep.go)
// and then goes before the younger handoffs of the priority it joins: the queue and the
// positions customers are told follow.
func TestBreachedWaitOvertakesInTheQueue(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	require.NoError(t, s.TeamModeSet(ctx, "general", ModePull))
	normal := newHandoff(t, pool, "general", "en", 0)
	high := newHandoff(t, pool, "general", "en", 10)
	position := func(conv string) int {
		q, err := s.QueueInfo(ctx, conv)
		require.NoError(t, err)
		return q.Position
	}
	require.Equal(t, 2, position(normal))
	require.Equal(t, 1, position(high))

	// The normal one has waited past its tier's first response (5 minutes by default), the high
	// one not yet past its own (3 minutes).
	_, err := pool.Exec(ctx, `UPDATE handoffs SET enqueued_at = now() - interval '6 minutes' WHERE conversation_id = $1`, normal)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE handoffs SET enqueued_at = now() - interval '1 minute' WHERE conversation_id = $1`, high)
	require.NoError(t, err)
	breaches, err := s.SLASweep(ctx)
	require.NoError(t, err)
	require.Len(t, breaches, 1)
	require.Equal(t, 10, breaches[0].PriorityAfter)
	require.Equal(t, 1, position(normal), "raised to high and older")
	require.Equal(t, 2, position(high))
	items, err := s.Queue(ctx, auth.User{Role: auth.RoleAdmin})
	require.NoError(t, err)
	require.Equal(t, normal, items[0].ConversationID)
}
