package kb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Result is one article found for a query, scored by its best-matching chunk.
type Result struct {
	ArticleID int64   `json:"article_id"`
	Title     string  `json:"title"`
	Snippet   string  `json:"snippet"`
	Score     float64 `json:"score"`
	Language  string  `json:"language"`
	MatchKind string  `json:"match_kind"`
	Body      string  `json:"-"`
}

// SearchOptions narrow a search.
type SearchOptions struct {
	Language string // "" searches every language
	K        int
}

const searchChunks = `
SELECT c.article_id, a.title, a.body, a.language, c.kind, c.text, 1 - (c.embedding <=> $1) AS score
FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id
WHERE a.status = 'published' AND ($2 = '' OR a.language = $2)
ORDER BY c.embedding <=> $1
LIMIT $3`

// Search finds the published articles closest to q by pgvector cosine similarity, best first.
func (s *Store) Search(ctx context.Context, q string, opt SearchOptions) ([]Result, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return []Result{}, nil
	}
	if opt.K <= 0 {
		opt.K = 5
	}
	vecs, err := s.embedder.Embed([]string{q})
	if err != nil {
		return nil, fmt.Errorf("kb: embed query: %w", err)
	}
	best := map[int64]*Result{}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The HNSW scan keeps going until enough rows pass the status and language filter.
		if _, err := tx.Exec(ctx, `SET LOCAL hnsw.iterative_scan = relaxed_order`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL hnsw.ef_search = 100`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, searchChunks, pgvector.NewVector(vecs[0]), opt.Language, opt.K*8)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r Result
			var chunk string
			if err := rows.Scan(&r.ArticleID, &r.Title, &r.Body, &r.Language, &r.MatchKind, &chunk, &r.Score); err != nil {
				return err
			}
			if cur, ok := best[r.ArticleID]; ok && cur.Score >= r.Score {
				continue
			}
			if r.MatchKind == "body" {
				r.Snippet = Snippet(chunk, 160)
			} else {
				r.Snippet = Snippet(r.Body, 160)
			}
			best[r.ArticleID] = &r
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("kb: search: %w", err)
	}
	out := make([]Result, 0, len(best))
	for _, r := range best {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ArticleID < out[j].ArticleID
	})
	if len(out) > opt.K {
		out = out[:opt.K]
	}
	return out, nil
}
