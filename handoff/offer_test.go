package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/dbtest"
)

// systemMessages lists the system lines the customer has seen.
func systemMessages(t *testing.T, pool *pgxpool.Pool, conv string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT text FROM messages WHERE conversation_id = $1 AND sender = 'system' ORDER BY seq`, conv)
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func ageOffers(t *testing.T, pool *pgxpool.Pool, d time.Duration) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `UPDATE handoffs SET claimed_at = claimed_at - make_interval(secs => $1) WHERE status = 'assigned'`, d.Seconds())
	require.NoError(t, err)
}

// An offer nobody accepts moves to the next eligible agent, never back to the one who let it
// lapse; the customer hears that someone joined only when an agent accepts.
func TestUnacceptedOfferMovesToTheNextAgent(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	ann := newAgent(t, pool, "ann", agentOpts{IdleFor: time.Hour})
	bob := newAgent(t, pool, "bob", agentOpts{IdleFor: time.Minute})
	conv := newHandoff(t, pool, "general", "en", 0)
	require.Equal(t, "ann", holder(t, pool, conv), "offered to the longest idle")
	h, err := s.Latest(ctx, conv)
	require.NoError(t, err)
	require.True(t, h.AutoAssigned)
	require.Nil(t, h.AcceptedAt, "an offer until ann accepts")
	require.Empty(t, systemMessages(t, pool, conv), "nobody joined yet")
	mine, err := s.AgentConversations(ctx, ann)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	require.True(t, mine[0].Offered)
	q, err := s.QueueInfo(ctx, conv)
	require.NoError(t, err)
	require.True(t, q.Offered)

	n, err := s.ReassignUnaccepted(ctx, 30*time.Second)
	require.NoError(t, err)
	require.Zero(t, n, "ann still has time")

	ageOffers(t, pool, 31*time.Second)
	n, err = s.ReassignUnaccepted(ctx, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "bob", holder(t, pool, conv))
	h, err = s.Latest(ctx, conv)
	require.NoError(t, err)
	require.Contains(t, h.Note, "Offered to ann, who did not accept it within 30s")
	require.Empty(t, systemMessages(t, pool, conv), "the customer is not told about offers")

	// Bob lets it lapse too: with nobody else eligible it waits, and ann is not offered it again —
	// though she may still take it from the queue.
	ageOffers(t, pool, time.Minute)
	n, err = s.ReassignUnaccepted(ctx, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "", holder(t, pool, conv))
	_, err = s.DrainAll(ctx)
	require.NoError(t, err)
	require.Equal(t, "", holder(t, pool, conv), "neither is offered it again")
	_, err = s.Claim(ctx, conv, ann)
	require.NoError(t, err)
	require.Equal(t, []string{"ann joined the conversation."}, systemMessages(t, pool, conv), "a claim is accepted at once")
	ageOffers(t, pool, time.Hour)
	n, err = s.ReassignUnaccepted(ctx, 30*time.Second)
	require.NoError(t, err)
	require.Zero(t, n, "an accepted conversation stays")
	_ = bob
}

// Each way of accepting an offer keeps it with the agent and tells the customer who joined.
func TestOfferAcceptance(t *testing.T) {
	cases := []struct {
		name   string
		accept func(s *Store, conv string, u auth.User) error
	}{
		{"accept", func(s *Store, conv string, u auth.User) error {
			_, err := s.Accept(context.Background(), conv, u)
			return err
		}},
		{"claim", func(s *Store, conv string, u auth.User) error {
			_, err := s.Claim(context.Background(), conv, u)
			return err
		}},
		{"answer", func(s *Store, conv string, u auth.User) error {
			_, err := s.AgentMessage(context.Background(), conv, u, "Hello, I'm here")
			return err
		}},
		{"open", func(s *Store, conv string, u auth.User) error {
			return s.acceptIfOffered(context.Background(), conv, u)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool := dbtest.New(t)
			ctx := context.Background()
			s := NewStore(pool, nil)
			ann := newAgent(t, pool, "ann", agentOpts{})
			bob := newAgent(t, pool, "bob", agentOpts{Presence: PresenceOffline})
			conv := newHandoff(t, pool, "general", "en", 0)
			require.Equal(t, "ann", holder(t, pool, conv))
			_, err := s.Accept(ctx, conv, bob)
			require.ErrorIs(t, err, ErrNotHolder, "only the agent offered it may accept")

			require.NoError(t, tc.accept(s, conv, ann))
			require.NoError(t, tc.accept(s, conv, ann), "accepting twice is harmless")
			require.Equal(t, []string{"ann joined the conversation."}, systemMessages(t, pool, conv))
			h, err := s.Latest(ctx, conv)
			require.NoError(t, err)
			require.NotNil(t, h.AcceptedAt)
			q, err := s.QueueInfo(ctx, conv)
			require.NoError(t, err)
			require.Nil(t, q, "the customer no longer waits")

			ageOffers(t, pool, time.Hour)
			n, err := s.ReassignUnaccepted(ctx, 30*time.Second)
			require.NoError(t, err)
			require.Zero(t, n)
			require.Equal(t, "ann", holder(t, pool, conv))
		})
	}
}

// An agent may decline an offer: it goes to the next agent at once. When everyone eligible has
// declined or let it lapse, it waits; one offer time-out later a new round offers it again, in
// turn (the least busy, then longest idle, first), so a chat does not sit in the queue while the
// agents who could take it are online.
func TestDeclineAndOfferAgainInTurn(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	s.OfferTimeout = 30 * time.Second
	ann := newAgent(t, pool, "ann", agentOpts{IdleFor: time.Hour})
	bob := newAgent(t, pool, "bob", agentOpts{IdleFor: time.Minute})
	conv := newHandoff(t, pool, "general", "en", 0)
	require.Equal(t, "ann", holder(t, pool, conv))
	mine, err := s.AgentConversations(ctx, ann)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	require.NotNil(t, mine[0].OfferExpiresAt)
	require.WithinDuration(t, mine[0].ClaimedAt.Add(30*time.Second), *mine[0].OfferExpiresAt, time.Millisecond)

	require.ErrorIs(t, s.Decline(ctx, conv, bob), ErrNotOffered, "not bob's offer")
	require.ErrorIs(t, s.Decline(ctx, "not-a-uuid", ann), ErrNotFound)
	require.NoError(t, s.Decline(ctx, conv, ann))
	require.Equal(t, "bob", holder(t, pool, conv), "straight to the next agent")
	h, err := s.Latest(ctx, conv)
	require.NoError(t, err)
	require.Contains(t, h.Note, "Declined by ann")
	require.ErrorIs(t, s.Decline(ctx, conv, ann), ErrNotOffered, "declined already")
	require.Empty(t, systemMessages(t, pool, conv), "the customer is not told about offers")

	require.NoError(t, s.Decline(ctx, conv, bob))
	require.Equal(t, "", holder(t, pool, conv), "everyone declined: it waits")
	n, err := s.ReofferRounds(ctx, s.OfferTimeout)
	require.NoError(t, err)
	require.Zero(t, n, "not before an offer time-out has passed")

	_, err = pool.Exec(ctx, `UPDATE handoffs SET lapsed_at = lapsed_at - interval '31 seconds' WHERE conversation_id = $1`, conv)
	require.NoError(t, err)
	n, err = s.ReofferRounds(ctx, s.OfferTimeout)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "ann", holder(t, pool, conv), "a new round, in turn: ann was offered it longest ago")

	// Accepting after all keeps it.
	_, err = s.Accept(ctx, conv, ann)
	require.NoError(t, err)
	require.ErrorIs(t, s.Decline(ctx, conv, ann), ErrNotOffered, "an accepted conversation cannot be declined")
}
