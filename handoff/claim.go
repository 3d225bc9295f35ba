package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
)

// ClaimNext gives u the first waiting conversation they may take (highest priority, then oldest),
// skipping those other claims hold; ErrNotFound when none waits, ErrAtCapacity when u is full.
// It is one call of the database function baton_claim_next (migration 0010), one round trip: it
// locks the agent's row, counts their load after any concurrent claim of theirs has committed,
// takes the handoff with SKIP LOCKED and assigns it — never two agents on one conversation, never
// over capacity.
func (s *Store) ClaimNext(ctx context.Context, u auth.User) (conversation.Conversation, error) {
	var free int
	var convJSON []byte
	err := s.pool.QueryRow(ctx, `SELECT o_free, o_conversation FROM baton_claim_next($1, $2, $3)`,
		u.ID, systemTexts["joined"][0], systemTexts["joined"][1]).Scan(&free, &convJSON)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return conversation.Conversation{}, ErrNotFound // no such agent
	case err != nil:
		return conversation.Conversation{}, fmt.Errorf("handoff: claim next: %w", err)
	case free <= 0:
		return conversation.Conversation{}, ErrAtCapacity
	case convJSON == nil:
		return conversation.Conversation{}, ErrNotFound
	}
	var conv conversation.Conversation
	if err := json.Unmarshal(convJSON, &conv); err != nil {
		return conversation.Conversation{}, fmt.Errorf("handoff: claim next: %w", err)
	}
	return conv, nil
}
