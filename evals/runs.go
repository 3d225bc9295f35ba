package evals

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/httpx"
)

//go:embed suites/*.yaml
var shippedSuites embed.FS

// ShippedSuites parses the suites built into the binary (evals/suites).
func ShippedSuites() ([]*Suite, error) {
	dir, err := writeShipped()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	suites, err := LoadSuites(dir)
	if err != nil {
		return nil, err
	}
	// Reports cite a case by its file: the one in the repository, not the copy that is gone.
	for _, s := range suites {
		s.Path = path.Join("evals/suites", filepath.Base(s.Path))
	}
	return suites, nil
}

// writeShipped copies the built-in suites to a temporary folder (suite paths are files).
func writeShipped() (string, error) {
	dir, err := os.MkdirTemp("", "baton-suites-")
	if err != nil {
		return "", err
	}
	err = fs.WalkDir(shippedSuites, "suites", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := shippedSuites.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.Base(path)), b, 0o600)
	})
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// Runs starts evaluation runs of the built-in suites from the workbench, one at a time, on an
// isolated Baton (see Launcher), and keeps every run's report in eval_runs.
type Runs struct {
	Pool   *pgxpool.Pool
	Launch Launcher
	Log    *slog.Logger
	// Ctx ends with the server; a run still going then is recorded as interrupted.
	Ctx context.Context

	mu      sync.Mutex
	running bool
	wg      sync.WaitGroup
}

// Wait blocks until a run in progress has stopped.
func (m *Runs) Wait() { m.wg.Wait() }

// RunRow is one stored run without its report.
type RunRow struct {
	ID         int64           `json:"id"`
	Suites     []string        `json:"suites"`
	Tags       []string        `json:"tags"`
	Status     string          `json:"status"`
	Error      string          `json:"error,omitempty"`
	Cases      int             `json:"cases"`
	Passed     int             `json:"passed"`
	DoneCases  int             `json:"done_cases"`
	TotalCases int             `json:"total_cases"`
	Summary    json.RawMessage `json:"summary"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

const runCols = `r.id, r.suites, r.tags, r.status, r.error, r.cases, r.passed, r.done_cases, r.total_cases, r.summary,
COALESCE(NULLIF(u.name, ''), u.email, ''), r.created_at, r.finished_at`

func scanRun(row pgx.Row) (RunRow, error) {
	var r RunRow
	err := row.Scan(&r.ID, &r.Suites, &r.Tags, &r.Status, &r.Error, &r.Cases, &r.Passed, &r.DoneCases, &r.TotalCases,
		&r.Summary, &r.CreatedBy, &r.CreatedAt, &r.FinishedAt)
	return r, err
}

// InterruptStale marks runs a stopped process left "running" as failed.
func (m *Runs) InterruptStale(ctx context.Context) error {
	_, err := m.Pool.Exec(ctx, `UPDATE eval_runs SET status = 'failed', error = 'interrupted: Baton stopped during the run',
finished_at = now() WHERE status = 'running'`)
	return err
}

// ErrRunInProgress is returned while another run is going.
var ErrRunInProgress = errors.New("an evaluation run is already in progress")

// Start records a run of the named built-in suites (all when none are named) and plays it in
// the background.
func (m *Runs) Start(ctx context.Context, by int64, names, tags []string) (RunRow, error) {
	all, err := ShippedSuites()
	if err != nil {
		return RunRow{}, err
	}
	var chosen []*Suite
	byName := map[string]*Suite{}
	for _, s := range all {
		byName[s.Name] = s
	}
	if len(names) == 0 {
		chosen = all
	}
	for _, n := range names {
		s, ok := byName[n]
		if !ok {
			return RunRow{}, &httpError{http.StatusBadRequest, fmt.Sprintf("no built-in suite is called %q", n)}
		}
		chosen = append(chosen, s)
	}
	total := 0
	for _, s := range chosen {
		for _, c := range s.Cases {
			if hasAnyTag(c.Tags, tags) {
				total++
			}
		}
	}
	if total == 0 {
		return RunRow{}, &httpError{http.StatusBadRequest, "no case of these suites has these tags"}
	}
	m.mu.Lock()
	if m.running {
		m.mu.Unlock()
		return RunRow{}, ErrRunInProgress
	}
	m.running = true
	m.mu.Unlock()
	release := func() {
		m.mu.Lock()
		m.running = false
		m.mu.Unlock()
	}
	suiteNames := make([]string, len(chosen))
	for i, s := range chosen {
		suiteNames[i] = s.Name
	}
	if tags == nil {
		tags = []string{}
	}
	var id int64
	err = m.Pool.QueryRow(ctx, `INSERT INTO eval_runs (suites, tags, total_cases, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
		suiteNames, tags, total, by).Scan(&id)
	if err != nil {
		release()
		return RunRow{}, err
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer release()
		m.play(id, chosen, tags)
	}()
	return m.Get(ctx, id)
}

