package canned

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store keeps canned responses.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

const cols = `id, shortcut, title, language, body, owner_id, created_at, updated_at`

func scan(row pgx.Row) (Response, error) {
	var r Response
	err := row.Scan(&r.ID, &r.Shortcut, &r.Title, &r.Language, &r.Body, &r.OwnerID, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Response{}, ErrNotFound
	}
	r.Personal = r.OwnerID != nil
	return r, err
}

// Filter narrows a listing.
type Filter struct {
	// Query matches the start of a shortcut or any part of a title, ignoring case.
	Query    string
	Language string
}

// listQuery finds the shared responses and the viewer's own, by shortcut (at most 500).
const listQuery = `SELECT ` + cols + ` FROM canned_responses
WHERE (owner_id IS NULL OR owner_id = $1)
  AND ($2 = '' OR lower(shortcut) LIKE $3 ESCAPE '\' OR lower(title) LIKE $4 ESCAPE '\')
  AND ($5 = '' OR language = $5)
ORDER BY lower(shortcut), language, owner_id NULLS LAST, id
LIMIT 500`

// List returns the responses viewer may use: the shared ones and their own.
func (s *Store) List(ctx context.Context, viewer int64, f Filter) ([]Response, error) {
	q := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f.Query), "/"))
	like := escapeLike(q)
	rows, err := s.pool.Query(ctx, listQuery, viewer, q, like+"%", "%"+like+"%", f.Language)
	if err != nil {
		return nil, fmt.Errorf("canned: list: %w", err)
	}
	defer rows.Close()
	out := []Response{}
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Get returns one response viewer may see.
func (s *Store) Get(ctx context.Context, id, viewer int64) (Response, error) {
	r, err := scan(s.pool.QueryRow(ctx, `SELECT `+cols+` FROM canned_responses
		WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)`, id, viewer))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Response{}, fmt.Errorf("canned: get: %w", err)
	}
	return r, err
}

// Create stores a normalized input; a personal one belongs to by.
func (s *Store) Create(ctx context.Context, in Input, by int64) (Response, error) {
	var owner *int64
	if in.Personal {
		owner = &by
	}
	r, err := scan(s.pool.QueryRow(ctx, `INSERT INTO canned_responses (shortcut, title, language, body, owner_id, created_by)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+cols, in.Shortcut, in.Title, in.Language, in.Body, owner, by))
	return r, s.writeErr("create", in, err)
}

// Update changes a response's content (not whether it is personal).
func (s *Store) Update(ctx context.Context, id int64, in Input) (Response, error) {
	r, err := scan(s.pool.QueryRow(ctx, `UPDATE canned_responses SET shortcut = $2, title = $3, language = $4, body = $5,
		updated_at = now() WHERE id = $1 RETURNING `+cols, id, in.Shortcut, in.Title, in.Language, in.Body))
	return r, s.writeErr("update", in, err)
}

func (s *Store) writeErr(op string, in Input, err error) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil, errors.Is(err, ErrNotFound):
		return err
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		return fmt.Errorf("%w: the shortcut /%s is already used in %s", ErrConflict, in.Shortcut, in.Language)
	}
	return fmt.Errorf("canned: %s: %w", op, err)
}

// Delete removes a response.
func (s *Store) Delete(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM canned_responses WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("canned: delete: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// EnsureShared adds the shared responses whose shortcut is free in their language, leaving any
// existing one (perhaps edited since) alone; it returns how many it added.
func (s *Store) EnsureShared(ctx context.Context, ins []Input) (int, error) {
	added := 0
	for _, in := range ins {
		if err := in.Normalize(); err != nil {
			return added, err
		}
		tag, err := s.pool.Exec(ctx, `INSERT INTO canned_responses (shortcut, title, language, body)
			VALUES ($1, $2, $3, $4) ON CONFLICT (lower(shortcut), language) WHERE owner_id IS NULL DO NOTHING`,
			in.Shortcut, in.Title, in.Language, in.Body)
		if err != nil {
			return added, fmt.Errorf("canned: ensure: %w", err)
		}
		added += int(tag.RowsAffected())
	}
	return added, nil
}
