package compliance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/events"
)

// DB is what the store's reads and writes run on: the pool or a transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const ruleCols = `id, phrase, language, match, action, exceptions, note, active, created_by, created_at, updated_at`

func scanRule(row pgx.Row) (Rule, error) {
	var r Rule
	err := row.Scan(&r.ID, &r.Phrase, &r.Language, &r.Match, &r.Action, &r.Exceptions, &r.Note, &r.Active,
		&r.CreatedBy, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	if r.Exceptions == nil {
		r.Exceptions = []string{}
	}
	return r, err
}

func listRules(ctx context.Context, db DB, activeOnly bool) ([]Rule, error) {
	rows, err := db.Query(ctx, `SELECT `+ruleCols+` FROM compliance_rules
		WHERE active OR NOT $1 ORDER BY id`, activeOnly)
	if err != nil {
		return nil, fmt.Errorf("compliance: list rules: %w", err)
	}
	defer rows.Close()
	out := []Rule{}
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("compliance: list rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Store reads and changes the rules and the log of hits.
type Store struct {
	Pool *pgxpool.Pool
}

// Rules lists every rule, active or not.
func (s *Store) Rules(ctx context.Context) ([]Rule, error) { return listRules(ctx, s.Pool, false) }

// RuleCreate adds a rule (in has been normalised) and tells every process.
func (s *Store) RuleCreate(ctx context.Context, in RuleInput, by *int64) (Rule, error) {
	var r Rule
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		r, err = scanRule(tx.QueryRow(ctx, `INSERT INTO compliance_rules
			(phrase, language, match, action, exceptions, note, active, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+ruleCols,
			in.Phrase, in.Language, in.Match, in.Action, in.Exceptions, in.Note, *in.Active, by))
		if err != nil {
			return err
		}
		return events.Notify(ctx, tx, events.Event{Topic: Topic, Kind: "rules", Seq: r.ID})
	})
	if err != nil {
		return Rule{}, fmt.Errorf("compliance: create rule: %w", err)
	}
	return r, nil
}

// RuleUpdate replaces a rule's fields.
func (s *Store) RuleUpdate(ctx context.Context, id int64, in RuleInput) (Rule, error) {
	var r Rule
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		r, err = scanRule(tx.QueryRow(ctx, `UPDATE compliance_rules SET phrase = $2, language = $3, match = $4,
			action = $5, exceptions = $6, note = $7, active = $8, updated_at = now()
			WHERE id = $1 RETURNING `+ruleCols,
			id, in.Phrase, in.Language, in.Match, in.Action, in.Exceptions, in.Note, *in.Active))
		if err != nil {
			return err
		}
		return events.Notify(ctx, tx, events.Event{Topic: Topic, Kind: "rules", Seq: r.ID})
	})
	if errors.Is(err, ErrNotFound) {
		return Rule{}, err
	}
	if err != nil {
		return Rule{}, fmt.Errorf("compliance: update rule: %w", err)
	}
	return r, nil
}

// RuleDelete removes a rule; its logged hits stay (their rule_id becomes NULL, the phrase stays).
func (s *Store) RuleDelete(ctx context.Context, id int64) error {
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM compliance_rules WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return events.Notify(ctx, tx, events.Event{Topic: Topic, Kind: "rules", Seq: id})
	})
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("compliance: delete rule: %w", err)
	}
	return nil
}

// Where a hit happened and what came of it.
const (
	SourceAgentReply  = "agent_reply"
	SourceBotAnswer   = "bot_answer"
	SourceBotTemplate = "bot_template"
	SourceKBArticle   = "kb_article"

	OutcomeBlocked          = "blocked"
	OutcomeWarned           = "warned"
	OutcomeSentAfterWarning = "sent_after_warning"
)

// HitContext says where hits happened: who wrote the text, in which conversation and language.
type HitContext struct {
	Source         string
	UserID         *int64
	ConversationID string // "" = none
	Language       string
}

// LogHits records hits, one row per rule (a phrase written twice in one reply is one hit), with
// the outcome: outcome "" takes blocked for a blocking rule and warned for a warning one.
func LogHits(ctx context.Context, db DB, hits []Hit, at HitContext, outcome string) error {
	seen := map[int64]bool{}
	var conv *string
	if at.ConversationID != "" {
		conv = &at.ConversationID
	}
	for _, h := range hits {
		if seen[h.RuleID] {
			continue
		}
		seen[h.RuleID] = true
		o := outcome
		if o == "" {
			o = OutcomeWarned
			if h.Action == ActionBlock {
				o = OutcomeBlocked
			}
		}
		if _, err := db.Exec(ctx, `INSERT INTO compliance_hits (rule_id, phrase, source, outcome, user_id, conversation_id, language)
			VALUES ((SELECT id FROM compliance_rules WHERE id = $1), $2, $3, $4, $5, $6, $7)`,
			h.RuleID, h.Phrase, at.Source, o, at.UserID, conv, at.Language); err != nil {
			return fmt.Errorf("compliance: log hit: %w", err)
		}
	}
	return nil
}

// LoggedHit is one row of the log, with who and which rule.
type LoggedHit struct {
	ID             int64     `json:"id"`
	RuleID         *int64    `json:"rule_id"`
	Phrase         string    `json:"phrase"`
	Action         string    `json:"action,omitempty"` // the rule's action now; "" when the rule is gone
	Source         string    `json:"source"`
	Outcome        string    `json:"outcome"`
	UserID         *int64    `json:"user_id"`
	UserName       string    `json:"user_name,omitempty"`
	ConversationID *string   `json:"conversation_id"`
	Language       string    `json:"language"`
	CreatedAt      time.Time `json:"created_at"`
}

// HitFilter narrows the log; zero values do not filter.
type HitFilter struct {
	Source, Outcome string
	RuleID          int64
	UserID          int64
	Since           time.Time
	Limit           int
}

// Hits lists logged hits, newest first.
func (s *Store) Hits(ctx context.Context, f HitFilter) ([]LoggedHit, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = DefaultHitsLimit
	}
	var since *time.Time
	if !f.Since.IsZero() {
		since = &f.Since
	}
	rows, err := s.Pool.Query(ctx, `SELECT h.id, h.rule_id, h.phrase, COALESCE(r.action, ''), h.source, h.outcome,
			h.user_id, COALESCE(NULLIF(u.name, ''), u.email, ''), h.conversation_id::text, h.language, h.created_at
		FROM compliance_hits h
		LEFT JOIN compliance_rules r ON r.id = h.rule_id
		LEFT JOIN users u ON u.id = h.user_id
		WHERE ($1 = '' OR h.source = $1) AND ($2 = '' OR h.outcome = $2)
		  AND ($3 = 0 OR h.rule_id = $3) AND ($4 = 0 OR h.user_id = $4)
		  AND ($5::timestamptz IS NULL OR h.created_at >= $5)
		ORDER BY h.id DESC LIMIT $6`, f.Source, f.Outcome, f.RuleID, f.UserID, since, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("compliance: list hits: %w", err)
	}
	defer rows.Close()
	out := []LoggedHit{}
	for rows.Next() {
		var h LoggedHit
		if err := rows.Scan(&h.ID, &h.RuleID, &h.Phrase, &h.Action, &h.Source, &h.Outcome, &h.UserID, &h.UserName,
			&h.ConversationID, &h.Language, &h.CreatedAt); err != nil {
			return nil, fmt.Errorf("compliance: list hits: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// EnsureRules adds the rules (normalised here) whose phrase no rule has yet; it returns how many
// it added. The demo seeds its rules with it.
func (s *Store) EnsureRules(ctx context.Context, rules []RuleInput) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		for _, in := range rules {
			if err := in.Normalize(); err != nil {
				return fmt.Errorf("rule %q: %w", in.Phrase, err)
			}
			tag, err := tx.Exec(ctx, `INSERT INTO compliance_rules (phrase, language, match, action, exceptions, note, active)
				SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM compliance_rules WHERE phrase = $1)`,
				in.Phrase, in.Language, in.Match, in.Action, in.Exceptions, in.Note, *in.Active)
			if err != nil {
				return err
			}
			n += int(tag.RowsAffected())
		}
		if n == 0 {
			return nil
		}
		return events.Notify(ctx, tx, events.Event{Topic: Topic, Kind: "rules"})
	})
	if err != nil {
		return 0, fmt.Errorf("compliance: ensure rules: %w", err)
	}
	return n, nil
}
