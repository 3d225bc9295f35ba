package kb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The questions the bot could not answer: every customer message the bot replied to with "I don't
// know" (message meta kind dont_know), or handed off for low confidence when that message was the
// question itself (not the "yes" to the bot's offer of a person, whose question was already
// recorded as dont_know). They are copied from the bot's stored messages into kb_unanswered, which
// therefore also covers conversations from before this report existed, and grouped as suggestions
// are (QuestionSimilarity at least SameQuestionThreshold).

// unansweredLock is the transaction-level advisory lock key for recording and grouping.
const unansweredLock = 0x6b625f756e616e73 // "kb_unans"

// unansweredSettle is how old a bot message must be before the cursor passes it: a message id
// is taken before its transaction commits, so a younger one may still be followed by an earlier
// id. Younger messages are read again next time (recording is idempotent).
const unansweredSettle = time.Minute

// Unanswered reasons.
const (
	ReasonDontKnow      = "dont_know"
	ReasonLowConfidence = "low_confidence"
)

// RecordUnanswered copies the questions the bot could not answer since the last call into
// kb_unanswered and groups them.
func (s *Store) RecordUnanswered(ctx context.Context) error {
	const batch = 500
	from := int64(-1)
	for {
		last, n, err := s.recordUnansweredBatch(ctx, from, batch)
		if err != nil {
			return fmt.Errorf("kb: record unanswered questions: %w", err)
		}
		if n < batch {
			break
		}
		from = last
	}
	return s.groupUnanswered(ctx)
}

// recordUnansweredBatch records up to limit questions from bot messages after from (after the
// stored cursor when from is negative) and returns the last bot message read.
func (s *Store) recordUnansweredBatch(ctx context.Context, from int64, limit int) (int64, int, error) {
	n, last := 0, from
	settle := fmt.Sprintf("%d seconds", int(unansweredSettle.Seconds()))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(unansweredLock)); err != nil {
			return err
		}
		var stored int64
		err := tx.QueryRow(ctx, `SELECT last_message_id FROM kb_unanswered_cursor`).Scan(&stored)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		cursor := max(stored, from)
		rows, err := tx.Query(ctx, `SELECT b.id, c.id, c.conversation_id, c.text, c.created_at,
				b.meta->>'kind'
			FROM messages b JOIN messages c ON c.id = b.reply_to
			WHERE b.id > $1 AND b.sender = 'bot' AND c.sender = 'customer'
			  AND (b.meta->>'kind' = 'dont_know'
			    OR b.meta->>'kind' = 'handoff' AND b.meta->>'reason' = 'low_confidence'
			       AND EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.conversation_id
			                   AND h.reason = 'low_confidence' AND h.question = btrim(c.text, E' \t\r\n')))
			ORDER BY b.id LIMIT $2`, cursor, limit)
		if err != nil {
			return err
		}
		type found struct {
			botID, msgID   int64
			conv, question string
			at             time.Time
			kind           string
		}
		var fs []found
		for rows.Next() {
			var f found
			if err := rows.Scan(&f.botID, &f.msgID, &f.conv, &f.question, &f.at, &f.kind); err != nil {
				rows.Close()
				return err
			}
			fs = append(fs, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		n = len(fs)
		for _, f := range fs {
			reason := ReasonDontKnow
			if f.kind == "handoff" {
				reason = ReasonLowConfidence
			}
			if _, err := tx.Exec(ctx, `INSERT INTO kb_unanswered (message_id, conversation_id, question, language, reason, asked_at, keys)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING`,
				f.msgID, f.conv, f.question, DetectLanguage(f.question), reason, f.at, questionKeys(f.question)); err != nil {
				return err
			}
		}
		// The stored cursor moves up to the last settled message before the first unsettled one,
		// within what was read.
		end := int64(1 << 62)
		if n == limit {
			last = fs[n-1].botID
			end = last
		}
		_, err = tx.Exec(ctx, `INSERT INTO kb_unanswered_cursor (last_message_id)
			SELECT coalesce(max(id), $1::bigint) FROM messages
			WHERE id > $1::bigint AND id <= $2::bigint AND created_at < now() - $3::interval
			  AND id < coalesce((SELECT min(id) FROM messages WHERE id > $1::bigint AND id <= $2::bigint
			                     AND created_at >= now() - $3::interval), $2::bigint + 1)
			ON CONFLICT (one) DO UPDATE SET last_message_id = greatest(kb_unanswered_cursor.last_message_id, EXCLUDED.last_message_id)`,
			stored, end, settle)
		return err
	})
	return last, n, err
}

