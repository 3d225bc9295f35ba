package kb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// HNSW build parameters for the per-dimension index. Twice pgvector's defaults (16, 64): the
// local embedder's sparse vectors are hard to navigate, and at 100k chunks recall@10 at
// ef_search 100 rose from 0.82 to 0.92 for 2.5x the build time (`baton bench kb`).
const (
	DefaultHNSWM              = 32
	DefaultHNSWEfConstruction = 128
)

// IndexName is the HNSW index serving one embedding dimension.
func IndexName(dim int) string { return fmt.Sprintf("kb_chunks_embedding_%d_idx", dim) }

// EnsureIndex creates the HNSW index for the embedder's dimension if it does not exist: a partial
// index over the untyped column cast to that dimension. Above 4,000 dimensions pgvector cannot
// index, and search scans exactly.
func (s *Store) EnsureIndex(ctx context.Context) error {
	sql := hnswIndexSQL(s.embedder.Dim(), DefaultHNSWM, DefaultHNSWEfConstruction)
	if sql == "" {
		return nil
	}
	if _, err := s.pool.Exec(ctx, sql); err != nil {
		return fmt.Errorf("kb: create index for %d dimensions: %w", s.embedder.Dim(), err)
	}
	return nil
}

// hnswIndexSQL creates the index for dim ("" when pgvector cannot index it). It is built from
// integers of the embedder's configuration, never from input.
func hnswIndexSQL(dim, m, efConstruction int) string {
	if dim > 4000 {
		return ""
	}
	expr, _ := annExpr(dim)
	ops := "vector_cosine_ops"
	if dim > 2000 {
		ops = "halfvec_cosine_ops"
	}
	return fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON kb_chunks USING hnsw ((%s) %s) WITH (m = %d, ef_construction = %d) WHERE dim = %d`,
		IndexName(dim), strings.TrimPrefix(expr, "c."), ops, m, efConstruction, dim)
}

// Staleness is what the configured embedder and chunker have not made yet.
type Staleness struct {
	// Articles cut by an older chunker (re-cut and embedded whole).
	Articles int `json:"articles"`
	// Chunks embedded by another embedder or dimension (re-embedded in place), outside those articles.
	Chunks int `json:"chunks"`
}

// Total is the work left, in articles plus chunks.
func (st Staleness) Total() int { return st.Articles + st.Chunks }

// Stale counts what Refresh would redo.
func (s *Store) Stale(ctx context.Context) (Staleness, error) {
	var st Staleness
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(DISTINCT article_id) FROM kb_chunks WHERE chunker <> $1),
		(SELECT count(*) FROM kb_chunks c WHERE (c.embedder <> $2 OR c.dim <> $3)
			AND NOT EXISTS (SELECT 1 FROM kb_chunks o WHERE o.article_id = c.article_id AND o.chunker <> $1))`,
		ChunkerVersion, s.embedder.Name(), s.embedder.Dim()).Scan(&st.Articles, &st.Chunks)
	if err != nil {
		return st, fmt.Errorf("kb: count stale chunks: %w", err)
	}
	return st, nil
}

// MarkAllStale makes Refresh redo every article (after the embedding model changed behind the same name).
func (s *Store) MarkAllStale(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `UPDATE kb_chunks SET chunker = '' WHERE chunker <> ''`)
	if err != nil {
		return fmt.Errorf("kb: mark stale: %w", err)
	}
	return nil
}

// RefreshBatch is how many articles, or chunks, Refresh embeds per step.
const RefreshBatch = 64

