package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/dbtest"
)

// The supervisor's numbers for a known state: three customers waiting in billing for 10, 20 and
// 90 seconds (median 20, longest 90), one of them breached; one in general held by ann; ann online
// with 1 of 2, bob away with none, cy offline.
func TestOverviewForSeededState(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	_, err := s.SLATargetsSet(ctx, []SLATarget{{MinPriority: 0, Name: "all", FirstResponseSeconds: 60, NextResponseSeconds: 60}})
	require.NoError(t, err)
	ann := newAgent(t, pool, "ann", agentOpts{Skills: []string{"general"}, Capacity: 2})
	bob := newAgent(t, pool, "bob", agentOpts{Skills: []string{"general", "billing"}, Presence: PresenceAway})
	newAgent(t, pool, "cy", agentOpts{Skills: []string{"returns"}, Presence: PresenceOffline})

	held := newHandoff(t, pool, "general", "en", 0)
	require.Equal(t, "ann", holder(t, pool, held))
	waits := map[string]time.Duration{}
	for _, ago := range []time.Duration{10 * time.Second, 20 * time.Second, 90 * time.Second} {
		c := newHandoff(t, pool, "billing", "en", 0)
		backdate(t, pool, c, ago)
		waits[c] = ago
	}
	breaches, err := s.SLASweep(ctx)
	require.NoError(t, err)
	require.Len(t, breaches, 1, "only the 90 s wait is past 60 s")

	o, err := s.Overview(ctx)
	require.NoError(t, err)
	queues := map[string]QueueStats{}
	for _, q := range o.Queues {
		queues[q.Skill] = q
	}
	require.ElementsMatch(t, []string{"general", "billing", "returns"}, keys(queues), "every skill is a queue")
	b := queues["billing"]
	require.Equal(t, 3, b.Waiting)
	require.InDelta(t, 90, b.LongestWait, 3)
	require.InDelta(t, 20, b.MedianWait, 3)
	require.NotNil(t, b.OldestEnqueuedAt)
	require.Equal(t, 0, b.Assigned)
	require.Equal(t, 0, b.AgentsOnline, "bob has the skill but is away")
	require.Equal(t, 1, b.BreachedOpen)
	require.Equal(t, 1, b.Breaches24h)
	g := queues["general"]
	require.Equal(t, 0, g.Waiting)
	require.Nil(t, g.OldestEnqueuedAt)
	require.Zero(t, g.LongestWait)
	require.Equal(t, 1, g.Assigned)
	require.Equal(t, 1, g.AgentsOnline)
	require.Equal(t, "auto", g.Mode)

	agents := map[string]AgentStats{}
	for _, a := range o.Agents {
		agents[a.Name] = a
	}
	require.Equal(t, "ann", o.Agents[0].Name, "online agents first")
	require.Equal(t, AgentStats{ID: ann.ID, Name: "ann", Email: "ann@example.com", Role: "agent", Skills: []string{"general"},
		Languages: []string{"en", "zh"}, Presence: PresenceOnline, LastSeenAt: agents["ann"].LastSeenAt, Load: 1, Capacity: 2}, agents["ann"])
	require.Equal(t, PresenceAway, agents["bob"].Presence)
	require.Equal(t, 0, agents["bob"].Load)
	require.Equal(t, bob.ID, agents["bob"].ID)
	require.Equal(t, PresenceOffline, agents["cy"].Presence)

	require.Len(t, o.Conversations, 4)
	for i, c := range o.Conversations[:3] {
		require.Equal(t, StatusQueued, c.Status, "waiting conversations first")
		require.NotNil(t, c.SLA)
		if i == 0 {
			require.Equal(t, 90*time.Second, waits[c.ConversationID], "the breached one was raised to the top")
			require.True(t, c.SLA.Breached)
			require.Equal(t, BreachPriorityStep, c.Priority)
		} else {
			require.False(t, c.SLA.Breached)
		}
	}
	last := o.Conversations[3]
	require.Equal(t, held, last.ConversationID)
	require.Equal(t, "ann", last.AgentName)
	require.Equal(t, ann.ID, *last.AgentID)
	require.Equal(t, []SLATarget{{MinPriority: 0, Name: "all", FirstResponseSeconds: 60, NextResponseSeconds: 60}}, o.SLA)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// A supervisor moves a held conversation to another agent, then back to the queue, where the
// router gives it to the next free agent but never the one it was taken from.
func TestReassign(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	sup := auth.User{ID: 0, Name: "Sue", Role: auth.RoleSupervisor}
	ann := newAgent(t, pool, "ann", agentOpts{Capacity: 1})
	conv := newHandoff(t, pool, "general", "zh", 0)
	require.Equal(t, "ann", holder(t, pool, conv))
	bob := newAgent(t, pool, "bob", agentOpts{Capacity: 1, Presence: PresenceAway})
	full := newAgent(t, pool, "full", agentOpts{Capacity: 1, Presence: PresenceOffline})
	other := newHandoff(t, pool, "billing", "en", 0) // waits: nobody has billing
	_, err := s.Reassign(ctx, other, full.ID, sup)
	require.NoError(t, err, "a supervisor may send work outside an agent's skills")
	require.Equal(t, "full", holder(t, pool, other))

	// To bob, who is away: the supervisor's call. Ann has room again.
	c, err := s.Reassign(ctx, conv, bob.ID, sup)
	require.NoError(t, err)
	require.Equal(t, conversation.StatusAssigned, c.Status)
	require.Equal(t, bob.ID, *c.AssignedAgentID)
	require.Equal(t, "bob", holder(t, pool, conv))
	h, err := s.Latest(ctx, conv)
	require.NoError(t, err)
	require.Equal(t, "由 Sue 转派给 bob。", h.Note, "the note speaks the conversation's language")
	require.False(t, h.AutoAssigned)
	p, err := s.ProfileGet(ctx, ann.ID)
	require.NoError(t, err)
	require.Equal(t, 0, p.Load)

	// Not to an agent at capacity, nor to someone who is not an agent.
	_, err = s.Reassign(ctx, conv, full.ID, sup)
	require.ErrorIs(t, err, ErrAtCapacity)
	var editor int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO users (email, password_hash, role) VALUES ('ed@example.com', 'x', 'editor') RETURNING id`).Scan(&editor))
	_, err = s.Reassign(ctx, conv, editor, sup)
	require.ErrorIs(t, err, ErrInvalid)
	_, err = s.Reassign(ctx, conv, 999999, sup)
	require.ErrorIs(t, err, ErrInvalid)
	require.Equal(t, "bob", holder(t, pool, conv), "failed reassignments change nothing")

	// Back to the queue: routed at once to ann (online, free), never back to bob.
	_, err = pool.Exec(ctx, `UPDATE users SET presence = 'online' WHERE id = $1`, bob.ID)
	require.NoError(t, err)
	c, err = s.Reassign(ctx, conv, 0, sup)
	require.NoError(t, err)
	require.Equal(t, "ann", holder(t, pool, conv))
	require.Equal(t, ann.ID, *c.AssignedAgentID)

	// Ann full, bob excluded: back to the queue it waits.
	c, err = s.Reassign(ctx, conv, 0, sup)
	require.NoError(t, err)
	require.Equal(t, conversation.StatusQueued, c.Status)
	require.Equal(t, "", holder(t, pool, conv))
	again, err := s.Reassign(ctx, conv, 0, sup)
	require.NoError(t, err, "already in the queue")
	require.Equal(t, conversation.StatusQueued, again.Status)

	var customerNotes int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE conversation_id = $1 AND sender = 'system'
		AND text = $2`, conv, reassignTexts["customer"][1]).Scan(&customerNotes))
	require.Equal(t, 2, customerNotes, "the customer is told each time they go back to the queue")

	// Resolved conversations stay resolved.
	_, err = s.Reassign(ctx, conv, ann.ID, sup)
	require.NoError(t, err)
	_, _, err = s.Resolve(ctx, conv, auth.User{ID: ann.ID, Role: auth.RoleAgent}, WrapUp{Disposition: "resolved"})
	require.NoError(t, err)
	_, err = s.Reassign(ctx, conv, bob.ID, sup)
	require.ErrorIs(t, err, ErrNotQueued)
	_, err = s.Reassign(ctx, "00000000-0000-0000-0000-000000000000", bob.ID, sup)
	require.ErrorIs(t, err, ErrNotFound)
}

// A supervisor who goes online takes conversations like any agent.
func TestOnlineSupervisorIsRouted(t *testing.T) {
	pool := dbtest.New(t)
	sue := newAgent(t, pool, "sue", agentOpts{})
	_, err := pool.Exec(context.Background(), `UPDATE users SET role = 'supervisor' WHERE id = $1`, sue.ID)
	require.NoError(t, err)
	conv := newHandoff(t, pool, "general", "en", 0)
	require.Equal(t, "sue", holder(t, pool, conv))
}
