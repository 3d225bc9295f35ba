package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ConversationSlots returns what the bot collected in a conversation, by slot name: the slots of
// its newest bot message that carries any (the handoff message carries the task's), completed by
// those in the latest handoff's snapshot.
func (s *Store) ConversationSlots(ctx context.Context, convID string) (map[string]string, error) {
	out := map[string]string{}
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT meta->'slots' FROM messages WHERE conversation_id = $1 AND sender = 'bot'
		AND jsonb_typeof(meta->'slots') = 'object' ORDER BY seq DESC LIMIT 1`, convID).Scan(&raw)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("handoff: slots: %w", err)
	}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out)
	}
	h, err := s.Latest(ctx, convID)
	if errors.Is(err, ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for k, v := range h.Context.Slots {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out, nil
}
