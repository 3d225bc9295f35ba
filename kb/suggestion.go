package kb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// Suggestion statuses: an editor approves a group (publishing a new article), merges it into an
// existing article, or dismisses it.
const (
	SuggestionOpen      = "open"
	SuggestionApproved  = "approved"
	SuggestionMerged    = "merged"
	SuggestionDismissed = "dismissed"
)

// Suggestion is a customer's question and an agent's answer, waiting for an editor.
type Suggestion struct {
	ID             int64   `json:"id"`
	Question       string  `json:"question"`
	Answer         string  `json:"answer"`
	Language       string  `json:"language"`
	ConversationID *string `json:"conversation_id"`
	HandoffID      *int64  `json:"handoff_id,omitempty"`
	Status         string  `json:"status"`
	// ArticleID is the article the suggestion became (approved) or was merged into.
	ArticleID  *int64     `json:"article_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy *int64     `json:"reviewed_by,omitempty"`
	// GroupID is the first suggestion of the same question; nil until grouped.
	GroupID *int64 `json:"group_id,omitempty"`
	// SimilarArticleID is the published article that already seemed to cover the question.
	SimilarArticleID  *int64   `json:"similar_article_id,omitempty"`
	ArticleSimilarity *float64 `json:"article_similarity,omitempty"`
}

const suggestionCols = `id, question, answer, language, conversation_id, handoff_id, status, article_id, created_at, reviewed_at,
	reviewed_by, group_id, similar_article_id, article_similarity::float8`

func scanSuggestion(row pgx.Row) (Suggestion, error) {
	var s Suggestion
	err := row.Scan(&s.ID, &s.Question, &s.Answer, &s.Language, &s.ConversationID, &s.HandoffID, &s.Status, &s.ArticleID, &s.CreatedAt, &s.ReviewedAt,
		&s.ReviewedBy, &s.GroupID, &s.SimilarArticleID, &s.ArticleSimilarity)
	if errors.Is(err, pgx.ErrNoRows) {
		return Suggestion{}, ErrNotFound
	}
	return s, err
}

// NewSuggestion is what a resolved handoff hands to the knowledge base.
type NewSuggestion struct {
	Question       string
	Answer         string
	Language       string
	ConversationID string
	HandoffID      int64
}

// SuggestionCreateTx records a suggestion inside the transaction that resolves the handoff;
// one handoff gives at most one suggestion. It is grouped (see GroupSuggestions) after the
// transaction, before any editor lists it: grouping searches the knowledge base, which must not
// wait on an open transaction.
func SuggestionCreateTx(ctx context.Context, tx pgx.Tx, n NewSuggestion) error {
	question := strings.TrimSpace(n.Question)
	_, err := tx.Exec(ctx, `INSERT INTO kb_suggestions (question, answer, language, conversation_id, handoff_id)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (handoff_id) DO NOTHING`,
		question, strings.TrimSpace(n.Answer), questionLanguage(question, n.Language), n.ConversationID, n.HandoffID)
	if err != nil {
		return fmt.Errorf("kb: create suggestion: %w", err)
	}
	return nil
}

// questionLanguage is the language a question is written in (the conversation's may differ: "talk
// to a human" after a Chinese question), or fallback when it has no letters to tell.
func questionLanguage(q, fallback string) string {
	for _, r := range q {
		if unicode.IsLetter(r) {
			return DetectLanguage(q)
		}
	}
	if fallback != "zh" && fallback != "en" {
		return defaultLanguage
	}
	return fallback
}

// SuggestionGet returns one suggestion.
func (s *Store) SuggestionGet(ctx context.Context, id int64) (Suggestion, error) {
	sg, err := scanSuggestion(s.pool.QueryRow(ctx, `SELECT `+suggestionCols+` FROM kb_suggestions WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Suggestion{}, fmt.Errorf("kb: get suggestion: %w", err)
	}
	return sg, err
}

// ErrInvalid means the input breaks a rule; its message says which.
var ErrInvalid = errors.New("kb: invalid")

func wrapKnown(prefix string, err error) error {
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) || errors.Is(err, ErrInvalid) {
		return err
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
