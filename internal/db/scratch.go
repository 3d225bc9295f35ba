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
}

// OpenScratch creates the scratch database. The caller applies migrations.
func OpenScratch(ctx context.Context, url, nodeModules string, log *slog.Logger) (*Scratch, error) {
	s := &Scratch{baseURL: url}
	if url == "" {
		dir, err := os.MkdirTemp("", "baton-scratch-")
		if err != nil {
			return nil, fmt.Errorf("db: scratch dir: %w", err)
		}
		s.dir = dir
		e, err := StartEmbedded(ctx, filepath.Join(dir, "data"), nodeModules, log)
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

// Close drops the scratch schema, or stops the scratch server and removes its files.
func (s *Scratch) Close() {
	if s == nil {
		return
	}
	if s.Pool != nil {
		s.Pool.Close()
	}
	if s.schema != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if admin, err := NewPool(ctx, s.baseURL, false); err == nil {
			_, _ = admin.Exec(ctx, "DROP SCHEMA IF EXISTS "+s.schema+" CASCADE")
			admin.Close()
		}
	}
	s.server.Stop()
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

func withParam(u, key, value string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + key + "=" + value
}
