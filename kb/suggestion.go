package kb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Suggestion statuses.
const (
	SuggestionOpen      = "open"
	SuggestionApproved  = "approved"
	SuggestionDismissed = "dismissed"
)

// Suggestion is a customer's question and an agent's answer, waiting for an editor.
type Suggestion struct {
	ID             int64      `json:"id"`
	Question       string     `json:"question"`
	Answer         string     `json:"answer"`
	Language       string     `json:"language"`
	ConversationID *string    `json:"conversation_id"`
	HandoffID      *int64     `json:"handoff_id,omitempty"`
	Status         string     `json:"status"`
	ArticleID      *int64     `json:"article_id,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	ReviewedAt     *time.Time `json:"reviewed_at,omitempty"`
}

const suggestionCols = `id, question, answer, language, conversation_id, handoff_id, status, article_id, created_at, reviewed_at`

func scanSuggestion(row pgx.Row) (Suggestion, error) {
	var s Suggestion
	err := row.Scan(&s.ID, &s.Question, &s.Answer, &s.Language, &s.ConversationID, &s.HandoffID, &s.Status, &s.ArticleID, &s.CreatedAt, &s.ReviewedAt)
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
// one handoff gives at most one suggestion.
func SuggestionCreateTx(ctx context.Context, tx pgx.Tx, n NewSuggestion) error {
	_, err := tx.Exec(ctx, `INSERT INTO kb_suggestions (question, answer, language, conversation_id, handoff_id)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (handoff_id) DO NOTHING`,
		strings.TrimSpace(n.Question), strings.TrimSpace(n.Answer), n.Language, n.ConversationID, n.HandoffID)
	if err != nil {
		return fmt.Errorf("kb: create suggestion: %w", err)
	}
	return nil
}

// SuggestionList lists suggestions with a status ("" for all), newest first.
func (s *Store) SuggestionList(ctx context.Context, status string, limit int) ([]Suggestion, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := s.pool.Query(ctx, `SELECT `+suggestionCols+` FROM kb_suggestions
		WHERE ($1 = '' OR status = $1) ORDER BY created_at DESC, id DESC LIMIT $2`, status, limit)
	if err != nil {
		return nil, fmt.Errorf("kb: list suggestions: %w", err)
	}
	defer rows.Close()
	out := []Suggestion{}
	for rows.Next() {
		sg, err := scanSuggestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}

// SuggestionGet returns one suggestion.
func (s *Store) SuggestionGet(ctx context.Context, id int64) (Suggestion, error) {
	sg, err := scanSuggestion(s.pool.QueryRow(ctx, `SELECT `+suggestionCols+` FROM kb_suggestions WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Suggestion{}, fmt.Errorf("kb: get suggestion: %w", err)
	}
	return sg, err
}

// Approval is an editor's optional edit of a suggestion before it is published.
type Approval struct {
	Title  string `json:"title"`
	Answer string `json:"answer"`
}

// SuggestionApprove publishes the suggestion as an article (the question becomes its title unless
// the editor gives one, and always one of its alternative questions).
func (s *Store) SuggestionApprove(ctx context.Context, id int64, ap Approval, by int64) (Suggestion, Article, error) {
	var sg Suggestion
	var a Article
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		sg, err = scanSuggestion(tx.QueryRow(ctx, `SELECT `+suggestionCols+` FROM kb_suggestions WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if sg.Status != SuggestionOpen {
			return fmt.Errorf("%w: suggestion is already %s", ErrConflict, sg.Status)
		}
		in := ArticleInput{
			Title:     firstNonEmpty(ap.Title, sg.Question),
			Body:      firstNonEmpty(ap.Answer, sg.Answer),
			Language:  sg.Language,
			Questions: []string{sg.Question},
			Status:    StatusPublished,
		}
		if err := in.Normalize(); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		a, err = scanArticle(tx.QueryRow(ctx, `INSERT INTO kb_articles (title, body, language, status, tags, questions, source, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, 'suggestion', $7) RETURNING `+articleCols,
			in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions, by))
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: an article titled %q already exists; give another title", ErrConflict, in.Title)
		}
		if err != nil {
			return err
		}
		rows, err := s.prepareChunks(ctx, a.Title, a.Body, a.Questions)
		if err != nil {
			return err
		}
		if err := s.writeChunksTx(ctx, tx, a.ID, rows); err != nil {
			return err
		}
		sg, err = scanSuggestion(tx.QueryRow(ctx, `UPDATE kb_suggestions SET status = 'approved', article_id = $2,
			reviewed_by = $3, reviewed_at = now() WHERE id = $1 RETURNING `+suggestionCols, id, a.ID, by))
		return err
	})
	if err != nil {
		return Suggestion{}, Article{}, wrapKnown("kb: approve suggestion", err)
	}
	return sg, a, nil
}

// SuggestionDismiss closes a suggestion without publishing it.
func (s *Store) SuggestionDismiss(ctx context.Context, id int64, by int64) (Suggestion, error) {
	sg, err := scanSuggestion(s.pool.QueryRow(ctx, `UPDATE kb_suggestions SET status = 'dismissed', reviewed_by = $2,
		reviewed_at = now() WHERE id = $1 AND status = 'open' RETURNING `+suggestionCols, id, by))
	if errors.Is(err, ErrNotFound) {
		if _, gerr := s.SuggestionGet(ctx, id); gerr == nil {
			return Suggestion{}, fmt.Errorf("%w: suggestion is not open", ErrConflict)
		}
		return Suggestion{}, ErrNotFound
	}
	if err != nil {
		return Suggestion{}, fmt.Errorf("kb: dismiss suggestion: %w", err)
	}
	return sg, nil
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
