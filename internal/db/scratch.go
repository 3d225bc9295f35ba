package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Scratch is a throwaway database for evaluations and benchmarks: a fresh embedded server in a
// temporary directory when url is empty, otherwise a temporary schema on the server url names.
// Nothing it holds outlives Close.
type Scratch struct {
	Pool     *pgxpool.Pool
	URL      string // connection string of the scratch database (with its search_path)
	Embedded bool
	schema   string
	baseURL  string
	dir      string
	server   *Embedded
	keep     bool
}

// ServerPID is the embedded server's process id, 0 on DATABASE_URL.
func (s *Scratch) ServerPID() int {
	if s.server == nil {
		return 0
	}
	return s.server.PID()
}

// ScratchOptions tune a scratch database.
type ScratchOptions struct {
	// SharedBuffers sets the embedded server's shared_buffers (e.g. "512MB"; it restarts once to
	// apply it). PGlite's default is 128MB. Ignored for DATABASE_URL.
	SharedBuffers string
}

// OpenScratch creates the scratch database. The caller applies migrations. On DATABASE_URL (a
// real Postgres: PGlite's connections share one session, so a schema per connection does not
// isolate there) it is a temporary schema.
func OpenScratch(ctx context.Context, url, nodeModules string, log *slog.Logger, opts ...ScratchOptions) (*Scratch, error) {
	var opt ScratchOptions
	if len(opts) > 0 {
		opt = opts[0]
	}
	s := &Scratch{baseURL: url}
	if url == "" {
		dir, err := os.MkdirTemp("", "baton-scratch-")
		if err != nil {
			return nil, fmt.Errorf("db: scratch dir: %w", err)
		}
		s.dir = dir
		data := filepath.Join(dir, "data")
		e, err := StartEmbedded(ctx, data, nodeModules, log)
		if err == nil && opt.SharedBuffers != "" {
			e, err = restartWith(ctx, e, data, nodeModules, log, "shared_buffers", opt.SharedBuffers)
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.server, s.URL, s.Embedded = e, e.URL, true
	} else {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		s.schema = fmt.Sprintf("baton_scratch_%d_%s", os.Getpid(), hex.EncodeToString(b))
		admin, err := NewPool(ctx, url, false)
		if err != nil {
			return nil, err
		}
		// The extension lives outside the scratch schema, so dropping the schema leaves it alone.
		_, err = admin.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA "+s.schema)
		admin.Close()
		if err != nil {
			return nil, fmt.Errorf("db: create scratch schema: %w", err)
		}
		s.URL = withParam(url, "search_path", s.schema+",public")
	}
	pool, err := NewPool(ctx, s.URL, s.Embedded)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Pool = pool
	return s, nil
}

// Keep makes Close leave the data in place (the schema, or the data directory) and returns where
// it is, for inspection.
func (s *Scratch) Keep() string {
	s.keep = true
	if s.schema != "" {
		return s.URL
	}
	return filepath.Join(s.dir, "data")
}

// Close drops the scratch schema, or stops the scratch server and removes its files.
func (s *Scratch) Close() {
	if s == nil {
		return
	}
	if s.Pool != nil {
		s.Pool.Close()
	}
	if s.schema != "" && !s.keep {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if admin, err := NewPool(ctx, s.baseURL, false); err == nil {
			_, _ = admin.Exec(ctx, "DROP SCHEMA IF EXISTS "+s.schema+" CASCADE")
			admin.Close()
		}
	}
	s.server.Stop()
	if s.dir != "" && !s.keep {
		os.RemoveAll(s.dir)
	}
}

// restartWith sets a server parameter that needs a restart (ALTER SYSTEM; PGlite reads
// postgresql.auto.conf at start) and restarts the embedded server.
func restartWith(ctx context.Context, e *Embedded, data, nodeModules string, log *slog.Logger, name, value string) (*Embedded, error) {
	conn, err := pgx.Connect(ctx, e.URL+"&default_query_exec_mode=simple_protocol")
	if err != nil {
		e.Stop()
		return nil, err
	}
	_, err = conn.Exec(ctx, fmt.Sprintf("ALTER SYSTEM SET %s = %s", pgx.Identifier{name}.Sanitize(), quoteLiteral(value)))
	conn.Close(ctx)
	e.Stop()
	if err != nil {
		return nil, fmt.Errorf("db: set %s: %w", name, err)
	}
	return StartEmbedded(ctx, data, nodeModules, log)
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func withParam(u, key, value string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + key + "=" + value
}