// groupUnanswered groups the recorded questions not yet grouped, oldest first.
func (s *Store) groupUnanswered(ctx context.Context) error {
	for {
		rows, err := s.pool.Query(ctx, `SELECT id, question, language FROM kb_unanswered WHERE group_id IS NULL ORDER BY id LIMIT 200`)
		if err != nil {
			return fmt.Errorf("kb: ungrouped questions: %w", err)
		}
		type pending struct {
			id             int64
			question, lang string
		}
		var ps []pending
		for rows.Next() {
			var p pending
			if err := rows.Scan(&p.id, &p.question, &p.lang); err != nil {
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
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(unansweredLock)); err != nil {
				return err
			}
			for _, p := range ps {
				rows, err := tx.Query(ctx, `SELECT id, group_id, question FROM kb_unanswered
					WHERE group_id IS NOT NULL AND language = $1 AND keys && $2::text[] AND id <> $3
					ORDER BY id DESC LIMIT $4`, p.lang, questionKeys(p.question), p.id, candidateLimit)
				if err != nil {
					return err
				}
				cands, err := scanCandidates(rows)
				if err != nil {
					return err
				}
				group, sim := p.id, 1.0
				if g, gs, ok := bestGroup(p.question, cands); ok {
					group, sim = g, gs
				}
				if _, err := tx.Exec(ctx, `UPDATE kb_unanswered SET group_id = $2, similarity = $3 WHERE id = $1 AND group_id IS NULL`,
					p.id, group, sim); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("kb: group unanswered questions: %w", err)
		}
	}
}

// UnansweredFilter narrows the report.
type UnansweredFilter struct {
	Days     int    // questions asked in the last Days days (default 30)
	Language string // "" for both
	Limit    int    // groups (default 50)
}

// UnansweredGroup is one question the bot could not answer, however it was worded.
type UnansweredGroup struct {
	ID int64 `json:"id"`
	// Question is its most frequent wording in the period.
	Question  string     `json:"question"`
	Phrasings []Phrasing `json:"phrasings"`
	Count     int        `json:"count"`
	// Reasons counts dont_know and low_confidence.
	Reasons   map[string]int `json:"reasons"`
	Language  string         `json:"language"`
	FirstSeen time.Time      `json:"first_seen"`
	LastSeen  time.Time      `json:"last_seen"`
	// ConversationIDs are examples, latest first (at most 5).
	ConversationIDs []string `json:"conversation_ids"`
	// CoveredBy says what now answers it: an article search finds for it with a Score of at least
	// CoveredThreshold, and/or a suggestion group with the same question.
	CoveredBy Coverage `json:"covered_by"`
	Covered   bool     `json:"covered"`
}

// Coverage is what now covers an unanswered question.
type Coverage struct {
	Article    *ArticleRef    `json:"article"`
	Suggestion *SuggestionRef `json:"suggestion"`
}

// SuggestionRef names a suggestion group.
type SuggestionRef struct {
	ID         int64   `json:"id"`
	Status     string  `json:"status"`
	ArticleID  *int64  `json:"article_id,omitempty"`
	Similarity float64 `json:"similarity"`
}

const maxExampleConversations = 5

// UnansweredReport records and groups the latest unanswered questions, then lists the groups asked
// in the period, most often first, then most recently.
func (s *Store) UnansweredReport(ctx context.Context, f UnansweredFilter) ([]UnansweredGroup, error) {
	if f.Days <= 0 {
		f.Days = 30
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if err := s.RecordUnanswered(ctx); err != nil {
		return nil, err
	}
	if err := s.GroupSuggestions(ctx); err != nil {
		return nil, err
	}
	since := time.Now().Add(-time.Duration(f.Days) * 24 * time.Hour)
	rows, err := s.pool.Query(ctx, `SELECT group_id, count(*)::int, min(asked_at), max(asked_at),
			count(*) FILTER (WHERE reason = 'dont_know')::int, count(*) FILTER (WHERE reason = 'low_confidence')::int,
			min(language)
		FROM kb_unanswered WHERE group_id IS NOT NULL AND asked_at >= $1 AND ($2 = '' OR language = $2)
		GROUP BY 1 ORDER BY 2 DESC, 4 DESC, 1 DESC LIMIT $3`, since, f.Language, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("kb: unanswered report: %w", err)
	}
	var out []*UnansweredGroup
	byID := map[int64]*UnansweredGroup{}
	var ids []int64
	for rows.Next() {
		g := &UnansweredGroup{Phrasings: []Phrasing{}, ConversationIDs: []string{}}
		var dk, lc int
		if err := rows.Scan(&g.ID, &g.Count, &g.FirstSeen, &g.LastSeen, &dk, &lc, &g.Language); err != nil {
			rows.Close()
			return nil, err
		}
		g.Reasons = map[string]int{ReasonDontKnow: dk, ReasonLowConfidence: lc}
		out = append(out, g)
		byID[g.ID] = g
		ids = append(ids, g.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kb: unanswered report: %w", err)
	}
	if len(ids) > 0 {
		if err := s.fillUnanswered(ctx, ids, since, byID); err != nil {
			return nil, fmt.Errorf("kb: unanswered report: %w", err)
		}
	}
	res := make([]UnansweredGroup, len(out))
	for i, g := range out {
		if err := s.coverage(ctx, g); err != nil {
			return nil, err
		}
		res[i] = *g
	}
	return res, nil
}

func (s *Store) fillUnanswered(ctx context.Context, ids []int64, since time.Time, byID map[int64]*UnansweredGroup) error {
	err := s.each(ctx, `SELECT group_id, question, count(*)::int, max(asked_at) FROM kb_unanswered
		WHERE group_id = ANY($1) AND asked_at >= $2 GROUP BY 1, 2`, []any{ids, since}, func(rows pgx.Rows) error {
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
			g := byID[gid]
			g.Phrasings = distinctPhrasings(ps, maxGroupPhrasings)
			if len(g.Phrasings) > 0 {
				g.Question = g.Phrasings[0].Text
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.each(ctx, `SELECT group_id, conversation_id::text, max(asked_at) AS last FROM kb_unanswered
		WHERE group_id = ANY($1) AND asked_at >= $2 GROUP BY 1, 2 ORDER BY 1, 3 DESC`, []any{ids, since}, func(rows pgx.Rows) error {
		for rows.Next() {
			var gid int64
			var conv string
			var last time.Time
			if err := rows.Scan(&gid, &conv, &last); err != nil {
				return err
			}
			if g := byID[gid]; len(g.ConversationIDs) < maxExampleConversations {
				g.ConversationIDs = append(g.ConversationIDs, conv)
			}
		}
		return nil
	})
}

// coverage finds what now covers g: the article search answers its question with (at least
// CoveredThreshold), and the most similar suggestion group that is not dismissed.
func (s *Store) coverage(ctx context.Context, g *UnansweredGroup) error {
	// A failing search (a remote embedder down) only loses the article.
	res, err := s.Search(ctx, g.Question, SearchOptions{Language: g.Language, K: 1})
	if err == nil && len(res) > 0 && res[0].Score >= CoveredThreshold {
		sim := round3(res[0].Score)
		g.CoveredBy.Article = &ArticleRef{ID: res[0].ArticleID, Title: res[0].Title, Status: StatusPublished, Similarity: &sim}
	}
	phrasings := g.Phrasings
	if len(phrasings) > 3 {
		phrasings = phrasings[:3]
	}
	var keys []string
	for _, p := range phrasings {
		keys = append(keys, questionKeys(p.Text)...)
	}
	var best *SuggestionRef
	err = s.each(ctx, `SELECT s.id, coalesce(s.group_id, s.id), s.question, h.status, h.article_id
		FROM kb_suggestions s JOIN kb_suggestions h ON h.id = coalesce(s.group_id, s.id)
		WHERE s.status <> 'dismissed' AND s.language = $1 AND s.keys && $2::text[]
		ORDER BY s.id DESC LIMIT $3`, []any{g.Language, keys, candidateLimit}, func(rows pgx.Rows) error {
		for rows.Next() {
			var id, gid int64
			var q, status string
			var article *int64
			if err := rows.Scan(&id, &gid, &q, &status, &article); err != nil {
				return err
			}
			for _, p := range phrasings {
				sim := QuestionSimilarity(p.Text, q)
				if sim >= SameQuestionThreshold && (best == nil || sim > best.Similarity) {
					best = &SuggestionRef{ID: gid, Status: status, ArticleID: article, Similarity: sim}
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("kb: unanswered coverage: %w", err)
	}
	g.CoveredBy.Suggestion = best
	g.Covered = g.CoveredBy.Article != nil || best != nil && best.Status != SuggestionOpen
	return nil
}
