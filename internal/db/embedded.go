package db

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// embeddedMaxConns is how many connections the PGlite multiplexer accepts. PGlite is one Postgres
// session behind it: transactions on different connections take turns. The owner's pool takes
// ownerConns of them; a process sharing the database (a second `baton serve`, `baton migrate`)
// takes attachedConns, so two more can share it.
const (
	embeddedMaxConns       = 32
	ownerConns       int32 = 14
	attachedConns    int32 = 8
)

// Embedded is a PGlite server serving the data directory over the Postgres wire protocol.
// Only one process may own a data directory; a second Baton command shares the owner's server.
type Embedded struct {
	// URL is the connection string of the running server.
	URL   string
	lock  *os.File
	state string
	log   *slog.Logger

	// What a restart needs: the same server on the same port, so the pool's URL stays right.
	node, script, pgdata string
	port                 int

	mu       sync.Mutex // guards cmd, done and stopping; held while a restart starts the server
	cmd      *exec.Cmd
	done     chan error // the current child's exit
	stopping bool
	up       atomic.Bool
	failed   chan error // receives once when the server is down for good
	// stopCtx ends when Stop begins: a restart under way gives up at once.
	stopCtx context.Context
	stopNow context.CancelFunc
}

// Restarts of a server that died: at most maxRestarts within restartWindow, the n-th after n
// seconds; past that Baton gives up (Failed) rather than answer 500 forever.
const (
	maxRestarts   = 3
	restartWindow = 10 * time.Minute
)

type embeddedState struct {
	PID int    `json:"pid"`
	URL string `json:"url"`
}

// ErrDataDirBusy means another process owns the data directory and its database cannot be reached.
var ErrDataDirBusy = errors.New("db: data directory is in use by another baton process")

// StartEmbedded starts PGlite on dataDir, or attaches to the one another Baton process already runs
// there. Stop must be called on exit; for an attached server it only releases resources.
func StartEmbedded(ctx context.Context, dataDir, nodeModules string, log *slog.Logger) (*Embedded, error) {
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("db: data dir: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("db: create data dir: %w", err)
	}
	lockPath := filepath.Join(dataDir, "embedded.lock")
	statePath := filepath.Join(dataDir, "embedded.json")
	lf, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("db: open lock: %w", err)
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lf.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("db: lock data dir: %w", err)
		}
		return attachEmbedded(ctx, statePath, dataDir, log)
	}
	// We own the directory. A state file left by a crashed owner is stale.
	_ = os.Remove(statePath)

	script, err := findPGliteServer(nodeModules)
	if err != nil {
		lf.Close()
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		lf.Close()
		return nil, errors.New("db: the embedded database needs Node.js (`node` on PATH); install it or set DATABASE_URL")
	}
	e := &Embedded{lock: lf, state: statePath, log: log, node: node, script: script,
		pgdata: filepath.Join(dataDir, "pgdata"), failed: make(chan error, 1)}
	e.stopCtx, e.stopNow = context.WithCancel(context.Background())
	start := time.Now()
	// A port found free can be taken by another process before PGlite binds it; PGlite then exits
	// with EADDRINUSE and another port is tried.
	for attempt := 1; ; attempt++ {
		if e.port, err = freePort(); err != nil {
			lf.Close()
			return nil, err
		}
		e.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&application_name=%s", e.port, embeddedAppName)
		out, err := e.spawn()
		if err != nil {
			lf.Close()
			return nil, err
		}
		err = e.waitReady(ctx, out.listening, e.done, 120*time.Second)
		if err == nil {
			break
		}
		if out.portTaken() && attempt < 3 {
			<-e.done // it has exited
			log.Warn("embedded database port taken by another process; trying another", "port", e.port)
			continue
		}
		e.Stop()
		return nil, err
	}
	e.up.Store(true)
	go e.supervise()
	b, _ := json.Marshal(embeddedState{PID: os.Getpid(), URL: e.URL})
	if err := os.WriteFile(statePath, b, 0o600); err != nil {
		e.Stop()
		return nil, fmt.Errorf("db: write state: %w", err)
	}
	log.Info("embedded database ready", "data_dir", e.pgdata, "seconds", time.Since(start).Round(10*time.Millisecond).Seconds())
	return e, nil
}

