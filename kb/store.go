package kb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store keeps articles and their embedded chunks.
type Store struct {
	pool     *pgxpool.Pool
	embedder Embedder
	sql      searchSQL
	efSearch int
	scoring  scoring
	models   *modelCache
	probes   *probeCache
}

// NewStore returns a store that embeds chunks with e.
func NewStore(pool *pgxpool.Pool, e Embedder) *Store {
	return &Store{pool: pool, embedder: e, sql: newSearchSQL(e.Dim()), efSearch: DefaultEfSearch, scoring: defaultScoring, models: &modelCache{}, probes: &probeCache{}}
}

// Embedder is the store's embedder.
func (s *Store) Embedder() Embedder { return s.embedder }

// SetEfSearch changes the HNSW search list size (recall against speed; see `baton bench kb`).
func (s *Store) SetEfSearch(n int) { s.efSearch = max(n, 1) }

const articleCols = `id, title, body, language, status, tags, questions, source, created_at, updated_at, version`

func scanArticle(row pgx.Row) (Article, error) {
	var a Article
	err := row.Scan(&a.ID, &a.Title, &a.Body, &a.Language, &a.Status, &a.Tags, &a.Questions, &a.Source, &a.CreatedAt, &a.UpdatedAt, &a.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return Article{}, ErrNotFound
	}
	return a, err
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// ArticleCreate stores a new article (input already normalized), its chunks and its version 1.
func (s *Store) ArticleCreate(ctx context.Context, in ArticleInput, source string, by *int64) (Article, error) {
	var a Article
	rows, err := s.prepareChunks(ctx, in.Title, in.Body, in.Questions)
	if err != nil {
		return Article{}, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = scanArticle(tx.QueryRow(ctx, `INSERT INTO kb_articles (title, body, language, status, tags, questions, source, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+articleCols,
			in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions, source, by))
		if err != nil {
			return err
		}
		if err := s.writeChunksTx(ctx, tx, a.ID, rows); err != nil {
			return err
		}
		return versionRecordTx(ctx, tx, a, nil, ActionCreate, Change{By: by, Source: source}, nil)
	})
	if isUniqueViolation(err) {
		return Article{}, fmt.Errorf("%w: an article titled %q already exists in %s", ErrConflict, in.Title, in.Language)
	}
	if err != nil {
		return Article{}, fmt.Errorf("kb: create article: %w", err)
	}
	return a, nil
}

// ArticleUpsert creates the article, or updates the one with the same language and title; it
// reports whether it created one. Re-importing the same content therefore never duplicates it,
// and re-importing unchanged content changes nothing (no new version).
func (s *Store) ArticleUpsert(ctx context.Context, in ArticleInput, source string, by *int64) (Article, bool, error) {
	var a Article
	var created bool
	rows, err := s.prepareChunks(ctx, in.Title, in.Body, in.Questions)
	if err != nil {
		return Article{}, false, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		prev, err := scanArticle(tx.QueryRow(ctx, `SELECT `+articleCols+` FROM kb_articles
			WHERE language = $1 AND title = $2 FOR UPDATE`, in.Language, in.Title))
		switch {
		case err == nil && len(changedFields(prev, in)) == 0:
			a, created = prev, false
			return nil
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		a, err = scanArticle(flagRow{flag: &created, Row: tx.QueryRow(ctx, `INSERT INTO kb_articles (title, body, language, status, tags, questions, source, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (language, title) DO UPDATE SET body = EXCLUDED.body, status = EXCLUDED.status,
				tags = EXCLUDED.tags, questions = EXCLUDED.questions, updated_at = now(), version = kb_articles.version + 1
			RETURNING `+articleCols+`, (xmax = 0)`,
			in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions, source, by)})
		if err != nil {
			return err
		}
		if err := s.writeChunksTx(ctx, tx, a.ID, rows); err != nil {
			return err
		}
		if created {
			return versionRecordTx(ctx, tx, a, nil, ActionCreate, Change{By: by, Source: source}, nil)
		}
		var before *Article
		if prev.ID == a.ID {
			before = &prev
		}
		return versionRecordTx(ctx, tx, a, before, ActionImport, Change{By: by, Source: source}, nil)
	})
	if err != nil {
		return Article{}, false, fmt.Errorf("kb: upsert article: %w", err)
	}
	return a, created, nil
}

// ArticleUpdate replaces an article's fields, re-embeds it and records the new version. With
// ch.BaseVersion set, a save over a newer version fails with a *StaleError; a save that changes
// nothing records no version.
func (s *Store) ArticleUpdate(ctx context.Context, id int64, in ArticleInput, ch Change) (Article, error) {
	a, _, err := s.articleUpdate(ctx, id, in, ch, ActionUpdate, nil)
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
		return Article{}, fmt.Errorf("kb: update article: %w", err)
	}
	return a, err
}

// articleUpdate is ArticleUpdate and ArticleRestore; an empty in.Status keeps the article's. It
// reports whether anything changed.
func (s *Store) articleUpdate(ctx context.Context, id int64, in ArticleInput, ch Change, action string, restoredFrom *int) (Article, bool, error) {
	var a Article
	var changed bool
	rows, err := s.prepareChunks(ctx, in.Title, in.Body, in.Questions)
	if err != nil {
		return Article{}, false, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		prev, err := articleLockTx(ctx, tx, id, ch)
		if err != nil {
			return err
		}
		if in.Status == "" {
			in.Status = prev.Status
		}
		if len(changedFields(prev, in)) == 0 {
			a = prev
			return nil
		}
		changed = true
		a, err = scanArticle(tx.QueryRow(ctx, `UPDATE kb_articles SET title = $2, body = $3, language = $4, status = $5,
			tags = $6, questions = $7, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING `+articleCols,
			id, in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions))
		if err != nil {
			return err
		}
		if textChanged(prev, a) {
			if err := s.writeChunksTx(ctx, tx, a.ID, rows); err != nil {
				return err
			}
		}
		return versionRecordTx(ctx, tx, a, &prev, action, ch, restoredFrom)
	})
	if isUniqueViolation(err) {
		return Article{}, false, fmt.Errorf("%w: an article titled %q already exists in %s", ErrConflict, in.Title, in.Language)
	}
	if err != nil {
		return Article{}, false, err
	}
	return a, changed, nil
}

// ArticleSetStatus publishes, archives or unpublishes an article, recording the version.
func (s *Store) ArticleSetStatus(ctx context.Context, id int64, status string, ch Change) (Article, error) {
	var a Article
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		prev, err := articleLockTx(ctx, tx, id, ch)
		if err != nil {
			return err
		}
		if prev.Status == status {
			a = prev
			return nil
		}
		a, err = scanArticle(tx.QueryRow(ctx, `UPDATE kb_articles SET status = $2, updated_at = now(), version = version + 1
			WHERE id = $1 RETURNING `+articleCols, id, status))
		if err != nil {
			return err
		}
		return versionRecordTx(ctx, tx, a, &prev, ActionStatus, ch, nil)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
		return Article{}, fmt.Errorf("kb: set status: %w", err)
	}
	return a, err
}

// ArticleGet returns one article.
func (s *Store) ArticleGet(ctx context.Context, id int64) (Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, `SELECT `+articleCols+` FROM kb_articles WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Article{}, fmt.Errorf("kb: get article: %w", err)
	}
	return a, err
}

// ArticleFilter narrows ArticleList; empty fields match everything.
type ArticleFilter struct {
	Status   string
	Language string
	Tag      string
	// Query's words must all appear (case-insensitively) in the title, body or an alternative
	// question; Chinese is matched as typed, so "退货" finds 退货 anywhere.
	Query string
	Limit int
}

// ArticleList lists articles, those whose title matches the query first, then the most recently
// changed.
func (s *Store) ArticleList(ctx context.Context, f ArticleFilter) ([]Article, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	words := strings.Fields(strings.ToLower(f.Query))
	if words == nil {
		words = []string{}
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM kb_articles
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR language = $2) AND ($3 = '' OR $3 = ANY(tags))
		  AND NOT EXISTS (SELECT 1 FROM unnest($4::text[]) w
		      WHERE strpos(lower(title || E'\n' || body || E'\n' || array_to_string(questions, E'\n')), w) = 0)
		ORDER BY cardinality($4::text[]) > 0 AND NOT EXISTS (SELECT 1 FROM unnest($4::text[]) w
		      WHERE strpos(lower(title), w) = 0) DESC, updated_at DESC, id DESC
		LIMIT $5`, f.Status, f.Language, strings.ToLower(strings.TrimSpace(f.Tag)), words, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("kb: list articles: %w", err)
	}
	defer rows.Close()
	out := []Article{}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// prepareChunks cuts, tokenises and embeds an article's chunks before any transaction opens: an
// embedder may be a remote service, and an open transaction holds up the embedded database.
func (s *Store) prepareChunks(ctx context.Context, title, body string, questions []string) ([]ChunkRow, error) {
	chunks := Chunks(title, body, questions)
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.SearchText(title)
	}
	vecs, err := s.embedder.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("kb: embed article: %w", err)
	}
	rows := make([]ChunkRow, len(chunks))
	for i, c := range chunks {
		rows[i] = ChunkRow{Ord: i, Chunk: c, Tokens: Tokens(texts[i]), Embedding: vecs[i]}
	}
	return rows, nil
}

// writeChunksTx replaces an article's chunks with prepared ones.
func (s *Store) writeChunksTx(ctx context.Context, tx pgx.Tx, articleID int64, rows []ChunkRow) error {
	if _, err := tx.Exec(ctx, `DELETE FROM kb_chunks WHERE article_id = $1`, articleID); err != nil {
		return err
	}
	for i := range rows {
		rows[i].ArticleID = articleID
	}
	return s.insertChunks(ctx, tx, rows)
}

// ChunkRow is a chunk ready to store.
type ChunkRow struct {
	ArticleID int64
	Ord       int
	Chunk
	Tokens    []string
	Embedding []float32
}

// insertChunks writes rows in one statement (PGlite's wire protocol takes no COPY), so the
// document-frequency trigger runs once for them.
const insertChunks = `INSERT INTO kb_chunks (article_id, ord, kind, heading, text, tokens, chunker, embedder, dim, embedding)
SELECT a, o, k, h, t, string_to_array(tok, ' '), $7, $8, $9, e::vector
FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $10::text[]) AS r(a, o, k, h, t, tok, e)`

func (s *Store) insertChunks(ctx context.Context, q querier, rows []ChunkRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	ids, ords := make([]int64, n), make([]int32, n)
	kinds, heads, texts, toks, embs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, r := range rows {
		if len(r.Embedding) != s.embedder.Dim() {
			return fmt.Errorf("embedder %s returned %d dimensions, want %d", s.embedder.Name(), len(r.Embedding), s.embedder.Dim())
		}
		ids[i], ords[i] = r.ArticleID, int32(r.Ord)
		kinds[i], heads[i], texts[i] = r.Kind, r.Heading, r.Text
		toks[i] = strings.Join(r.Tokens, " ")
		embs[i] = VectorText(r.Embedding)
	}
	_, err := q.Exec(ctx, insertChunks, ids, ords, kinds, heads, texts, toks, ChunkerVersion, s.embedder.Name(), s.embedder.Dim(), embs)
	return err
}

// VectorText formats a vector as pgvector's text input, '[x,y,...]'.
func VectorText(v []float32) string {
	b := make([]byte, 0, len(v)*10+2)
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, float64(x), 'g', -1, 32)
	}
	return string(append(b, ']'))
}

// querier is a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// flagRow scans a row's columns followed by one extra boolean column.
type flagRow struct {
	pgx.Row
	flag *bool
}

func (f flagRow) Scan(dest ...any) error { return f.Row.Scan(append(dest, f.flag)...) }