// Refresh brings every chunk up to date, a batch at a time, each in a short transaction, so search
// keeps working throughout (searching vectors of the current embedder only, and lexically the rest):
// articles cut by an older chunker are re-cut and embedded, chunks embedded by another embedder
// are re-embedded. progress, if set, is told the work done and the total. It returns the work done.
func (s *Store) Refresh(ctx context.Context, progress func(done, total int)) (int, error) {
	st, err := s.Stale(ctx)
	if err != nil {
		return 0, err
	}
	total, done := st.Total(), 0
	report := func(n int) {
		done += n
		if progress != nil {
			progress(min(done, total), total)
		}
	}
	for {
		n, err := s.recutBatch(ctx)
		if err != nil {
			return done, err
		}
		if n == 0 {
			break
		}
		report(n)
	}
	var after int64
	for {
		n, last, err := s.reembedBatch(ctx, after)
		if err != nil {
			return done, err
		}
		if n == 0 {
			break
		}
		after = last
		report(n)
	}
	return done, nil
}

// recutBatch re-cuts up to RefreshBatch articles whose chunks an older chunker made.
func (s *Store) recutBatch(ctx context.Context) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM kb_articles
		WHERE id IN (SELECT DISTINCT article_id FROM kb_chunks WHERE chunker <> $1 ORDER BY article_id LIMIT $2)`,
		ChunkerVersion, RefreshBatch)
	if err != nil {
		return 0, fmt.Errorf("kb: refresh: %w", err)
	}
	arts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Article, error) { return scanArticle(r) })
	if err != nil {
		return 0, fmt.Errorf("kb: refresh: %w", err)
	}
	for _, a := range arts {
		prepared, err := s.prepareChunks(ctx, a.Title, a.Body, a.Questions)
		if err != nil {
			return 0, err
		}
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// An edit since we read the article has already written fresh chunks.
			var updated time.Time
			if err := tx.QueryRow(ctx, `SELECT updated_at FROM kb_articles WHERE id = $1 FOR UPDATE`, a.ID).Scan(&updated); err != nil {
				return err
			}
			if !updated.Equal(a.UpdatedAt) {
				return nil
			}
			return s.writeChunksTx(ctx, tx, a.ID, prepared)
		})
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return 0, fmt.Errorf("kb: refresh article %d: %w", a.ID, err)
		}
	}
	return len(arts), nil
}

// reembedBatch re-embeds, in place, up to RefreshBatch chunks another embedder made, of ids above
// after (walking the primary key, so each batch starts where the last ended). It returns how many
// and the last id.
func (s *Store) reembedBatch(ctx context.Context, after int64) (int, int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.kind, c.heading, c.text, a.title
		FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id
		WHERE c.id > $4 AND (c.embedder <> $1 OR c.dim <> $2) ORDER BY c.id LIMIT $3`,
		s.embedder.Name(), s.embedder.Dim(), RefreshBatch, after)
	if err != nil {
		return 0, 0, fmt.Errorf("kb: refresh: %w", err)
	}
	var ids []int64
	var texts []string
	for rows.Next() {
		var id int64
		var c Chunk
		var title string
		if err := rows.Scan(&id, &c.Kind, &c.Heading, &c.Text, &title); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("kb: refresh: %w", err)
		}
		ids = append(ids, id)
		texts = append(texts, c.SearchText(title))
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return 0, 0, err
	}
	vecs, err := s.embedder.Embed(ctx, texts)
	if err != nil {
		return 0, 0, fmt.Errorf("kb: refresh: %w", err)
	}
	embs := make([]string, len(vecs))
	for i, v := range vecs {
		if len(v) != s.embedder.Dim() {
			return 0, 0, fmt.Errorf("kb: refresh: embedder %s returned %d dimensions, want %d", s.embedder.Name(), len(v), s.embedder.Dim())
		}
		embs[i] = VectorText(v)
	}
	// A chunk deleted meanwhile (its article was edited) is simply not updated.
	_, err = s.pool.Exec(ctx, `UPDATE kb_chunks c SET embedder = $3, dim = $4, embedding = v.e::vector
		FROM unnest($1::bigint[], $2::text[]) AS v(id, e) WHERE c.id = v.id`,
		ids, embs, s.embedder.Name(), s.embedder.Dim())
	if err != nil {
		return 0, 0, fmt.Errorf("kb: refresh: %w", err)
	}
	return len(ids), ids[len(ids)-1], nil
}
