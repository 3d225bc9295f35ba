package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

func TestEstimateWait(t *testing.T) {
	cases := []struct {
		name     string
		position int
		places   int
		handle   time.Duration
		want     time.Duration
		ok       bool
	}{
		{"first in line, one agent with one place", 1, 1, 4 * time.Minute, 4 * time.Minute, true},
		{"third in line, five places", 3, 5, 2 * time.Minute, 72 * time.Second, true},
		{"rounded up to the second", 1, 3, 100 * time.Second, 34 * time.Second, true},
		{"more places, shorter wait", 3, 10, 2 * time.Minute, 36 * time.Second, true},
		{"being offered", 0, 2, 5 * time.Minute, 0, true},
		{"nobody online", 2, 0, 5 * time.Minute, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := EstimateWait(tc.position, tc.places, tc.handle)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

// The estimate uses the skill's recent handling times and the capacity of the online agents who
// could answer: median 120 s over 5 places gives 24 s per place in line.
func TestQueueInfoEstimatesFromRecentHandlingTimes(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	require.NoError(t, s.TeamModeSet(ctx, "billing", ModePull))
	secs := func(q *QueueInfo) any {
		if q.EstimatedWaitSeconds == nil {
			return nil
		}
		return *q.EstimatedWaitSeconds
	}

	// Resolved billing handoffs: handled in 60 s, 120 s and 600 s (median 120 s); one from two days
	// ago (too old) and one of another skill do not count.
	resolved := func(skill string, handled, ago time.Duration) {
		conv := newHandoff(t, pool, skill, "en", 0)
		_, err := pool.Exec(ctx, `UPDATE handoffs SET status = 'resolved', resolved_at = now() - make_interval(secs => $2),
			claimed_at = now() - make_interval(secs => $2::float8 + $3::float8) WHERE conversation_id = $1`, conv, ago.Seconds(), handled.Seconds())
		require.NoError(t, err)
	}
	resolved("billing", 60*time.Second, time.Hour)
	resolved("billing", 600*time.Second, 2*time.Hour)

	first := newHandoff(t, pool, "billing", "en", 0)
	second := newHandoff(t, pool, "billing", "en", 0)
	third := newHandoff(t, pool, "billing", "en", 0)
	zh := newHandoff(t, pool, "billing", "zh", 0)

	q, err := s.QueueInfo(ctx, third)
	require.NoError(t, err)
	require.Equal(t, 3, q.Position)
	require.Zero(t, q.AgentsOnline)
	require.True(t, q.Open)
	require.Nil(t, secs(q), "nobody online, no estimate")

	newAgent(t, pool, "ann", agentOpts{Skills: []string{"billing"}, Capacity: 2})
	newAgent(t, pool, "bob", agentOpts{Skills: []string{"billing", "general"}, Capacity: 3})
	newAgent(t, pool, "li", agentOpts{Skills: []string{"billing"}, Languages: []string{"zh"}, Capacity: 4})
	newAgent(t, pool, "away", agentOpts{Skills: []string{"billing"}, Capacity: 9, Presence: PresenceAway})
	newAgent(t, pool, "gen", agentOpts{Skills: []string{"general"}, Capacity: 9})

	// Two samples only: the default handling time (300 s) over 5 places: 60 s per place.
	q, err = s.QueueInfo(ctx, second)
	require.NoError(t, err)
	require.Equal(t, 2, q.AgentsOnline)
	require.Equal(t, 120, secs(q))

	resolved("billing", 120*time.Second, 3*time.Hour)
	resolved("billing", 30*time.Second, 48*time.Hour)
	resolved("general", 1000*time.Second, time.Hour)
	for conv, want := range map[string]int{first: 24, second: 48, third: 72} {
		q, err = s.QueueInfo(ctx, conv)
		require.NoError(t, err)
		require.Equal(t, want, secs(q))
	}
	q, err = s.QueueInfo(ctx, zh)
	require.NoError(t, err)
	require.Equal(t, 1, q.Position, "a queue per language")
	require.Equal(t, 3, q.AgentsOnline, "ann and bob speak Chinese too")
	require.Equal(t, 14, secs(q), "120 s over 2+3+4 places, rounded up")
}
