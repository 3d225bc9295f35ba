// Package db opens Baton's Postgres: the server DATABASE_URL names, or the embedded PGlite one.
package db

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
)

// Database is an open pool plus, when embedded, the server behind it.
type Database struct {
	Pool     *pgxpool.Pool
	URL      string
	Embedded *Embedded // nil when DATABASE_URL was given
}

// Open connects to url, or starts (or shares) the embedded database in dataDir when url is empty.
func Open(ctx context.Context, url, dataDir, nodeModules string, log *slog.Logger) (*Database, error) {
	d := &Database{URL: url}
	if url == "" {
		e, err := StartEmbedded(ctx, dataDir, nodeModules, log)
		if err != nil {
			return nil, err
		}
		d.Embedded, d.URL = e, e.URL
	}
	conns := ownerConns
	if d.Embedded != nil && !d.Embedded.Owner() {
		conns = attachedConns
	}
	pool, err := newPool(ctx, d.URL, d.OnEmbedded(), conns)
	if err != nil {
		d.Embedded.Stop()
		return nil, err
	}
	d.Pool = pool
	return d, nil
}

// embeddedAppName marks the embedded server's URL, so a process given that URL as DATABASE_URL
// (a test, a second command) still talks to it the way PGlite needs.
const embeddedAppName = "baton-pglite"

// IsEmbeddedURL reports a URL of the embedded server.
func IsEmbeddedURL(url string) bool {
	return strings.Contains(url, "application_name="+embeddedAppName)
}

// OnEmbedded reports whether the database is the embedded PGlite, started here or elsewhere.
func (d *Database) OnEmbedded() bool { return d.Embedded != nil || IsEmbeddedURL(d.URL) }

// NewPool opens a pgx pool. For the embedded server queries use the simple protocol: PGlite's
// connections share one session, and its multiplexer interleaves the extended protocol's
// Parse/Bind/Execute messages of concurrent connections (measured here: "portal does not exist"),
// while each simple Query message runs whole. pgx still escapes every parameter.
func NewPool(ctx context.Context, url string, embedded bool) (*pgxpool.Pool, error) {
	return newPool(ctx, url, embedded, ownerConns)
}

// newPool is NewPool with at most conns connections to the embedded server.
func newPool(ctx context.Context, url string, embedded bool, conns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse url: %w", err)
	}
	if embedded {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
		cfg.MaxConns = conns // the multiplexer has room for other processes too
		// PGlite does not answer cancel requests; interrupt a cancelled query by deadline instead
		// of waiting out pgx's cancel timeout.
		cfg.ConnConfig.BuildContextWatcherHandler = deadlineWatcher
		dial := cfg.ConnConfig.DialFunc
		cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &pgliteConn{Conn: c}, nil
		}
	}
	cfg.ConnConfig.Tracer = countingTracer{}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		// The vector type exists only after the first migration; register it when it does.
		var ok bool
		if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'vector')").Scan(&ok); err != nil {
			return err
		}
		if ok {
			return pgxvec.RegisterTypes(ctx, c)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: ping: %w", err)
	}
	return pool, nil
}

// pgliteConn is a connection to the embedded server, which neither answers a cancel request nor
// hangs up after a Terminate. pgx, closing a connection whose query was interrupted (at every
// shutdown: the event poller's, the sweepers'), sends both and reads until the server hangs up,
// for up to 15 s each: the pool's Close, and so Baton's exit, waited that long. Once either
// message is written the connection reads as closed, as a real server's would be.
type pgliteConn struct {
	net.Conn
	over atomic.Bool
}

func (c *pgliteConn) Write(b []byte) (int, error) {
	if isCancelRequest(b) || isTerminate(b) {
		c.over.Store(true)
	}
	return c.Conn.Write(b)
}

func (c *pgliteConn) Read(b []byte) (int, error) {
	if c.over.Load() {
		return 0, io.EOF
	}
	return c.Conn.Read(b)
}

// isCancelRequest: length 16, code 80877102, then the backend's pid and key.
func isCancelRequest(b []byte) bool {
	return len(b) == 16 && binary.BigEndian.Uint32(b[0:4]) == 16 && binary.BigEndian.Uint32(b[4:8]) == 80877102
}

// isTerminate: 'X' and length 4, written on its own.
func isTerminate(b []byte) bool {
	return len(b) == 5 && b[0] == 'X' && binary.BigEndian.Uint32(b[1:5]) == 4
}

func deadlineWatcher(c *pgconn.PgConn) ctxwatch.Handler {
	return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
}

// Close closes the pool and then stops the embedded server, in that order.
func (d *Database) Close() {
	if d == nil {
		return
	}
	if d.Pool != nil {
		d.Pool.Close()
	}
	d.Embedded.Stop()
}

// queries counts the statements this process sent through any pool (a round trip each), for
// benchmarks that report round trips per operation.
var queries atomic.Int64

// QueryCount is how many statements this process's pools have sent so far.
func QueryCount() int64 { return queries.Load() }

// countingTracer counts statements (a batch as one); it does nothing else.
type countingTracer struct{}

func (countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	queries.Add(1)
	return ctx
}

func (countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// A batch is one round trip, however many statements it holds.
func (countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	queries.Add(1)
	return ctx
}

func (countingTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
