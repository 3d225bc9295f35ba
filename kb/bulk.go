package kb

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Bulk loading, for benchmarks and large imports: articles and chunks in multi-row statements
// (PGlite takes no COPY), with the search indexes built once afterwards rather than row by row.

// BulkArticle is an article with its chunks already cut, tokenised and embedded.
type BulkArticle struct {
	Title, Body, Language string
	Chunks                []ChunkRow
}

// BulkInsert stores published articles and their chunks, a batch per statement, without
// per-article transactions. It returns the articles' ids in order.
func (s *Store) BulkInsert(ctx context.Context, arts []BulkArticle) ([]int64, error) {
	titles, bodies, langs := make([]string, len(arts)), make([]string, len(arts)), make([]string, len(arts))
	for i, a := range arts {
		titles[i], bodies[i], langs[i] = a.Title, a.Body, a.Language
	}
	rows, err := s.pool.Query(ctx, `INSERT INTO kb_articles (title, body, language, status, source)
		SELECT t, b, l, 'published', 'bulk' FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(t, b, l, n)
		ORDER BY n RETURNING id`, titles, bodies, langs)
	if err != nil {
		return nil, fmt.Errorf("kb: bulk insert articles: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("kb: bulk insert articles: %w", err)
	}
	var chunks []ChunkRow
	for i, a := range arts {
		for _, c := range a.Chunks {
			c.ArticleID = ids[i]
			chunks = append(chunks, c)
		}
	}
	const perStatement = 500
	for start := 0; start < len(chunks); start += perStatement {
		if err := s.insertChunks(ctx, s.pool, chunks[start:min(start+perStatement, len(chunks))]); err != nil {
			return nil, fmt.Errorf("kb: bulk insert chunks: %w", err)
		}
	}
	return ids, nil
}

// IndexOptions tune the HNSW build; zero values take pgvector's defaults.
type IndexOptions struct {
	M, EfConstruction int
	// MaintenanceWorkMem for the build, e.g. "512MB": the build is much faster while the graph fits.
	MaintenanceWorkMem string
}

// DropSearchIndexes drops the embedder's HNSW index and the lexical GIN index before a bulk load.
func (s *Store) DropSearchIndexes(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, fmt.Sprintf(`DROP INDEX IF EXISTS %s; DROP INDEX IF EXISTS kb_chunks_tokens_idx`, IndexName(s.embedder.Dim())))
	if err != nil {
		return fmt.Errorf("kb: drop indexes: %w", err)
	}
	return nil
}

// BuildSearchIndexes (re)creates the HNSW index for the embedder's dimension and the lexical GIN
// index, reporting how long each took.
func (s *Store) BuildSearchIndexes(ctx context.Context, opt IndexOptions) (hnsw, gin time.Duration, err error) {
	if opt.M <= 0 {
		opt.M = DefaultHNSWM
	}
	if opt.EfConstruction <= 0 {
		opt.EfConstruction = DefaultHNSWEfConstruction
	}
	dim := s.embedder.Dim()
	build := func(sql string) (time.Duration, error) {
		start := time.Now()
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if opt.MaintenanceWorkMem != "" {
				if _, err := tx.Exec(ctx, `SELECT set_config('maintenance_work_mem', $1, true)`, opt.MaintenanceWorkMem); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, sql)
			return err
		})
		return time.Since(start), err
	}
	if sql := hnswIndexSQL(dim, opt.M, opt.EfConstruction); sql != "" {
		hnsw, err = build(`DROP INDEX IF EXISTS ` + IndexName(dim) + `; ` + sql)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("kb: build hnsw index: %w", err)
	}
	gin, err = build(`CREATE INDEX IF NOT EXISTS kb_chunks_tokens_idx ON kb_chunks USING gin (tokens)`)
	if err != nil {
		return 0, 0, fmt.Errorf("kb: build lexical index: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `ANALYZE kb_chunks, kb_articles, kb_terms`); err != nil {
		return 0, 0, fmt.Errorf("kb: analyze: %w", err)
	}
	return hnsw, gin, nil
}

// ANNQuery is the vector-only nearest-neighbour query of the embedder's dimension (top $2 for
// the query vector $1), the core of Search's vector half, for benchmarks.
func (s *Store) ANNQuery() string {
	expr, param := annExpr(s.embedder.Dim())
	return fmt.Sprintf(`SELECT c.id FROM kb_chunks c WHERE c.dim = %d ORDER BY %s <=> %s LIMIT $2`, s.embedder.Dim(), expr, param)
}

// EfSearch is the HNSW search list size Search uses.
func (s *Store) EfSearch() int { return s.efSearch }
