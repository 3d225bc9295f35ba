package kb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Grouping suggestions: a suggestion whose question an open suggestion already asks (by
// QuestionSimilarity, at least SameQuestionThreshold) joins that suggestion's group instead of
// standing alone, so the editor sees one question with a count, its phrasings and every agent's
// answer. A question search already answers with a published article (Score at least
// CoveredThreshold) remembers that article, and the editor is asked "already covered by …?".
// Grouping runs after the handoff's transaction (search must not wait on it), before any editor
// lists suggestions; a lock serialises it with the editors' actions so no suggestion joins a
// group that is being closed.

// suggestionLock is the transaction-level advisory lock key for grouping and reviewing suggestions.
const suggestionLock = 0x6b625f73756767 // "kb_sugg"

// candidateLimit bounds the grouped questions a new one is compared with (the most recent that
// share a lookup key with it).
const candidateLimit = 300

// groupCandidate is an already grouped question.
type groupCandidate struct {
	id, group int64
	question  string
}

// bestGroup returns the group of the candidate most similar to q, if it is similar enough.
func bestGroup(q string, cands []groupCandidate) (int64, float64, bool) {
	var best int64
	bestSim := -1.0
	for _, c := range cands {
		if sim := QuestionSimilarity(q, c.question); sim > bestSim || sim == bestSim && c.group < best {
			best, bestSim = c.group, sim
		}
	}
	if bestSim < SameQuestionThreshold {
		return 0, 0, false
	}
	return best, bestSim, true
}

func scanCandidates(rows pgx.Rows) ([]groupCandidate, error) {
	defer rows.Close()
	var out []groupCandidate
	for rows.Next() {
		var c groupCandidate
		if err := rows.Scan(&c.id, &c.group, &c.question); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GroupSuggestions groups every suggestion not yet grouped, oldest first. Only open suggestions
// are compared and searched for; older reviewed ones just become groups of their own.
func (s *Store) GroupSuggestions(ctx context.Context) error {
	for {
		rows, err := s.pool.Query(ctx, `SELECT id, question, language, status FROM kb_suggestions
			WHERE grouped_at IS NULL ORDER BY id LIMIT 50`)
		if err != nil {
			return fmt.Errorf("kb: ungrouped suggestions: %w", err)
		}
		type pending struct {
			id                         int64
			question, language, status string
		}
		var ps []pending
		for rows.Next() {
			var p pending
			if err := rows.Scan(&p.id, &p.question, &p.language, &p.status); err != nil {
				rows.Close()
				return err
			}
			ps = append(ps, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ps) == 0 {
			return nil
		}
		for _, p := range ps {
			if err := s.groupSuggestion(ctx, p.id, p.question, p.language, p.status == SuggestionOpen); err != nil {
				return err
			}
		}
	}
}

// coveringArticle is the published article search answers q with, if its Score says it covers q.
// A failing search (a remote embedder down) only loses the hint.
func (s *Store) coveringArticle(ctx context.Context, q, lang string) (*int64, *float64) {
	res, err := s.Search(ctx, q, SearchOptions{Language: lang, K: 1})
	if err != nil || len(res) == 0 || res[0].Score < CoveredThreshold {
		return nil, nil
	}
	id, score := res[0].ArticleID, round3(res[0].Score)
	return &id, &score
}

func (s *Store) groupSuggestion(ctx context.Context, id int64, question, lang string, open bool) error {
	var artID *int64
	var artSim *float64
	if open {
		artID, artSim = s.coveringArticle(ctx, question, lang)
	}
	keys := questionKeys(question)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(suggestionLock)); err != nil {
			return err
		}
		var status string
		var grouped bool
		err := tx.QueryRow(ctx, `SELECT status, grouped_at IS NOT NULL FROM kb_suggestions WHERE id = $1`, id).Scan(&status, &grouped)
		if errors.Is(err, pgx.ErrNoRows) || grouped {
			return nil
		}
		if err != nil {
			return err
		}
		group, sim := id, 1.0
		if status == SuggestionOpen {
			rows, err := tx.Query(ctx, `SELECT id, coalesce(group_id, id), question FROM kb_suggestions
				WHERE status = 'open' AND grouped_at IS NOT NULL AND language = $1 AND keys && $2::text[]
				ORDER BY id DESC LIMIT $3`, lang, keys, candidateLimit)
			if err != nil {
				return err
			}
			cands, err := scanCandidates(rows)
			if err != nil {
				return err
			}
			if g, gs, ok := bestGroup(question, cands); ok {
				group, sim = g, gs
			}
		} else {
			artID, artSim = nil, nil
		}
		_, err = tx.Exec(ctx, `UPDATE kb_suggestions SET group_id = $2, group_similarity = $3, similar_article_id = $4,
			article_similarity = $5, keys = $6, grouped_at = now() WHERE id = $1`, id, group, sim, artID, artSim, keys)
		return err
	})
	if err != nil {
		return fmt.Errorf("kb: group suggestion: %w", err)
	}
	return nil
}

// SuggestionGroup is one question as customers asked it and agents answered it, maybe many times.
// Its ID is its first suggestion's; an action on any of its suggestions acts on the whole group.
type SuggestionGroup struct {
	ID       int64  `json:"id"`
	Question string `json:"question"` // as first asked
	Answer   string `json:"answer"`   // the latest answer
	Language string `json:"language"`
	// ConversationID is the first asking's conversation.
	ConversationID *string `json:"conversation_id"`
	Status         string  `json:"status"`
	// Count is how many times the question came to an agent.
	Count int `json:"count"`
	// Phrasings are the distinct ways it was asked, most often first.
	Phrasings []Phrasing `json:"phrasings"`
	// Answers are the agents' distinct answers, latest first (at most maxGroupAnswers).
	Answers []GroupAnswer `json:"answers"`
	// SimilarArticle is a published article that seemed to cover the question already.
	SimilarArticle *ArticleRef `json:"similar_article"`
	// Article is the article the group became (approved) or was merged into.
	Article    *ArticleRef `json:"article,omitempty"`
	ArticleID  *int64      `json:"article_id,omitempty"`
	CreatedAt  time.Time   `json:"created_at"`
	LastSeenAt time.Time   `json:"last_seen_at"`
	ReviewedAt *time.Time  `json:"reviewed_at,omitempty"`
	ReviewedBy *Reviewer   `json:"reviewed_by,omitempty"`
}

// Phrasing is one way a question was asked and how often.
type Phrasing struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// GroupAnswer is one agent's answer in a group.
type GroupAnswer struct {
	SuggestionID   int64     `json:"suggestion_id"`
	Answer         string    `json:"answer"`
	ConversationID *string   `json:"conversation_id"`
	CreatedAt      time.Time `json:"created_at"`
}

// ArticleRef names an article; Similarity is set for a similar article (its search Score).
type ArticleRef struct {
	ID         int64    `json:"id"`
	Title      string   `json:"title"`
	Status     string   `json:"status"`
	Similarity *float64 `json:"similarity,omitempty"`
}

// Reviewer is the editor who acted on a group.
type Reviewer struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// SuggestionFilter narrows SuggestionGroups; empty fields match everything.
type SuggestionFilter struct {
	Status   string
	Language string
	Limit    int
}

const (
	maxGroupAnswers   = 10
	maxGroupPhrasings = 20
)

// SuggestionGroups groups any new suggestions, then lists groups: open ones most asked first,
// reviewed ones most recently reviewed first.
func (s *Store) SuggestionGroups(ctx context.Context, f SuggestionFilter) ([]SuggestionGroup, error) {
	if err := s.GroupSuggestions(ctx); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	order := `count(*) DESC, max(created_at) DESC, 1 DESC`
	if f.Status != SuggestionOpen {
		order = `max(coalesce(reviewed_at, created_at)) DESC, 1 DESC`
	}
	rows, err := s.pool.Query(ctx, `SELECT coalesce(group_id, id), count(*)::int, max(created_at) FROM kb_suggestions
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR language = $2)
		GROUP BY 1 ORDER BY `+order+` LIMIT $3`, f.Status, f.Language, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("kb: list suggestion groups: %w", err)
	}
	var ids []int64
	byID := map[int64]*SuggestionGroup{}
	var out []*SuggestionGroup
	for rows.Next() {
		g := &SuggestionGroup{Phrasings: []Phrasing{}, Answers: []GroupAnswer{}}
		if err := rows.Scan(&g.ID, &g.Count, &g.LastSeenAt); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, g.ID)
		byID[g.ID] = g
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kb: list suggestion groups: %w", err)
	}
	if len(ids) > 0 {
		if err := s.fillGroups(ctx, ids, byID); err != nil {
			return nil, fmt.Errorf("kb: list suggestion groups: %w", err)
		}
	}
	res := make([]SuggestionGroup, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res, nil
}

// SuggestionGroupGet returns the group of suggestion id.
func (s *Store) SuggestionGroupGet(ctx context.Context, id int64) (SuggestionGroup, error) {
	if err := s.GroupSuggestions(ctx); err != nil {
		return SuggestionGroup{}, err
	}
	g := &SuggestionGroup{Phrasings: []Phrasing{}, Answers: []GroupAnswer{}}
	err := s.pool.QueryRow(ctx, `SELECT coalesce(group_id, id) FROM kb_suggestions WHERE id = $1`, id).Scan(&g.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return SuggestionGroup{}, ErrNotFound
	}
	if err == nil {
		err = s.pool.QueryRow(ctx, `SELECT count(*)::int, max(created_at) FROM kb_suggestions WHERE group_id = $1 OR id = $1`,
			g.ID).Scan(&g.Count, &g.LastSeenAt)
	}
	if err == nil {
		err = s.fillGroups(ctx, []int64{g.ID}, map[int64]*SuggestionGroup{g.ID: g})
	}
	if err != nil {
		return SuggestionGroup{}, fmt.Errorf("kb: get suggestion group: %w", err)
	}
	return *g, nil
}

// fillGroups completes groups from their first suggestion, phrasings, answers and similar article.
func (s *Store) fillGroups(ctx context.Context, ids []int64, byID map[int64]*SuggestionGroup) error {
	err := s.each(ctx, `SELECT s.id, s.question, s.language, s.conversation_id, s.status, s.created_at, s.reviewed_at,
			u.id, coalesce(u.email, ''), coalesce(u.name, ''), a.id, coalesce(a.title, ''), coalesce(a.status, '')
		FROM kb_suggestions s LEFT JOIN users u ON u.id = s.reviewed_by LEFT JOIN kb_articles a ON a.id = s.article_id
		WHERE s.id = ANY($1)`, []any{ids}, func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var uid, aid *int64
			var email, name, title, astatus string
			g := &SuggestionGroup{}
			if err := rows.Scan(&id, &g.Question, &g.Language, &g.ConversationID, &g.Status, &g.CreatedAt, &g.ReviewedAt,
				&uid, &email, &name, &aid, &title, &astatus); err != nil {
				return err
			}
			dst := byID[id]
			dst.Question, dst.Language, dst.ConversationID, dst.Status = g.Question, g.Language, g.ConversationID, g.Status
			dst.CreatedAt, dst.ReviewedAt = g.CreatedAt, g.ReviewedAt
			if uid != nil {
				dst.ReviewedBy = &Reviewer{ID: *uid, Email: email, Name: name}
			}
			if aid != nil {
				dst.ArticleID = aid
				dst.Article = &ArticleRef{ID: *aid, Title: title, Status: astatus}
			}
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	err = s.each(ctx, `SELECT coalesce(group_id, id), question, count(*)::int, max(created_at) FROM kb_suggestions
		WHERE group_id = ANY($1) OR id = ANY($1) GROUP BY 1, 2`, []any{ids}, func(rows pgx.Rows) error {
		counts := map[int64][]phrasingCount{}
		for rows.Next() {
			var gid int64
			var p phrasingCount
			if err := rows.Scan(&gid, &p.text, &p.count, &p.last); err != nil {
				return err
			}
			counts[gid] = append(counts[gid], p)
		}
		for gid, ps := range counts {
			byID[gid].Phrasings = distinctPhrasings(ps, maxGroupPhrasings)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	err = s.each(ctx, `SELECT gid, id, answer, conversation_id, created_at FROM (
			SELECT coalesce(group_id, id) AS gid, id, answer, conversation_id, created_at,
				row_number() OVER (PARTITION BY coalesce(group_id, id) ORDER BY created_at DESC, id DESC) AS n
			FROM kb_suggestions WHERE group_id = ANY($1) OR id = ANY($1)) m
		WHERE n <= $2 ORDER BY gid, created_at DESC, id DESC`, []any{ids, maxGroupAnswers * 3}, func(rows pgx.Rows) error {
		seen := map[int64]map[string]bool{}
		for rows.Next() {
			var gid int64
			var a GroupAnswer
			if err := rows.Scan(&gid, &a.SuggestionID, &a.Answer, &a.ConversationID, &a.CreatedAt); err != nil {
				return err
			}
			g := byID[gid]
			if g.Answer == "" {
				g.Answer = a.Answer
			}
			key := strings.Join(strings.Fields(a.Answer), " ")
			if seen[gid] == nil {
				seen[gid] = map[string]bool{}
			}
			if seen[gid][key] || len(g.Answers) >= maxGroupAnswers {
				continue
			}
			seen[gid][key] = true
			g.Answers = append(g.Answers, a)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	return s.each(ctx, `SELECT DISTINCT ON (coalesce(s.group_id, s.id)) coalesce(s.group_id, s.id), a.id, a.title, a.status, s.article_similarity::float8
		FROM kb_suggestions s JOIN kb_articles a ON a.id = s.similar_article_id
		WHERE s.group_id = ANY($1) OR s.id = ANY($1)
		ORDER BY coalesce(s.group_id, s.id), s.article_similarity DESC NULLS LAST, s.id DESC`, []any{ids}, func(rows pgx.Rows) error {
		for rows.Next() {
			var gid int64
			var a ArticleRef
			if err := rows.Scan(&gid, &a.ID, &a.Title, &a.Status, &a.Similarity); err != nil {
				return err
			}
			byID[gid].SimilarArticle = &a
		}
		return rows.Err()
	})
}

// each runs a query and hands its rows to fn.
func (s *Store) each(ctx context.Context, sql string, args []any, fn func(pgx.Rows) error) error {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := fn(rows); err != nil {
		return err
	}
	return rows.Err()
}

type phrasingCount struct {
	text  string
	count int
	last  time.Time
}

// distinctPhrasings merges phrasings that differ only in case, width, spacing or punctuation
// (keeping the latest wording) and orders them most asked first, then most recent.
func distinctPhrasings(ps []phrasingCount, limit int) []Phrasing {
	merged := map[string]*phrasingCount{}
	var order []*phrasingCount
	for _, p := range ps {
		k := normalizeQuestion(p.text)
		if k == "" {
			k = strings.TrimSpace(p.text)
		}
		m, ok := merged[k]
		if !ok {
			cp := p
			merged[k] = &cp
			order = append(order, &cp)
			continue
		}
		m.count += p.count
		if p.last.After(m.last) {
			m.text, m.last = p.text, p.last
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].count != order[j].count {
			return order[i].count > order[j].count
		}
		return order[i].last.After(order[j].last)
	})
	out := make([]Phrasing, 0, min(len(order), limit))
	for _, p := range order {
		if len(out) == limit {
			break
		}
		out = append(out, Phrasing{Text: p.text, Count: p.count})
	}
	return out
}