// spawn starts the server process on e.port; e.mu is held or the server not yet shared.
func (e *Embedded) spawn() (*logWriter, error) {
	cmd := exec.Command(e.node, e.script,
		"--db="+e.pgdata,
		"--host=127.0.0.1",
		"--port="+strconv.Itoa(e.port),
		"--extensions=@electric-sql/pglite-pgvector:vector",
		"--max-connections="+strconv.Itoa(embeddedMaxConns),
	)
	cmd.Dir = filepath.Dir(filepath.Dir(e.script))
	// Own process group: a terminal's Ctrl-C reaches Baton, which stops the database last.
	// Pdeathsig: if Baton dies hard, the database is told to shut down instead of lingering.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	out := &logWriter{log: e.log.With("component", "pglite"), listening: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("db: start pglite: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	e.cmd, e.done = cmd, done
	return out, nil
}

// supervise restarts the server when it exits without Stop (bounded, see maxRestarts), and
// reports on Failed when it cannot.
func (e *Embedded) supervise() {
	var restarts []time.Time
	for {
		e.mu.Lock()
		done := e.done
		e.mu.Unlock()
		err := <-done
		done <- err // Stop reads it too
		e.mu.Lock()
		if e.stopping {
			e.mu.Unlock()
			return
		}
		e.up.Store(false)
		e.log.Error("embedded database exited unexpectedly; restarting it", "err", err)
		now := time.Now()
		recent := restarts[:0]
		for _, t := range restarts {
			if now.Sub(t) < restartWindow {
				recent = append(recent, t)
			}
		}
		restarts = recent
		var lastErr error = fmt.Errorf("db: pglite exited: %v", err)
		ok := false
		for len(restarts) < maxRestarts {
			restarts = append(restarts, time.Now())
			// The lock is not held while waiting, so Stop (a Ctrl-C) is never kept waiting.
			e.mu.Unlock()
			select {
			case <-time.After(time.Duration(len(restarts)) * time.Second):
			case <-e.stopCtx.Done():
				return
			}
			e.mu.Lock()
			if e.stopping {
				e.mu.Unlock()
				return
			}
			out, err := e.spawn()
			if err == nil {
				done := e.done
				e.mu.Unlock()
				err = e.waitReady(e.stopCtx, out.listening, done, 120*time.Second)
				e.mu.Lock()
				if e.stopping {
					e.mu.Unlock()
					return // Stop has stopped (or is stopping) what was started
				}
				if err == nil {
					ok = true
					break
				}
				_ = e.cmd.Process.Kill()
				e.done <- <-e.done // it has exited; Stop reads it too
			}
			lastErr = err
			e.log.Error("embedded database restart failed", "attempt", len(restarts), "err", err)
		}
		if ok {
			e.up.Store(true)
			e.log.Warn("embedded database restarted", "restarts in the last 10 minutes", len(restarts))
			e.mu.Unlock()
			continue
		}
		e.mu.Unlock()
		e.failed <- fmt.Errorf("db: the embedded database is down and could not be restarted %d times within %s: %w", maxRestarts, restartWindow, lastErr)
		return
	}
}

// Failed receives an error once the server this process owns has died and could not be restarted;
// it never receives for a shared server. Baton then exits non-zero.
func (e *Embedded) Failed() <-chan error {
	if e == nil || e.failed == nil {
		return nil
	}
	return e.failed
}

// Up reports whether the server this process owns is running (true for a shared one: its owner
// watches it).
func (e *Embedded) Up() bool {
	if e == nil || e.failed == nil {
		return true
	}
	return e.up.Load()
}

