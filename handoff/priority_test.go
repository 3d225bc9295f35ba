package handoff

import (
	"context"
	"testing"
	"time"

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

func TestFirstResponseTargetByBand(t *testing.T) {
	tg := FirstResponseTargets{Urgent: time.Minute, High: 2 * time.Minute, Normal: 5 * time.Minute}
	for p, want := range map[int]time.Duration{0: 5 * time.Minute, 9: 5 * time.Minute, 10: 2 * time.Minute, 19: 2 * time.Minute, 20: time.Minute, 55: time.Minute} {
		require.Equal(t, want, tg.For(p), "priority %d", p)
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

// A handoff waiting past its band's first-response target is raised one band, once, and then
// overtakes younger handoffs of the band it joins.
func TestBreachedWaitIsRaisedOnce(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	require.NoError(t, s.TeamModeSet(ctx, "general", ModePull))
	targets := FirstResponseTargets{Urgent: time.Minute, High: 2 * time.Minute, Normal: 5 * time.Minute}
	normal := newHandoff(t, pool, "general", "en", 0)
	high := newHandoff(t, pool, "general", "en", 10)
	urgent := newHandoff(t, pool, "general", "en", 20)
	age := func(conv string, d time.Duration) {
		_, err := pool.Exec(ctx, `UPDATE handoffs SET enqueued_at = now() - make_interval(secs => $2) WHERE conversation_id = $1`, conv, d.Seconds())
		require.NoError(t, err)
	}
	age(normal, 4*time.Minute)  // within 5m
	age(high, 90*time.Second)   // within 2m
	age(urgent, 90*time.Second) // past 1m
	n, err := s.RaiseBreached(ctx, targets)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	prio := func(conv string) int {
		h, err := s.Latest(ctx, conv)
		require.NoError(t, err)
		return h.Priority
	}
	require.Equal(t, 30, prio(urgent))
	require.Equal(t, 10, prio(high))

	age(normal, 6*time.Minute)
	n, err = s.RaiseBreached(ctx, targets)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 10, prio(normal), "normal breached: now high")
	h, err := s.Latest(ctx, normal)
	require.NoError(t, err)
	require.NotNil(t, h.SLABreachedAt)

	age(normal, time.Hour)
	n, err = s.RaiseBreached(ctx, targets)
	require.NoError(t, err)
	require.Zero(t, n, "raised once only")
	require.Equal(t, 10, prio(normal))

	// The raised, older handoff now goes before the high one enqueued after it.
	q, err := s.QueueInfo(ctx, normal)
	require.NoError(t, err)
	require.Equal(t, 2, q.Position)
	q, err = s.QueueInfo(ctx, high)
	require.NoError(t, err)
	require.Equal(t, 3, q.Position)
}
