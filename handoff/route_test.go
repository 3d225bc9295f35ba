package handoff

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// agentOpts describes a test agent; zero values mean general/en+zh/capacity 2/online.
type agentOpts struct {
	Skills    []string
	Languages []string
	Capacity  int
	Presence  string
	IdleFor   time.Duration // how long ago their last assignment was (0: never assigned)
}

func newAgent(t testing.TB, pool *pgxpool.Pool, name string, o agentOpts) auth.User {
	t.Helper()
	if o.Skills == nil {
		o.Skills = []string{"general"}
	}
	if o.Languages == nil {
		o.Languages = []string{"en", "zh"}
	}
	if o.Capacity == 0 {
		o.Capacity = 2
	}
	if o.Presence == "" {
		o.Presence = PresenceOnline
	}
	var last *time.Time
	if o.IdleFor > 0 {
		v := time.Now().Add(-o.IdleFor)
		last = &v
	}
	u := auth.User{Email: name + "@example.com", Name: name, Role: auth.RoleAgent, Skills: o.Skills, Languages: o.Languages}
	require.NoError(t, pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash, role, skills, languages,
		capacity, presence, last_seen_at, last_assigned_at) VALUES ($1, $2, 'x', 'agent', $3, $4, $5, $6, now(), $7) RETURNING id`,
		u.Email, name, o.Skills, o.Languages, o.Capacity, o.Presence, last).Scan(&u.ID))
	return u
}

// newHandoff opens a conversation and hands it off; it returns the conversation id.
func newHandoff(t testing.TB, pool *pgxpool.Pool, skill, lang string, priority int) string {
	t.Helper()
	ctx := context.Background()
	convs := conversation.NewStore(pool)
	cu, _, err := convs.CustomerCreate(ctx, conversation.Customer{Name: "c", Language: lang})
	require.NoError(t, err)
	c, err := convs.ConversationCreate(ctx, cu.ID, "web", lang)
	require.NoError(t, err)
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return EnqueueTx(ctx, tx, Request{ConversationID: c.ID, Reason: ReasonHumanRequest, Skill: skill, Language: lang,
			Priority: priority, Question: "help"})
	}))
	return c.ID
}

// holder names the agent holding a conversation, or "" while it waits.
func holder(t testing.TB, pool *pgxpool.Pool, convID string) string {
	t.Helper()
	var name *string
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT u.name FROM conversations c
		LEFT JOIN users u ON u.id = c.assigned_agent_id WHERE c.id = $1`, convID).Scan(&name))
	if name == nil {
		return ""
	}
	return *name
}

func TestRouteDecisions(t *testing.T) {
	cases := []struct {
		name     string
		agents   map[string]agentOpts
		busy     map[string]int // conversations each agent already holds
		pull     bool           // the team pulls instead of auto-assigning
		skill    string
		lang     string
		wantHeld string // "" = waits in the queue
	}{
		{name: "skill match", agents: map[string]agentOpts{"ann": {Skills: []string{"billing"}}, "bob": {}}, skill: "billing", lang: "en", wantHeld: "ann"},
		{name: "no agent with the skill waits", agents: map[string]agentOpts{"bob": {}}, skill: "billing", lang: "en"},
		{name: "language must match", agents: map[string]agentOpts{"ann": {Languages: []string{"en"}}, "li": {Languages: []string{"zh"}}}, skill: "general", lang: "zh", wantHeld: "li"},
		{name: "no agent speaks it waits", agents: map[string]agentOpts{"ann": {Languages: []string{"en"}}}, skill: "general", lang: "zh"},
		{name: "away and offline agents get nothing", agents: map[string]agentOpts{"ann": {Presence: PresenceAway}, "bob": {Presence: PresenceOffline}}, skill: "general", lang: "en"},
		{name: "full agent is skipped", agents: map[string]agentOpts{"ann": {Capacity: 1}, "bob": {Capacity: 5}}, busy: map[string]int{"ann": 1, "bob": 3}, skill: "general", lang: "en", wantHeld: "bob"},
		{name: "everyone full waits", agents: map[string]agentOpts{"ann": {Capacity: 1}}, busy: map[string]int{"ann": 1}, skill: "general", lang: "en"},
		{name: "least loaded first", agents: map[string]agentOpts{"ann": {Capacity: 5}, "bob": {Capacity: 5}}, busy: map[string]int{"ann": 2, "bob": 1}, skill: "general", lang: "en", wantHeld: "bob"},
		{name: "then longest idle", agents: map[string]agentOpts{"ann": {IdleFor: time.Minute}, "bob": {IdleFor: time.Hour}}, skill: "general", lang: "en", wantHeld: "bob"},
		{name: "pull team waits", agents: map[string]agentOpts{"ann": {}}, pull: true, skill: "general", lang: "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool := dbtest.New(t)
			ctx := context.Background()
			s := NewStore(pool, nil)
			users := map[string]auth.User{}
			for name, o := range tc.agents {
				users[name] = newAgent(t, pool, name, o)
			}
			for name, n := range tc.busy {
				for range n {
					_, err := pool.Exec(ctx, `UPDATE users SET presence = 'offline' WHERE id <> $1`, users[name].ID)
					require.NoError(t, err)
					conv := newHandoff(t, pool, tc.agents[name].skillOr("general"), "en", 0)
					_, err = s.Claim(ctx, conv, users[name])
					require.NoError(t, err)
				}
			}
			for name, o := range tc.agents { // restore presences and idle times after the setup claims
				var last *time.Time
				if o.IdleFor > 0 {
					v := time.Now().Add(-o.IdleFor)
					last = &v
				}
				_, err := pool.Exec(ctx, `UPDATE users SET presence = $2, last_assigned_at = $3 WHERE id = $1`,
					users[name].ID, presenceOr(o.Presence), last)
				require.NoError(t, err)
			}
			if tc.pull {
				require.NoError(t, s.TeamModeSet(ctx, tc.skill, ModePull))
			}
			conv := newHandoff(t, pool, tc.skill, tc.lang, 0)
			require.Equal(t, tc.wantHeld, holder(t, pool, conv))
		})
	}
}

