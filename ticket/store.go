package ticket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store keeps tickets, their timelines and escalations in Postgres.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

const staffName = `COALESCE(NULLIF(%[1]s.name, ''), split_part(%[1]s.email, '@', 1))`

var ticketSelect = `
SELECT t.id, t.type, t.priority, t.status, COALESCE(t.pending_on, ''), t.team, t.assignee_id, ` + fmt.Sprintf(staffName, "au") + `,
  t.subject, t.description, t.order_number, t.attachments, t.language, COALESCE(t.customer_id::text, ''),
  COALESCE(cu.name, ''), COALESCE(t.conversation_id::text, ''), t.created_by, ` + fmt.Sprintf(staffName, "cb") + `,
  t.created_at, t.updated_at, t.due_at, t.touched_at, t.solved_at, t.closed_at,
  t.status IN ('new', 'open', 'pending') AND t.due_at < now(),
  ARRAY(SELECT e.kind FROM ticket_escalations e WHERE e.ticket_id = t.id ORDER BY e.kind)
FROM tickets t
LEFT JOIN users au ON au.id = t.assignee_id
LEFT JOIN users cb ON cb.id = t.created_by
LEFT JOIN customers cu ON cu.id = t.customer_id`

func scanTicket(row pgx.Row) (Ticket, error) {
	var t Ticket
	var assigneeID, createdBy *int64
	var assigneeName, creatorName *string
	var attachments []byte
	err := row.Scan(&t.ID, &t.Type, &t.Priority, &t.Status, &t.PendingOn, &t.Team, &assigneeID, &assigneeName,
		&t.Subject, &t.Description, &t.OrderNumber, &attachments, &t.Language, &t.CustomerID,
		&t.CustomerName, &t.ConversationID, &createdBy, &creatorName,
		&t.CreatedAt, &t.UpdatedAt, &t.DueAt, &t.TouchedAt, &t.SolvedAt, &t.ClosedAt, &t.Overdue, &t.Escalations)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, err
	}
	t.Number = Number(t.ID)
	if assigneeID != nil && assigneeName != nil {
		t.Assignee = &Person{ID: *assigneeID, Name: *assigneeName}
	}
	if createdBy != nil && creatorName != nil {
		t.CreatedBy = &Person{ID: *createdBy, Name: *creatorName}
	}
	t.Attachments = []Attachment{}
	_ = json.Unmarshal(attachments, &t.Attachments)
	if t.Escalations == nil {
		t.Escalations = []string{}
	}
	return t, nil
}

// querier is the pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Get returns one ticket.
func (s *Store) Get(ctx context.Context, id int64) (Ticket, error) {
	return getTicket(ctx, s.pool, id, false)
}

func getTicket(ctx context.Context, q querier, id int64, forUpdate bool) (Ticket, error) {
	if forUpdate {
		// Lock the row first (the select joins outer tables, which FOR UPDATE cannot lock).
		var one int
		if err := q.QueryRow(ctx, `SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE`, id).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
			return Ticket{}, ErrNotFound
		} else if err != nil {
			return Ticket{}, fmt.Errorf("ticket: lock: %w", err)
		}
	}
	t, err := scanTicket(q.QueryRow(ctx, ticketSelect+` WHERE t.id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return t, fmt.Errorf("ticket: get: %w", err)
	}
	return t, err
}

// Filter narrows a ticket list. Empty fields do not filter.
type Filter struct {
	Teams          []string // any of these teams
	Statuses       []string // any of these statuses; empty: all
	AssigneeID     int64
	CustomerID     string
	ConversationID string
	// Query matches the number, subject, order number or customer name.
	Query  string
	Limit  int
	Offset int
}

// List returns tickets matching f: open ones first by due time, then the rest newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Ticket, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	num := int64(0)
	if id, ok := ParseNumber(f.Query); ok {
		num = id
	}
	rows, err := s.pool.Query(ctx, ticketSelect+`
		WHERE (cardinality($1::text[]) = 0 OR t.team = ANY($1))
		  AND (cardinality($2::text[]) = 0 OR t.status = ANY($2))
		  AND ($3::bigint = 0 OR t.assignee_id = $3)
		  AND ($4::text = '' OR t.customer_id::text = $4)
		  AND ($5::text = '' OR t.conversation_id::text = $5)
		  AND ($6::text = '' OR t.id = $7 OR t.subject ILIKE '%' || $6 || '%' OR t.order_number ILIKE '%' || $6 || '%'
		       OR cu.name ILIKE '%' || $6 || '%')
		ORDER BY t.status IN ('new', 'open', 'pending') DESC,
		  CASE WHEN t.status IN ('new', 'open', 'pending') THEN t.due_at END ASC, t.id DESC
		LIMIT $8 OFFSET $9`,
		nonNil(f.Teams), nonNil(f.Statuses), f.AssigneeID, f.CustomerID, f.ConversationID, likeEscape(f.Query), num, f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("ticket: list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Ticket, error) { return scanTicket(r) })
	if err != nil {
		return nil, fmt.Errorf("ticket: list: %w", err)
	}
	if out == nil {
		out = []Ticket{}
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// likeEscape makes user text match literally inside ILIKE '%…%'.
func likeEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}

// Events returns a ticket's timeline, oldest first.
func (s *Store) Events(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT e.id, e.kind, e.actor_id, `+fmt.Sprintf(staffName, "a")+`, e.body, e.data, e.created_at
		FROM ticket_events e LEFT JOIN users a ON a.id = e.actor_id WHERE e.ticket_id = $1 ORDER BY e.id`, id)
	if err != nil {
		return nil, fmt.Errorf("ticket: events: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		var actorID *int64
		var actorName *string
		err := r.Scan(&e.ID, &e.Kind, &actorID, &actorName, &e.Body, &e.Data, &e.CreatedAt)
		if actorID != nil && actorName != nil {
			e.Actor = &Person{ID: *actorID, Name: *actorName}
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("ticket: events: %w", err)
	}
	if out == nil {
		out = []Event{}
	}
	return out, nil
}

// addEvent writes one timeline entry in tx. actor 0 is Baton itself.
func addEvent(ctx context.Context, tx pgx.Tx, id, actor int64, kind, body string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	var actorID *int64
	if actor != 0 {
		actorID = &actor
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ticket_events (ticket_id, actor_id, kind, body, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
		id, actorID, kind, body, string(b)); err != nil {
		return fmt.Errorf("ticket: event %s: %w", kind, err)
	}
	return nil
}

// change is the {"from", "to"} of a timeline entry.
type change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// dueFor is when a ticket of priority created now is due by the configured SLA.
func dueFor(ctx context.Context, q querier, priority string) (time.Time, error) {
	var due time.Time
	err := q.QueryRow(ctx, `SELECT now() + make_interval(mins => t.due_minutes) FROM (`+slaTargets+`) t
		WHERE t.priority = $1`, priority).Scan(&due)
	if err != nil {
		return due, fmt.Errorf("ticket: due time: %w", err)
	}
	return due, nil
}
