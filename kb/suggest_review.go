package kb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// An editor's action acts on a suggestion's whole group and records who and when. Approving and
// merging write the article through ArticleCreate and ArticleUpdate, so it is re-chunked and
// searchable at once. The group is claimed first (so two editors cannot both act on it) and
// released again if the article cannot be written.

// Approval is an editor's optional edit of a group before it is published as an article.
type Approval struct {
	Title    string   `json:"title"`    // default: the question
	Question string   `json:"question"` // default: the question as first asked
	Answer   string   `json:"answer"`   // default: the latest answer
	Tags     []string `json:"tags"`
}

// MergeRequest merges a group into an existing article as alternative questions.
type MergeRequest struct {
	ArticleID int64 `json:"article_id"`
	// AppendAnswer is true to append the group's latest answer to the article's body, or the
	// text to append.
	AppendAnswer AppendAnswer `json:"append_answer"`
}

// AppendAnswer is a boolean or a text in JSON.
type AppendAnswer struct {
	On   bool
	Text string
}

// UnmarshalJSON accepts true/false, a string (empty is false) or null.
func (a *AppendAnswer) UnmarshalJSON(b []byte) error {
	*a = AppendAnswer{}
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &a.Text); err != nil {
			return err
		}
		a.Text = strings.TrimSpace(a.Text)
		a.On = a.Text != ""
		return nil
	default:
		if err := json.Unmarshal(b, &a.On); err != nil {
			return errors.New("append_answer must be true, false or the text to append")
		}
		return nil
	}
}

// MergeResult is what a merge did.
type MergeResult struct {
	Suggestion Suggestion `json:"suggestion"`
	Article    Article    `json:"article"`
	// AddedQuestions are the phrasings that became the article's alternative questions (those
	// it already had are not repeated).
	AddedQuestions []string `json:"added_questions"`
	AnswerAppended bool     `json:"answer_appended"`
}

// reviewGroup is a group as an action needs it.
type reviewGroup struct {
	head      Suggestion
	phrasings []string // distinct, most asked first
	answer    string   // the latest
}

// lockGroupTx takes the suggestion lock and reads the open group of suggestion id.
func lockGroupTx(ctx context.Context, tx pgx.Tx, id int64) (reviewGroup, error) {
	var g reviewGroup
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(suggestionLock)); err != nil {
		return g, err
	}
	var gid int64
	err := tx.QueryRow(ctx, `SELECT coalesce(group_id, id) FROM kb_suggestions WHERE id = $1`, id).Scan(&gid)
	if errors.Is(err, pgx.ErrNoRows) {
		return g, fmt.Errorf("%w: no suggestion %d", ErrNotFound, id)
	}
	if err != nil {
		return g, err
	}
	if g.head, err = scanSuggestion(tx.QueryRow(ctx, `SELECT `+suggestionCols+` FROM kb_suggestions WHERE id = $1`, gid)); err != nil {
		return g, err
	}
	if g.head.Status != SuggestionOpen {
		return g, fmt.Errorf("%w: suggestion is already %s", ErrConflict, g.head.Status)
	}
	rows, err := tx.Query(ctx, `SELECT question, answer, created_at FROM kb_suggestions
		WHERE (group_id = $1 OR id = $1) AND status = 'open' ORDER BY created_at DESC, id DESC`, gid)
	if err != nil {
		return g, err
	}
	defer rows.Close()
	var ps []phrasingCount
	for rows.Next() {
		var p phrasingCount
		var answer string
		if err := rows.Scan(&p.text, &answer, &p.last); err != nil {
			return g, err
		}
		if g.answer == "" {
			g.answer = answer
		}
		p.count = 1
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return g, err
	}
	for _, p := range distinctPhrasings(ps, MaxQuestions) {
		g.phrasings = append(g.phrasings, strings.TrimSpace(p.Text))
	}
	return g, nil
}