func (o agentOpts) skillOr(def string) string {
	if len(o.Skills) > 0 {
		return o.Skills[0]
	}
	return def
}

func presenceOr(p string) string {
	if p == "" {
		return PresenceOnline
	}
	return p
}

func TestQueueDrainsByPriorityWhenAgentComesOnlineAndFreesUp(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	ann := newAgent(t, pool, "ann", agentOpts{Capacity: 2, Presence: PresenceOffline})
	low := newHandoff(t, pool, "general", "en", 0)
	high := newHandoff(t, pool, "general", "en", 20)
	mid := newHandoff(t, pool, "general", "en", 10)
	older := newHandoff(t, pool, "general", "en", 0)
	_ = older
	for _, c := range []string{low, high, mid} {
		require.Equal(t, "", holder(t, pool, c), "nobody is online yet")
	}

	p, err := s.PresenceSet(ctx, ann.ID, PresenceOnline)
	require.NoError(t, err)
	require.Equal(t, 2, p.Load)
	require.Equal(t, "ann", holder(t, pool, high))
	require.Equal(t, "ann", holder(t, pool, mid))
	require.Equal(t, "", holder(t, pool, low))

	_, _, err = s.Resolve(ctx, high, ann, WrapUp{Disposition: "resolved"})
	require.NoError(t, err)
	require.Equal(t, "ann", holder(t, pool, low), "the oldest of equal priority goes first")
	require.Equal(t, "", holder(t, pool, older))
}

func TestConcurrentClaimsNeverDoubleAssignOrExceedCapacity(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	var agents []auth.User
	for i := range 50 {
		agents = append(agents, newAgent(t, pool, fmt.Sprintf("a%02d", i), agentOpts{Capacity: 3, Presence: PresenceOffline}))
	}
	var convs []string
	for range 100 {
		convs = append(convs, newHandoff(t, pool, "general", "en", 0))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := map[string][]int64{}
	sem := make(chan struct{}, 16)
	for i := range 1000 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			u := agents[i%len(agents)]
			conv := convs[rand.IntN(len(convs))]
			c, err := s.Claim(ctx, conv, u)
			if err != nil {
				require.ErrorIs(t, err, nil2(err, ErrTaken, ErrAtCapacity))
				return
			}
			require.Equal(t, u.ID, *c.AssignedAgentID)
			mu.Lock()
			if len(wins[conv]) == 0 || wins[conv][0] != u.ID {
				wins[conv] = append(wins[conv], u.ID)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for conv, w := range wins {
		require.Len(t, w, 1, "conversation %s won by %v", conv, w)
	}
	var over, mismatched int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT claimed_by FROM handoffs WHERE status = 'assigned'
		GROUP BY claimed_by HAVING count(*) > 3) x`).Scan(&over))
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
		WHERE h.status = 'assigned' AND c.assigned_agent_id IS DISTINCT FROM h.claimed_by`).Scan(&mismatched))
	require.Zero(t, over, "agents over capacity")
	require.Zero(t, mismatched, "handoffs and conversations disagree on the holder")
	require.NotEmpty(t, wins)
}

// nil2 returns whichever of the wanted errors err is, so ErrorIs reports err itself otherwise.
func nil2(err error, wanted ...error) error {
	for _, w := range wanted {
		if errors.Is(err, w) {
			return w
		}
	}
	return wanted[0]
}

func TestUnansweredAssignmentIsReassignedWithANote(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	ann := newAgent(t, pool, "ann", agentOpts{IdleFor: time.Hour})
	newAgent(t, pool, "bob", agentOpts{IdleFor: time.Minute})
	conv := newHandoff(t, pool, "general", "en", 0)
	require.Equal(t, "ann", holder(t, pool, conv))

	n, err := s.ReassignLapsed(ctx, time.Minute)
	require.NoError(t, err)
	require.Zero(t, n, "ann still has time")

	_, err = pool.Exec(ctx, `UPDATE handoffs SET claimed_at = now() - interval '2 minutes'`)
	require.NoError(t, err)
	n, err = s.ReassignLapsed(ctx, time.Minute)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "bob", holder(t, pool, conv))
	h, err := s.Latest(ctx, conv)
	require.NoError(t, err)
	require.Contains(t, h.Note, "did not reply within 1m0s")

	// An agent who answered keeps the chat.
	_, err = s.AgentMessage(ctx, conv, auth.User{ID: *h.ClaimedBy}, "hello")
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE handoffs SET claimed_at = now() - interval '2 minutes'`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE messages SET created_at = now() WHERE sender = 'agent'`)
	require.NoError(t, err)
	n, err = s.ReassignLapsed(ctx, time.Minute)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, "bob", holder(t, pool, conv))
	_ = ann
}

func TestSilentWorkbenchGoesAway(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	ann := newAgent(t, pool, "ann", agentOpts{})
	bob := newAgent(t, pool, "bob", agentOpts{})
	_, err := pool.Exec(ctx, `UPDATE users SET last_seen_at = now() - interval '5 minutes' WHERE id = $1`, ann.ID)
	require.NoError(t, err)
	require.NoError(t, s.Heartbeat(ctx, bob.ID))
	n, err := s.PresenceSweep(ctx, time.Minute)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	p, err := s.ProfileGet(ctx, ann.ID)
	require.NoError(t, err)
	require.Equal(t, PresenceAway, p.Presence)
}