func (m *Runs) play(id int64, suites []*Suite, tags []string) {
	ctx := m.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	started := time.Now()
	last := time.Time{}
	rep, err := Run(ctx, suites, RunOptions{Launch: m.Launch, Tags: tags, Parallel: 4,
		Progress: func(done, total int, _ *CaseResult) {
			if time.Since(last) < 500*time.Millisecond && done < total {
				return
			}
			last = time.Now()
			_, _ = m.Pool.Exec(context.Background(), `UPDATE eval_runs SET done_cases = $2 WHERE id = $1`, id, done)
		}})
	bg, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err != nil {
		msg := err.Error()
		if ctx.Err() != nil {
			msg = "interrupted: Baton stopped during the run"
		}
		m.logf("evaluation run failed", "run", id, "err", err)
		_, _ = m.Pool.Exec(bg, `UPDATE eval_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, id, msg)
		return
	}
	report, err := json.Marshal(rep)
	if err == nil {
		sum := *rep
		sum.Results = nil
		var summary []byte
		if summary, err = json.Marshal(sum); err == nil {
			_, err = m.Pool.Exec(bg, `UPDATE eval_runs SET status = 'done', cases = $2, passed = $3, done_cases = $2,
summary = $4, report = $5, finished_at = now() WHERE id = $1`, id, rep.Cases, rep.Passed, string(summary), string(report))
		}
	}
	if err != nil {
		m.logf("evaluation run not stored", "run", id, "err", err)
		_, _ = m.Pool.Exec(bg, `UPDATE eval_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, id, err.Error())
		return
	}
	if m.Log != nil {
		m.Log.Info("evaluation run done", "run", id, "cases", rep.Cases, "passed", rep.Passed,
			"seconds", time.Since(started).Round(time.Second).Seconds())
	}
}

func (m *Runs) logf(msg string, args ...any) {
	if m.Log != nil {
		m.Log.Error(msg, args...)
	}
}

// Get reads one run without its report.
func (m *Runs) Get(ctx context.Context, id int64) (RunRow, error) {
	return scanRun(m.Pool.QueryRow(ctx, `SELECT `+runCols+` FROM eval_runs r LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1`, id))
}

// Report reads a finished run's report.
func (m *Runs) Report(ctx context.Context, id int64) (*RunReport, error) {
	var b []byte
	if err := m.Pool.QueryRow(ctx, `SELECT report FROM eval_runs WHERE id = $1`, id).Scan(&b); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, &httpError{http.StatusConflict, "this run has no report (still running, or failed)"}
	}
	var r RunReport
	return &r, json.Unmarshal(b, &r)
}

type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func (m *Runs) fail(c *gin.Context, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		httpx.Error(c, he.code, he.msg)
	case errors.Is(err, pgx.ErrNoRows):
		httpx.Error(c, http.StatusNotFound, "no such evaluation run")
	case errors.Is(err, ErrRunInProgress):
		httpx.Error(c, http.StatusConflict, err.Error())
	default:
		httpx.Internal(c, err)
	}
}

func runID(c *gin.Context, key string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(key), 10, 64)
	if err != nil || id <= 0 {
		httpx.Error(c, http.StatusNotFound, "no such evaluation run")
		return 0, false
	}
	return id, true
}

// SuiteInfo describes a built-in suite.
type SuiteInfo struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Cases       int            `json:"cases"`
	Languages   map[string]int `json:"languages"`
	Tags        []string       `json:"tags"`
}

