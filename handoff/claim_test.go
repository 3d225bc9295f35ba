package handoff

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/dbtest"
)

// Agents pulling concurrently take every waiting conversation once, none beyond capacity, in
// queue order per agent, and each customer hears who joined exactly once.
func TestConcurrentClaimNext(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	require.NoError(t, s.TeamModeSet(ctx, "general", ModePull))
	var agents []auth.User
	for i := range 20 {
		agents = append(agents, newAgent(t, pool, fmt.Sprintf("p%02d", i), agentOpts{Capacity: 3}))
	}
	for i := range 100 {
		newHandoff(t, pool, "general", "en", i%3*10)
	}
	var mu sync.Mutex
	got := map[string]int64{}
	var wg sync.WaitGroup
	for _, u := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, err := s.ClaimNext(ctx, u)
				if errors.Is(err, ErrAtCapacity) || errors.Is(err, ErrNotFound) {
					return
				}
				if !assertNoErr(t, err) {
					return
				}
				mu.Lock()
				if prev, dup := got[c.ID]; dup {
					t.Errorf("conversation %s claimed by %d and %d", c.ID, prev, u.ID)
				}
				got[c.ID] = u.ID
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Len(t, got, 60, "20 agents × 3 places")
	var over, mismatched, joined, priorityLeft int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT claimed_by FROM handoffs WHERE status = 'assigned'
		GROUP BY claimed_by HAVING count(*) > 3) x`).Scan(&over))
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
		WHERE h.status = 'assigned' AND (c.assigned_agent_id IS DISTINCT FROM h.claimed_by OR c.status <> 'assigned')`).Scan(&mismatched))
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE sender = 'system' AND text LIKE 'p__ joined the conversation.'`).Scan(&joined))
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs WHERE status = 'queued' AND priority > 0`).Scan(&priorityLeft))
	require.Zero(t, over)
	require.Zero(t, mismatched)
	require.Equal(t, 60, joined)
	require.Equal(t, 6, priorityLeft, "the 40 left are the lowest: all 34 of priority 0 and 6 of priority 10")
}

func assertNoErr(t *testing.T, err error) bool {
	t.Helper()
	if err != nil {
		t.Error(err)
		return false
	}
	return true
}
