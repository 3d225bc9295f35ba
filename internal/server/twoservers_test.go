package server

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/dbtest"
)

// dialAgentConv opens a conversation's WebSocket as a signed-in agent.
func (ta *testApp) dialAgentConv(conv, token string) *websocket.Conn {
	ta.t.Helper()
	ws := ta.dialStaff("/api/v1/conversations/"+conv+"/ws?after=0", token)
	require.Equal(ta.t, "ready", readFrame(ta.t, ws).Type)
	return ws
}

// nextMessageFrom reads frames until a message from sender arrives.
func nextMessageFrom(t *testing.T, ws *websocket.Conn, sender string) msgOut {
	t.Helper()
	for {
		if m := nextMessage(t, ws); m.Sender == sender {
			return m
		}
	}
}

// Two Baton servers on one database, each with its own connections, event bus and routing
// sweeper, behave as one: a customer on one and an agent on the other see each other live, and
// each routing decision is taken once.
func TestTwoServersOnOneDatabaseBehaveAsOne(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t, appOptions{demo: true, sweep: 100 * time.Millisecond, offerTimeout: 2 * time.Second})
	pool, err := db.NewPool(ctx, dbtest.URL(t), dbtest.Embedded())
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	b := newTestAppOn(t, pool, appOptions{shared: true, sweep: 100 * time.Millisecond, offerTimeout: 2 * time.Second})

	// The agent works on B; the customer writes on A.
	ann := b.user("ann@two.test", "agent")
	b.do("POST", "/api/v1/agent/presence", ann, map[string]string{"presence": "online"}, 200, nil)
	conv, tok := a.customer("en")
	customer := a.dialConv(conv, tok, 0)
	defer customer.Close()
	a.say(conv, tok, "I want to talk to a human")
	var got convOut
	b.do("GET", "/api/v1/conversations/"+conv, ann, nil, 200, &got)
	require.Equal(t, "assigned", got.Conversation.Status, "A's handoff was offered to B's online agent")

	agent := b.dialAgentConv(conv, ann)
	defer agent.Close()
	b.do("GET", "/api/v1/conversations/"+conv+"/context", ann, nil, 200, nil) // opening it accepts it
	require.Contains(t, nextMessageFrom(t, customer, "system").Text, "joined the conversation", "on A, live")
	b.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", ann, map[string]string{"text": "Hello from server B"}, 201, nil)
	require.Equal(t, "Hello from server B", nextMessageFrom(t, customer, "agent").Text, "B's agent reaches A's customer live")
	a.say(conv, tok, "Thanks, from server A")
	for nextMessageFrom(t, agent, "customer").Text != "Thanks, from server A" { // past the backlog
	}
	b.do("POST", "/api/v1/conversations/"+conv+"/resolve", ann, map[string]string{"disposition": "resolved"}, 200, nil)

	// Customers on both servers hand off at once to two agents; both sweepers run. Every handoff is
	// offered to one agent at a time, nobody beyond capacity, and when both agents let the offers
	// lapse each moves exactly once to the other and then waits: lapsed_by names each agent once.
	admin := a.user("admin@two.test", "admin")
	bob := a.user("bob@two.test", "agent")
	a.do("POST", "/api/v1/agent/presence", bob, map[string]string{"presence": "online"}, 200, nil)
	var ids []int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM users WHERE email IN ('ann@two.test', 'bob@two.test')`).Scan(&ids))
	for _, id := range ids {
		a.do("PUT", fmt.Sprintf("/api/v1/agents/%d/profile", id), admin, map[string]any{"capacity": 10}, 200, nil)
	}
	const n = 12
	convs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		srv := a
		if i%2 == 1 {
			srv = b
		}
		c, tk := srv.customer("en")
		convs[i] = c
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.say(c, tk, "I want to talk to a human")
		}()
	}
	wg.Wait()
	var over int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT claimed_by FROM handoffs WHERE status = 'assigned'
		GROUP BY claimed_by HAVING count(*) > 10) x`).Scan(&over))
	require.Zero(t, over)

	deadline := time.Now().Add(60 * time.Second)
	for {
		var settled int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs WHERE conversation_id = ANY($1::uuid[])
			AND status = 'queued' AND cardinality(lapsed_by) >= 2`, convs).Scan(&settled))
		if settled == n {
			break
		}
		require.True(t, time.Now().Before(deadline), "offers still moving: %d of %d settled", settled, n)
		time.Sleep(200 * time.Millisecond)
	}
	rows, err := pool.Query(ctx, `SELECT lapsed_by FROM handoffs WHERE conversation_id = ANY($1::uuid[])`, convs)
	require.NoError(t, err)
	for rows.Next() {
		var lapsed []int64
		require.NoError(t, rows.Scan(&lapsed))
		require.ElementsMatch(t, ids, lapsed, "offered to each agent once, moved once by one of the two sweepers")
	}
	require.NoError(t, rows.Err())
	var open int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs WHERE conversation_id = ANY($1::uuid[])`, convs).Scan(&open))
	require.Equal(t, n, open, "one handoff per conversation")
}
