// Package audit keeps the staff audit log: who changed what, or read a customer's full record,
// when and from where. A gin middleware records every request by a signed-in staff user that is
// not a read (GET, HEAD, OPTIONS) on a staff route, after its handler ran, plus the reads of a
// customer's full record and every sign-in attempt; request bodies are never recorded. The log
// is append-only (a trigger refuses updates and deletes, migration 0023); admins page through it
// and export it as CSV.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Entry is one line of the audit log.
type Entry struct {
	ID         int64          `json:"id"`
	At         time.Time      `json:"at"`
	ActorID    *int64         `json:"actor_id"`
	ActorEmail string         `json:"actor_email"`
	ActorRole  string         `json:"actor_role"`
	Action     string         `json:"action"`
	TargetType string         `json:"target_type"`
	TargetID   string         `json:"target_id"`
	IP         string         `json:"ip"`
	UserAgent  string         `json:"user_agent"`
	Status     int            `json:"status"`
	Detail     map[string]any `json:"detail"`
}

// Log writes and reads the audit log.
type Log struct {
	Pool *pgxpool.Pool
	// Log receives the failures to write an entry (never a request body).
	Log *slog.Logger
}

// New returns the audit log on pool.
func New(pool *pgxpool.Pool, log *slog.Logger) *Log { return &Log{Pool: pool, Log: log} }

const maxUserAgent = 300

// Write appends e (its ID and At are set by the database).
func (l *Log) Write(ctx context.Context, e Entry) error {
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return fmt.Errorf("audit: detail: %w", err)
	}
	if len(e.UserAgent) > maxUserAgent {
		e.UserAgent = strings.ToValidUTF8(e.UserAgent[:maxUserAgent], "")
	}
	_, err = l.Pool.Exec(ctx, `INSERT INTO audit_log (actor_id, actor_email, actor_role, action, target_type, target_id,
		ip, user_agent, status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ActorID, e.ActorEmail, e.ActorRole, e.Action, e.TargetType, e.TargetID, e.IP, e.UserAgent, e.Status, string(detail))
	if err != nil {
		return fmt.Errorf("audit: write %s: %w", e.Action, err)
	}
	return nil
}

// Filter narrows a listing. Empty fields match everything; Before pages backwards by id.
type Filter struct {
	// Actor matches the actor's e-mail (a substring, case-insensitive) or, when a number, their id.
	Actor string
	// Action matches the action exactly, or every action starting with it when it ends in "." or "*".
	Action string
	// TargetType and TargetID match exactly.
	TargetType, TargetID string
	From, To             *time.Time
	// Before lists entries with a smaller id (the next page); Limit caps the page (1-500).
	Before int64
	Limit  int
}

// ListEntries returns the entries matching f, newest first.
func (l *Log) ListEntries(ctx context.Context, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if a := strings.TrimSpace(f.Actor); a != "" {
		if id, err := strconv.ParseInt(a, 10, 64); err == nil {
			where = append(where, "actor_id = "+arg(id))
		} else {
			where = append(where, "strpos(lower(actor_email), lower("+arg(a)+")) > 0")
		}
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		if p, ok := strings.CutSuffix(a, "*"); ok {
			where = append(where, "starts_with(action, "+arg(p)+")")
		} else if strings.HasSuffix(a, ".") {
			where = append(where, "starts_with(action, "+arg(a)+")")
		} else {
			where = append(where, "action = "+arg(a))
		}
	}
	if f.TargetType != "" {
		where = append(where, "target_type = "+arg(f.TargetType))
	}
	if f.TargetID != "" {
		where = append(where, "target_id = "+arg(f.TargetID))
	}
	if f.From != nil {
		where = append(where, "at >= "+arg(*f.From))
	}
	if f.To != nil {
		where = append(where, "at < "+arg(*f.To))
	}
	if f.Before > 0 {
		where = append(where, "id < "+arg(f.Before))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT id, at, actor_id, actor_email, actor_role, action, target_type, target_id, ip, user_agent, status, detail
FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT " + arg(f.Limit)
	rows, err := l.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		var detail []byte
		err := r.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorEmail, &e.ActorRole, &e.Action, &e.TargetType, &e.TargetID,
			&e.IP, &e.UserAgent, &e.Status, &detail)
		if err == nil {
			err = json.Unmarshal(detail, &e.Detail)
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return entries, nil
}
