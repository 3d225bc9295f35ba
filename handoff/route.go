package handoff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/conversation"
)

// Routing is decided in the database transaction that changes the queue, never in process memory,
// so two `baton serve` processes on one database route each handoff once. Every assignment locks
// the agent's users row first and counts the agent's open handoffs under that lock, which is what
// keeps an agent within capacity; handoff rows are taken with SKIP LOCKED so concurrent drains
// share the queue instead of waiting on each other.

// pickAgent chooses an online agent with the skill and language and spare capacity, least loaded
// first, then the one whose last assignment is oldest; agents in exclude are skipped. Agents locked
// by another transaction are skipped rather than waited for (the sweeper's drain catches the rare
// handoff that misses its agent that way).
const pickAgent = `
SELECT u.id
FROM users u
WHERE u.presence = 'online' AND u.role IN ('agent', 'supervisor', 'admin')
  AND $1::text = ANY(u.skills) AND $2::text = ANY(u.languages) AND NOT (u.id = ANY($3::bigint[]))
  AND (SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned') < u.capacity
ORDER BY (SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned'),
  u.last_assigned_at NULLS FIRST, u.id
LIMIT 1
FOR UPDATE OF u SKIP LOCKED`

const teamAuto = `SELECT COALESCE((SELECT mode FROM routing_teams WHERE skill = $1), 'auto') = 'auto'`

// RouteTx assigns the queued handoff of a conversation to the best eligible agent when its team
// auto-assigns. It reports the agent's id, or 0 when the handoff keeps waiting.
func RouteTx(ctx context.Context, tx pgx.Tx, convID string) (int64, error) {
	var hid int64
	var skill, lang string
	var lapsed []int64
	err := tx.QueryRow(ctx, `SELECT id, skill, language, lapsed_by FROM handoffs
		WHERE conversation_id = $1 AND status = 'queued' FOR UPDATE SKIP LOCKED`, convID).Scan(&hid, &skill, &lang, &lapsed)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("handoff: route: %w", err)
	}
	var auto bool
	if err := tx.QueryRow(ctx, teamAuto, skill).Scan(&auto); err != nil {
		return 0, fmt.Errorf("handoff: route team: %w", err)
	}
	if !auto {
		return 0, nil
	}
	if lapsed == nil {
		lapsed = []int64{}
	}
	var agentID int64
	err = tx.QueryRow(ctx, pickAgent, skill, lang, lapsed).Scan(&agentID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("handoff: route pick: %w", err)
	}
	return agentID, assignTx(ctx, tx, hid, agentID, true)
}

// assignTx gives a queued handoff to an agent whose users row the caller has locked. An automatic
// assignment is an offer the agent has yet to accept (see offer.go); an agent's own claim is
// accepted at once, and the customer hears that the agent joined. The writes are the database
// function baton_assign (migration 0010), one round trip.
func assignTx(ctx context.Context, tx pgx.Tx, hid int64, agentID int64, auto bool) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT baton_assign($1, $2, $3, $4, $5)`, hid, agentID, auto,
		systemTexts["joined"][0], systemTexts["joined"][1]).Scan(&ok); err != nil {
		return fmt.Errorf("handoff: assign: %w", err)
	}
	if !ok {
		return ErrTaken
	}
	return nil
}

// joinedTx tells the customer that a person took the conversation on.
func joinedTx(ctx context.Context, tx pgx.Tx, c conversation.Conversation, name string) error {
	_, _, err := conversation.AppendTx(ctx, tx, c.ID, conversation.NewMessage{
		Sender: conversation.SenderSystem, Text: fmt.Sprintf(systemText(c.Language, "joined"), name), BotDone: true,
	})
	return err
}

// lockAgentTx locks an agent's row and reports presence, skills, languages, spare capacity and name.
type agentState struct {
	ID        int64
	Name      string
	Online    bool
	Skills    []string
	Languages []string
	Free      int
}

func lockAgentTx(ctx context.Context, tx pgx.Tx, id int64) (agentState, error) {
	a := agentState{ID: id}
	var capacity, load int
	var presence, name, email string
	err := tx.QueryRow(ctx, `SELECT presence, name, email, skills, languages, capacity FROM users WHERE id = $1 FOR UPDATE`, id).
		Scan(&presence, &name, &email, &a.Skills, &a.Languages, &capacity)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("handoff: lock agent: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM handoffs WHERE claimed_by = $1 AND status = 'assigned'`, id).Scan(&load); err != nil {
		return a, fmt.Errorf("handoff: agent load: %w", err)
	}
	a.Online, a.Free, a.Name = presence == PresenceOnline, capacity-load, name
	if a.Name == "" {
		a.Name = strings.SplitN(email, "@", 2)[0]
	}
	return a, nil
}

// DrainAgentTx gives an online agent with spare capacity the waiting handoffs they can take, as
// offers, highest priority then oldest, from auto-assigning teams, skipping those another
// transaction holds and those the agent let lapse (the database function baton_drain, migration
// 0010). It returns how many were offered.
func DrainAgentTx(ctx context.Context, tx pgx.Tx, agentID int64) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT baton_drain($1)`, agentID).Scan(&n); err != nil {
		return 0, fmt.Errorf("handoff: drain: %w", err)
	}
	return n, nil
}

// DrainAgent runs DrainAgentTx on its own.
func (s *Store) DrainAgent(ctx context.Context, agentID int64) (int, error) {
	var n int
	// One statement is its own transaction: no BEGIN and COMMIT round trips.
	if err := s.pool.QueryRow(ctx, `SELECT baton_drain($1)`, agentID).Scan(&n); err != nil {
		return 0, fmt.Errorf("handoff: drain: %w", err)
	}
	return n, nil
}

// DrainAll drains the queue to every online agent with spare capacity, emptiest first. The sweeper
// runs it so nothing waits while a matching agent is free, whatever was missed.
func (s *Store) DrainAll(ctx context.Context) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT u.id FROM users u WHERE u.presence = 'online'
		ORDER BY (SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned'), u.last_assigned_at NULLS FIRST, u.id`)
	if err != nil {
		return 0, fmt.Errorf("handoff: drain all: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("handoff: drain all: %w", err)
	}
	total := 0
	for _, id := range ids {
		n, err := s.DrainAgent(ctx, id)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
