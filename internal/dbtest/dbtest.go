// Package dbtest gives tests a real, migrated Postgres with pgvector: the embedded PGlite server
// (one per test binary) unless TEST_DATABASE_URL names a server, in which case each test binary
// works in a schema of its own. Every New call starts from empty tables.
package dbtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/migrations"
)

var (
	mu       sync.Mutex
	shared   *pgxpool.Pool
	url      string
	embedded *db.Embedded
	tmpDir   string
	schema   string
)

// Main wraps testing.M so the embedded server is stopped when the package's tests end.
// Use it as: func TestMain(m *testing.M) { dbtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if shared != nil {
		if schema != "" {
			_, _ = shared.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		}
		shared.Close()
	}
	embedded.Stop()
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	mu.Unlock()
	os.Exit(code)
}

// URL returns the connection string of the test server (starting it if needed), for tests that
// open their own pool or run the binary against it.
func URL(t testing.TB) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if err := start(); err != nil {
		t.Fatal(err)
	}
	return url
}

// Embedded reports whether tests run on the embedded server.
func Embedded() bool { return os.Getenv("TEST_DATABASE_URL") == "" }

// New returns a pool on a migrated schema whose tables are all empty.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if err := start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := shared.Exec(ctx, truncateAll); err != nil {
		t.Fatalf("dbtest: truncate: %v", err)
	}
	return shared
}

// truncateAll empties every table of the current schema but goose's version table. The audit
// log refuses a TRUNCATE (it is append-only, migration 0023): it is emptied last, with triggers
// off for that statement only, so the other tables' TRUNCATE triggers still fire.
const truncateAll = `DO $$
DECLARE t text;
BEGIN
  SELECT string_agg(format('%I', tablename), ', ') INTO t
    FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('goose_db_version', 'audit_log');
  IF t IS NOT NULL THEN
    EXECUTE 'TRUNCATE ' || t || ' RESTART IDENTITY CASCADE';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_log') THEN
    SET LOCAL session_replication_role = replica;
    TRUNCATE audit_log RESTART IDENTITY;
    SET LOCAL session_replication_role = origin;
  END IF;
END $$`

func start() error {
	if shared != nil {
		return nil
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("BATON_TEST_VERBOSE") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	url = os.Getenv("TEST_DATABASE_URL")
	isEmbedded := url == ""
	if isEmbedded {
		dir, err := os.MkdirTemp("", "baton-test-db-")
		if err != nil {
			return err
		}
		tmpDir = dir
		e, err := db.StartEmbedded(ctx, filepath.Join(dir, "data"), nodeModules(), log)
		if err != nil {
			return fmt.Errorf("dbtest: %w", err)
		}
		embedded, url = e, e.URL
	} else {
		// One schema per test binary, so packages tested in parallel do not share tables.
		schema = fmt.Sprintf("test_%d", os.Getpid())
		p, err := db.NewPool(ctx, url, false)
		if err != nil {
			return err
		}
		_, err = p.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS vector; DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema)
		p.Close()
		if err != nil {
			return fmt.Errorf("dbtest: create schema: %w", err)
		}
		url = withSearchPath(url, schema)
	}
	p, err := db.NewPool(ctx, url, isEmbedded)
	if err != nil {
		return err
	}
	if _, err := migrations.Up(ctx, p); err != nil {
		p.Close()
		return err
	}
	p.Reset() // new connections register the vector type the migration created
	shared = p
	return nil
}

func withSearchPath(u, schema string) string {
	sep := "?"
	for _, c := range u {
		if c == '?' {
			sep = "&"
		}
	}
	return u + sep + "search_path=" + schema + ",public"
}

// nodeModules finds the repository's node_modules from this source file's location.
func nodeModules() string {
	if v := os.Getenv("BATON_NODE_MODULES"); v != "" {
		return v
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "node_modules")
}