// claimGroup reads the open group of suggestion id, lets check build what the action needs (an
// error leaves the group untouched), then marks the group with status by editor by.
func (s *Store) claimGroup(ctx context.Context, id int64, status string, articleID *int64, by int64, check func(reviewGroup) error) (reviewGroup, error) {
	var g reviewGroup
	// The editor acts on the group as listed, which grouping of any new suggestions comes before.
	if err := s.GroupSuggestions(ctx); err != nil {
		return g, err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if g, err = lockGroupTx(ctx, tx, id); err != nil {
			return err
		}
		if check != nil {
			if err := check(g); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE kb_suggestions SET status = $2, article_id = $3, reviewed_by = $4, reviewed_at = now()
			WHERE (group_id = $1 OR id = $1) AND status = 'open'`, g.head.ID, status, articleID, by)
		return err
	})
	return g, err
}

// releaseGroup reopens a claimed group whose article could not be written.
func (s *Store) releaseGroup(ctx context.Context, gid int64, status string) error {
	_, err := s.pool.Exec(ctx, `UPDATE kb_suggestions SET status = 'open', article_id = NULL, reviewed_by = NULL, reviewed_at = NULL
		WHERE (group_id = $1 OR id = $1) AND status = $2`, gid, status)
	return err
}

// SuggestionApprove publishes a suggestion's group as a new article: the (edited) question becomes
// its title unless the editor gives one, and with the group's other phrasings, its alternative
// questions; the answer is the latest agent's unless edited.
func (s *Store) SuggestionApprove(ctx context.Context, id int64, ap Approval, by int64) (Suggestion, Article, error) {
	var in ArticleInput
	g, err := s.claimGroup(ctx, id, SuggestionApproved, nil, by, func(g reviewGroup) error {
		question := firstNonEmpty(strings.TrimSpace(ap.Question), g.head.Question)
		in = ArticleInput{
			Title:     firstNonEmpty(ap.Title, question),
			Body:      firstNonEmpty(ap.Answer, g.answer),
			Language:  g.head.Language,
			Questions: mergeQuestions(nil, "", append([]string{question}, g.phrasings...)),
			Tags:      ap.Tags,
			Status:    StatusPublished,
		}
		if err := in.Normalize(); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		return nil
	})
	if err != nil {
		return Suggestion{}, Article{}, wrapKnown("kb: approve suggestion", err)
	}
	a, err := s.ArticleCreate(ctx, in, "suggestion", &by)
	if err != nil {
		if rerr := s.releaseGroup(ctx, g.head.ID, SuggestionApproved); rerr != nil {
			return Suggestion{}, Article{}, fmt.Errorf("kb: approve suggestion: %w (and reopening it: %v)", err, rerr)
		}
		if errors.Is(err, ErrConflict) {
			return Suggestion{}, Article{}, fmt.Errorf("%w; give another title", err)
		}
		return Suggestion{}, Article{}, wrapKnown("kb: approve suggestion", err)
	}
	sg, err := s.finishGroup(ctx, g.head.ID, SuggestionApproved, a.ID)
	return sg, a, err
}

// finishGroup records the article a claimed group became.
func (s *Store) finishGroup(ctx context.Context, gid int64, status string, articleID int64) (Suggestion, error) {
	if _, err := s.pool.Exec(ctx, `UPDATE kb_suggestions SET article_id = $3 WHERE (group_id = $1 OR id = $1) AND status = $2`,
		gid, status, articleID); err != nil {
		return Suggestion{}, fmt.Errorf("kb: record suggestion's article: %w", err)
	}
	return s.SuggestionGet(ctx, gid)
}

// SuggestionMerge adds a suggestion group's phrasings to an existing article as alternative
// questions, optionally appending the answer to its body.
func (s *Store) SuggestionMerge(ctx context.Context, id int64, m MergeRequest, by int64) (MergeResult, error) {
	if m.ArticleID <= 0 {
		return MergeResult{}, fmt.Errorf("%w: article_id is required", ErrInvalid)
	}
	// The article is read before the claim, so a missing one is a 404 that leaves the group open
	// (and the claim's check may not query: the embedded database runs one transaction at a time).
	a, err := s.articleFor(ctx, m.ArticleID)
	if err != nil {
		return MergeResult{}, err
	}
	check := func(g reviewGroup) error {
		if a.Language != g.head.Language {
			return fmt.Errorf("%w: the article is in %s but the question in %s", ErrInvalid, a.Language, g.head.Language)
		}
		_, _, err := mergedInput(a, g, m)
		return err
	}
	g, err := s.claimGroup(ctx, id, SuggestionMerged, &m.ArticleID, by, check)
	if err != nil {
		return MergeResult{}, wrapKnown("kb: merge suggestion", err)
	}
	res, err := s.mergeInto(ctx, g, m, by)
	if err != nil {
		if rerr := s.releaseGroup(ctx, g.head.ID, SuggestionMerged); rerr != nil {
			return MergeResult{}, fmt.Errorf("kb: merge suggestion: %w (and reopening it: %v)", err, rerr)
		}
		return MergeResult{}, wrapKnown("kb: merge suggestion", err)
	}
	if res.Suggestion, err = s.SuggestionGet(ctx, g.head.ID); err != nil {
		return MergeResult{}, err
	}
	return res, nil
}

// articleFor reads the article a group is merged into.
func (s *Store) articleFor(ctx context.Context, id int64) (Article, error) {
	a, err := s.ArticleGet(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("%w: no article %d", ErrNotFound, id)
	}
	return a, err
}

func (s *Store) mergeInto(ctx context.Context, g reviewGroup, m MergeRequest, by int64) (MergeResult, error) {
	a, err := s.articleFor(ctx, m.ArticleID)
	if err != nil {
		return MergeResult{}, err
	}
	in, added, err := mergedInput(a, g, m)
	if err != nil {
		return MergeResult{}, err
	}
	// From the version just read: an editor's save in between is not overwritten (409).
	a, err = s.ArticleUpdate(ctx, a.ID, in, Change{By: &by, BaseVersion: a.Version, Source: "suggestion"})
	if err != nil {
		return MergeResult{}, err
	}
	return MergeResult{Article: a, AddedQuestions: added, AnswerAppended: m.AppendAnswer.On}, nil
}

// mergedInput is article a with the group's phrasings added as questions (and the answer appended).
func mergedInput(a Article, g reviewGroup, m MergeRequest) (ArticleInput, []string, error) {
	qs := mergeQuestions(a.Questions, a.Title, g.phrasings)
	added := qs[len(a.Questions):]
	if len(qs) > MaxQuestions {
		return ArticleInput{}, nil, fmt.Errorf("%w: the article would have %d alternative questions; at most %d", ErrInvalid, len(qs), MaxQuestions)
	}
	in := ArticleInput{Title: a.Title, Body: a.Body, Language: a.Language, Questions: qs, Tags: a.Tags, Status: a.Status}
	if m.AppendAnswer.On {
		in.Body = strings.TrimRight(in.Body, "\n") + "\n\n" + firstNonEmpty(m.AppendAnswer.Text, g.answer)
	}
	if err := in.Normalize(); err != nil {
		return ArticleInput{}, nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return in, append([]string{}, added...), nil
}

// mergeQuestions appends to have the questions of add it does not hold yet (compared as
// normalizeQuestion does), skipping any that only repeat the title.
func mergeQuestions(have []string, title string, add []string) []string {
	seen := map[string]bool{normalizeQuestion(title): title != ""}
	out := make([]string, 0, len(have)+len(add))
	for _, q := range have {
		seen[normalizeQuestion(q)] = true
		out = append(out, q)
	}
	for _, q := range add {
		q = strings.TrimSpace(q)
		k := normalizeQuestion(q)
		if q == "" || seen[k] && k != "" {
			continue
		}
		seen[k] = true
		out = append(out, q)
	}
	return out
}

// SuggestionDismiss closes a suggestion's group without publishing it.
func (s *Store) SuggestionDismiss(ctx context.Context, id int64, by int64) (Suggestion, error) {
	g, err := s.claimGroup(ctx, id, SuggestionDismissed, nil, by, nil)
	if err != nil {
		return Suggestion{}, wrapKnown("kb: dismiss suggestion", err)
	}
	return s.SuggestionGet(ctx, g.head.ID)
}
