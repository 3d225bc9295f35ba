package server

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/kb"
)

// kbSuggestionSink files a resolved handoff's question and answer as a KB suggestion.
func kbSuggestionSink(ctx context.Context, tx pgx.Tx, s handoff.Suggestion) error {
	return kb.SuggestionCreateTx(ctx, tx, kb.NewSuggestion{Question: s.Question, Answer: s.Answer,
		Language: s.Language, ConversationID: s.ConversationID, HandoffID: s.HandoffID})
}
