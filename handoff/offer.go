package handoff

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

// Offers. In a team that auto-assigns, the router gives a handoff to the best eligible agent at
// once: the conversation is assigned to them and counts against their capacity, but it is an
// offer until they accept it. An agent accepts by opening the conversation in the workbench (its
// context card), by claiming it, with POST …/accept, or by writing to the customer; the customer
// then hears that they joined. An offer not accepted within the offer time-out
// (BATON_OFFER_TIMEOUT) goes back to the queue with a note and to the next eligible agent; the
// agent who let it lapse is not offered it again. A conversation an agent claims themselves is
// accepted at once.

// acceptTx accepts the offer of c to agentID if there is one, telling the customer that the agent
// joined; it reports whether there was an offer to accept. c must be locked by the caller.
func acceptTx(ctx context.Context, tx pgx.Tx, c conversation.Conversation, agentID int64) (bool, error) {
	var name string
	err := tx.QueryRow(ctx, `UPDATE handoffs h SET accepted_at = now() FROM users u
		WHERE h.conversation_id = $1 AND h.status = 'assigned' AND h.claimed_by = $2 AND h.accepted_at IS NULL
		  AND u.id = h.claimed_by
		RETURNING `+agentName, c.ID, agentID).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("handoff: accept: %w", err)
	}
	if err := joinedTx(ctx, tx, c, name); err != nil {
		return false, err
	}
	return true, events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"})
}

// Accept accepts the offer of a conversation to u. Accepting one already accepted succeeds again;
// a conversation u does not hold fails with ErrNotHolder.
func (s *Store) Accept(ctx context.Context, convID string, u auth.User) (conversation.Conversation, error) {
	var conv conversation.Conversation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		if c.Status != conversation.StatusAssigned || c.AssignedAgentID == nil || *c.AssignedAgentID != u.ID {
			return ErrNotHolder
		}
		if _, err := acceptTx(ctx, tx, c, u.ID); err != nil {
			return err
		}
		conv, err = conversation.GetForUpdateTx(ctx, tx, convID)
		return err
	})
	if err != nil {
		return conversation.Conversation{}, known("accept", err)
	}
	return conv, nil
}

// acceptIfOffered accepts a pending offer to u quickly, without a transaction when there is none.
func (s *Store) acceptIfOffered(ctx context.Context, convID string, u auth.User) error {
	var pending bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM handoffs WHERE conversation_id = $1
		AND status = 'assigned' AND claimed_by = $2 AND accepted_at IS NULL)`, convID, u.ID).Scan(&pending); err != nil {
		return fmt.Errorf("handoff: offer: %w", err)
	}
	if !pending {
		return nil
	}
	_, err := s.Accept(ctx, convID, u)
	if errors.Is(err, ErrNotHolder) {
		return nil // the offer moved on meanwhile
	}
	return err
}