// attachEmbedded connects to the server another process owns, waiting briefly while it starts.
func attachEmbedded(ctx context.Context, statePath, dataDir string, log *slog.Logger) (*Embedded, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, err := os.ReadFile(statePath)
		if err == nil {
			var st embeddedState
			if json.Unmarshal(b, &st) == nil && st.URL != "" && ping(ctx, st.URL) == nil {
				log.Info("sharing the embedded database of another baton process", "pid", st.PID)
				return &Embedded{URL: st.URL, log: log}, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: %s is locked but its database does not answer; stop the other process or remove it if none runs", ErrDataDirBusy, dataDir)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (e *Embedded) waitReady(ctx context.Context, listening <-chan struct{}, done chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	bound := false
	for {
		if !bound {
			select {
			case <-listening:
				bound = true
			default:
			}
		}
		if bound {
			if err := ping(ctx, e.URL); err == nil {
				return nil
			}
		}
		select {
		case err := <-done:
			done <- err
			return fmt.Errorf("db: pglite exited before it was ready: %v (see its log above)", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("db: pglite not ready after %s", limit)
		}
	}
}

// PID is the server process's id, 0 when this process does not own it.
func (e *Embedded) PID() int {
	if e == nil {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cmd == nil || e.cmd.Process == nil {
		return 0
	}
	return e.cmd.Process.Pid
}

// Owner reports whether this process started the server (rather than sharing another's).
func (e *Embedded) Owner() bool { return e.failed != nil }

// Stop shuts the server down (if this process owns it) and releases the data directory.
func (e *Embedded) Stop() {
	if e == nil || e.failed == nil {
		return
	}
	e.stopNow()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cmd == nil {
		return
	}
	e.stopping = true
	_ = os.Remove(e.state)
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-e.done:
		e.done <- err
	case <-time.After(20 * time.Second):
		e.log.Warn("embedded database did not stop in time; killing it")
		_ = e.cmd.Process.Kill()
		e.done <- <-e.done
	}
	e.lock.Close()
	e.cmd = nil
	e.up.Store(false)
	e.log.Info("embedded database stopped")
}

func ping(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.BuildContextWatcherHandler = deadlineWatcher
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("db: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// findPGliteServer locates pglite-socket's server script: in nodeModules if given, else in a
// node_modules folder beside or above the executable or the working directory.
func findPGliteServer(nodeModules string) (string, error) {
	const rel = "@electric-sql/pglite-socket/dist/scripts/server.js"
	var candidates []string
	if nodeModules != "" {
		candidates = append(candidates, filepath.Join(nodeModules, rel))
	} else {
		var starts []string
		if exe, err := os.Executable(); err == nil {
			if exe, err = filepath.EvalSymlinks(exe); err == nil {
				starts = append(starts, filepath.Dir(exe))
			}
		}
		if wd, err := os.Getwd(); err == nil {
			starts = append(starts, wd)
		}
		for _, dir := range starts {
			for {
				candidates = append(candidates, filepath.Join(dir, "node_modules", rel))
				parent := filepath.Dir(dir)
				if parent == dir {
					break
				}
				dir = parent
			}
		}
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", errors.New("db: the embedded database's npm packages are not installed; run `make build` (npm ci), set BATON_NODE_MODULES, or set DATABASE_URL")
}

// logWriter turns the child's output lines into debug log records.
type logWriter struct {
	log *slog.Logger
	buf []byte
	// listening is closed when PGlite says its socket is bound: only then is a server answering on
	// the port ours (another process may have taken the port between freePort and the bind, and
	// its server would answer a ping while ours is still loading).
	listening chan struct{}
	heard     bool
	mu        sync.Mutex
	addrInUse bool
}

// portTaken says whether PGlite reported that its port was in use.
func (w *logWriter) portTaken() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.addrInUse
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := strings.IndexByte(string(w.buf), '\n')
		if i < 0 {
			break
		}
		line := strings.TrimSpace(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
		if line == "" || strings.HasPrefix(line, "Client connected") {
			continue
		}
		if strings.Contains(line, "EADDRINUSE") {
			w.mu.Lock()
			w.addrInUse = true
			w.mu.Unlock()
		}
		if !w.heard && strings.HasPrefix(line, "PGLiteSocketServer listening") && w.listening != nil {
			w.heard = true
			close(w.listening)
		}
		if strings.Contains(strings.ToLower(line), "error") {
			w.log.Warn(line)
		} else {
			w.log.Debug(line)
		}
	}
	return len(p), nil
}

var _ io.Writer = (*logWriter)(nil)
