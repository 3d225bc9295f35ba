// Package migrations holds Baton's schema as numbered SQL files, embedded in the binary, and applies
// them with goose: each migration in its own transaction, its version recorded in the same one.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// Result is one applied or rolled-back migration.
type Result struct {
	Version int64
	Name    string
}

func provider(pool *pgxpool.Pool) (*goose.Provider, *sql.DB, error) {
	// Two Batons starting together on one database take turns: an advisory lock (one per schema,
	// so scratch schemas side by side do not wait for each other) is held while migrating.
	var schema string
	if err := pool.QueryRow(context.Background(), `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("baton migrations " + schema))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 600))
	if err != nil {
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	// Out of order: features developed side by side got their numbers before they were merged, so a
	// database may hold a later number without an earlier one; each migration stands alone.
	p, err := goose.NewProvider(goose.DialectPostgres, db, files, goose.WithAllowOutofOrder(true), goose.WithSessionLocker(locker))
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	return p, db, nil
}

// Up applies every pending migration and returns those it applied.
func Up(ctx context.Context, pool *pgxpool.Pool) ([]Result, error) {
	p, db, err := provider(pool)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rs, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: up: %w", err)
	}
	return results(rs), nil
}

// DownTo rolls back every migration above version (0 rolls back everything).
func DownTo(ctx context.Context, pool *pgxpool.Pool, version int64) ([]Result, error) {
	p, db, err := provider(pool)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rs, err := p.DownTo(ctx, version)
	if err != nil {
		return nil, fmt.Errorf("migrations: down: %w", err)
	}
	return results(rs), nil
}

// Pending reports how many migrations are not yet applied; readiness needs zero.
func Pending(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	p, db, err := provider(pool)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrations: versions: %w", err)
	}
	n := 0
	for _, s := range p.ListSources() {
		if s.Version > current && s.Version <= target {
			n++
		}
	}
	return n, nil
}

func results(rs []*goose.MigrationResult) []Result {
	out := make([]Result, 0, len(rs))
	for _, r := range rs {
		out = append(out, Result{Version: r.Source.Version, Name: r.Source.Path})
	}
	return out
}
