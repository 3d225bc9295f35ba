package kb

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
)

// Store keeps articles and their embedded chunks.
type Store struct {
	pool     *pgxpool.Pool
	embedder Embedder
}

// NewStore returns a store that embeds chunks with e.
func NewStore(pool *pgxpool.Pool, e Embedder) *Store { return &Store{pool: pool, embedder: e} }

const articleCols = `id, title, body, language, status, tags, questions, source, created_at, updated_at`

func scanArticle(row pgx.Row) (Article, error) {
	var a Article
	err := row.Scan(&a.ID, &a.Title, &a.Body, &a.Language, &a.Status, &a.Tags, &a.Questions, &a.Source, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Article{}, ErrNotFound
	}
	return a, err
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// ArticleCreate stores a new article (input already normalized) and its chunks.
func (s *Store) ArticleCreate(ctx context.Context, in ArticleInput, source string, by *int64) (Article, error) {
	var a Article
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = scanArticle(tx.QueryRow(ctx, `INSERT INTO kb_articles (title, body, language, status, tags, questions, source, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+articleCols,
			in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions, source, by))
		if err != nil {
			return err
		}
		return s.writeChunksTx(ctx, tx, a)
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
// reports whether it created one. Re-importing the same content therefore never duplicates it.
func (s *Store) ArticleUpsert(ctx context.Context, in ArticleInput, source string, by *int64) (Article, bool, error) {
	var a Article
	var created bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = scanArticle(flagRow{flag: &created, Row: tx.QueryRow(ctx, `INSERT INTO kb_articles (title, body, language, status, tags, questions, source, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (language, title) DO UPDATE SET body = EXCLUDED.body, status = EXCLUDED.status,
				tags = EXCLUDED.tags, questions = EXCLUDED.questions, updated_at = now()
			RETURNING `+articleCols+`, (xmax = 0)`,
			in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions, source, by)})
		if err != nil {
			return err
		}
		return s.writeChunksTx(ctx, tx, a)
	})
	if err != nil {
		return Article{}, false, fmt.Errorf("kb: upsert article: %w", err)
	}
	return a, created, nil
}

// ArticleUpdate replaces an article's fields and re-embeds it.
func (s *Store) ArticleUpdate(ctx context.Context, id int64, in ArticleInput) (Article, error) {
	var a Article
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = scanArticle(tx.QueryRow(ctx, `UPDATE kb_articles SET title = $2, body = $3, language = $4, status = $5,
			tags = $6, questions = $7, updated_at = now() WHERE id = $1 RETURNING `+articleCols,
			id, in.Title, in.Body, in.Language, in.Status, in.Tags, in.Questions))
		if err != nil {
			return err
		}
		return s.writeChunksTx(ctx, tx, a)
	})
	if isUniqueViolation(err) {
		return Article{}, fmt.Errorf("%w: an article titled %q already exists in %s", ErrConflict, in.Title, in.Language)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Article{}, fmt.Errorf("kb: update article: %w", err)
	}
	return a, err
}

// ArticleSetStatus publishes, archives or unpublishes an article.
func (s *Store) ArticleSetStatus(ctx context.Context, id int64, status string) (Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, `UPDATE kb_articles SET status = $2, updated_at = now()
		WHERE id = $1 RETURNING `+articleCols, id, status))
	if err != nil && !errors.Is(err, ErrNotFound) {
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
	Query    string // substring of the title
	Limit    int
}

// ArticleList lists articles, most recently changed first.
func (s *Store) ArticleList(ctx context.Context, f ArticleFilter) ([]Article, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM kb_articles
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR language = $2)
		  AND ($3 = '' OR strpos(lower(title), lower($3)) > 0)
		ORDER BY updated_at DESC, id DESC LIMIT $4`, f.Status, f.Language, f.Query, f.Limit)
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

// writeChunksTx replaces an article's chunks with freshly embedded ones.
func (s *Store) writeChunksTx(ctx context.Context, tx pgx.Tx, a Article) error {
	if _, err := tx.Exec(ctx, `DELETE FROM kb_chunks WHERE article_id = $1`, a.ID); err != nil {
		return err
	}
	chunks := Chunks(a.Title, a.Body, a.Questions)
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.Text
	}
	vecs, err := s.embedder.Embed(texts)
	if err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	// Batched inserts: PGlite's wire protocol does not take COPY.
	b := &pgx.Batch{}
	for i, c := range chunks {
		b.Queue(`INSERT INTO kb_chunks (article_id, ord, kind, text, embedder, dim, embedding)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, i, c.Kind, c.Text, s.embedder.Name(), s.embedder.Dim(), pgvector.NewVector(vecs[i]))
	}
	return tx.SendBatch(ctx, b).Close()
}

// flagRow scans a row's columns followed by one extra boolean column.
type flagRow struct {
	pgx.Row
	flag *bool
}

func (f flagRow) Scan(dest ...any) error { return f.Row.Scan(append(dest, f.flag)...) }
