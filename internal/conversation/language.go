package conversation

import (
	"context"
	"fmt"
)

// LanguageSet records the language the customer chose for a conversation (the chat widget's
// language switch), so what Baton itself says from then on ("… joined the conversation", the
// closing line) is in that language.
func (s *Store) LanguageSet(ctx context.Context, id, language string) (Conversation, error) {
	if !validUUID(id) {
		return Conversation{}, ErrNotFound
	}
	c, err := scanConversation(s.pool.QueryRow(ctx,
		`UPDATE conversations SET language = $2 WHERE id = $1 RETURNING `+conversationCols, id, language))
	if err != nil {
		return Conversation{}, fmt.Errorf("conversation: set language: %w", err)
	}
	return c, nil
}
