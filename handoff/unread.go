package handoff

import (
	"context"
	"fmt"
)

// Unread counts are per agent: the customer's messages in a conversation after the last one the
// agent has seen there. A conversation the agent has never opened counts the customer's messages
// from the one that asked for a person on (what came before is the bot's part, summed up in the
// card).

const unreadSelect = `
SELECT h.conversation_id, count(m.id)
FROM handoffs h
LEFT JOIN conversation_reads r ON r.user_id = $1 AND r.conversation_id = h.conversation_id
JOIN messages m ON m.conversation_id = h.conversation_id AND m.sender = 'customer'
  AND m.seq > COALESCE(r.last_read_seq, (
    SELECT max(p.seq) - 1 FROM messages p
    WHERE p.conversation_id = h.conversation_id AND p.sender = 'customer' AND p.created_at <= h.enqueued_at), 0)
WHERE h.status = 'assigned' AND h.claimed_by = $1
GROUP BY h.conversation_id`

// UnreadCounts returns, for each conversation the agent holds, how many customer messages they
// have not seen (conversations with none are left out).
func (s *Store) UnreadCounts(ctx context.Context, agentID int64) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, unreadSelect, agentID)
	if err != nil {
		return nil, fmt.Errorf("handoff: unread: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// MarkRead records that the user has seen the conversation up to message seq (never past its
// last message, never backwards) and marks the user's notifications about it read. It reports
// the seq now recorded.
func (s *Store) MarkRead(ctx context.Context, convID string, userID, seq int64) (int64, error) {
	c, err := s.conversationExists(ctx, convID)
	if err != nil {
		return 0, err
	}
	seq = min(max(seq, 0), c.LastSeq)
	var stored int64
	err = s.pool.QueryRow(ctx, `INSERT INTO conversation_reads (user_id, conversation_id, last_read_seq) VALUES ($1, $2, $3)
		ON CONFLICT (user_id, conversation_id) DO UPDATE
		SET last_read_seq = GREATEST(conversation_reads.last_read_seq, EXCLUDED.last_read_seq), read_at = now()
		RETURNING last_read_seq`, userID, c.ID, seq).Scan(&stored)
	if err != nil {
		return 0, fmt.Errorf("handoff: mark read: %w", err)
	}
	if _, err := s.NotificationsRead(ctx, userID, 0, c.ID); err != nil {
		return 0, err
	}
	return stored, nil
}