// ListSuites is GET /api/v1/eval/suites.
func (m *Runs) ListSuites(c *gin.Context) {
	all, err := ShippedSuites()
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	out := make([]SuiteInfo, 0, len(all))
	for _, s := range all {
		si := SuiteInfo{Name: s.Name, Description: s.Description, Cases: len(s.Cases), Languages: map[string]int{}, Tags: []string{}}
		tags := map[string]bool{}
		for _, c := range s.Cases {
			si.Languages[c.Language]++
			for _, t := range c.Tags {
				tags[t] = true
			}
		}
		for t := range tags {
			si.Tags = append(si.Tags, t)
		}
		sort.Strings(si.Tags)
		out = append(out, si)
	}
	c.JSON(http.StatusOK, gin.H{"suites": out})
}

// StartRun is POST /api/v1/eval/runs.
func (m *Runs) StartRun(c *gin.Context) {
	var in struct {
		Suites []string `json:"suites"`
		Tags   []string `json:"tags"`
	}
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	if len(in.Suites) > 100 || len(in.Tags) > 50 {
		httpx.Error(c, http.StatusBadRequest, "too many suites or tags")
		return
	}
	u, _ := auth.CurrentUser(c)
	run, err := m.Start(c.Request.Context(), u.ID, in.Suites, in.Tags)
	if err != nil {
		m.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"run": run})
}

// ListRuns is GET /api/v1/eval/runs: the latest 100, newest first.
func (m *Runs) ListRuns(c *gin.Context) {
	rows, err := m.Pool.Query(c.Request.Context(), `SELECT `+runCols+` FROM eval_runs r LEFT JOIN users u ON u.id = r.created_by
ORDER BY r.id DESC LIMIT 100`)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RunRow, error) { return scanRun(r) })
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if runs == nil {
		runs = []RunRow{}
	}
	c.JSON(http.StatusOK, gin.H{"runs": runs})
}

// GetRun is GET /api/v1/eval/runs/{id}.
func (m *Runs) GetRun(c *gin.Context) {
	id, ok := runID(c, "id")
	if !ok {
		return
	}
	run, err := m.Get(c.Request.Context(), id)
	if err != nil {
		m.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"run": run})
}

// GetReport is GET /api/v1/eval/runs/{id}/report: the whole JSON report; with ?format=html the
// self-contained HTML report, and ?format=junit JUnit XML.
func (m *Runs) GetReport(c *gin.Context) {
	id, ok := runID(c, "id")
	if !ok {
		return
	}
	rep, err := m.Report(c.Request.Context(), id)
	if err != nil {
		m.fail(c, err)
		return
	}
	if rep != nil {
		rep.MaskPII()
	}
	switch c.Query("format") {
	case "", "json":
		c.JSON(http.StatusOK, rep)
	case "html":
		// The report is a document of its own: inline styles and SVG, nothing else.
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.Status(http.StatusOK)
		_ = rep.WriteHTML(c.Writer, nil)
	case "junit":
		c.Header("Content-Type", "application/xml; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="eval-run-%d.xml"`, id))
		c.Status(http.StatusOK)
		_ = rep.WriteJUnit(c.Writer)
	default:
		httpx.Error(c, http.StatusBadRequest, "format must be json, html or junit")
	}
}

// CompareRuns is GET /api/v1/eval/compare?base=ID&run=ID: the second run against the first,
// with the same gate rules as `baton eval run --baseline`.
func (m *Runs) CompareRuns(c *gin.Context) {
	ids := [2]int64{}
	for i, k := range []string{"base", "run"} {
		id, err := strconv.ParseInt(c.Query(k), 10, 64)
		if err != nil || id <= 0 {
			httpx.Errorf(c, http.StatusBadRequest, "%s must be a run id", k)
			return
		}
		ids[i] = id
	}
	ctx := c.Request.Context()
	var reps [2]*RunReport
	var rows [2]RunRow
	for i, id := range ids {
		var err error
		if rows[i], err = m.Get(ctx, id); err != nil {
			m.fail(c, err)
			return
		}
		if reps[i], err = m.Report(ctx, id); err != nil {
			m.fail(c, err)
			return
		}
	}
	tol := DefaultTolerance
	if t := c.Query("tolerance"); t != "" {
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || v <= 0 || v > 1 {
			httpx.Error(c, http.StatusBadRequest, "tolerance must be a number between 0 and 1")
			return
		}
		tol = v
	}
	c.JSON(http.StatusOK, gin.H{"base": rows[0], "run": rows[1], "comparison": Compare(reps[0], reps[1], GateOptions{Tolerance: tol})})
}
