package csat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/events"
)

// Kind is the live event a rating sends on its conversation's topic: the customer's other tabs
// and the agent's page read the rating again.
const Kind = "csat"

// Store reads and writes ratings.
type Store struct {
	pool *pgxpool.Pool
	// EditWindow is how long after the first rating it may be changed.
	EditWindow time.Duration
}

// NewStore returns a store whose ratings may be changed for window (≤ 0: DefaultEditWindow).
func NewStore(pool *pgxpool.Pool, window time.Duration) *Store {
	if window <= 0 {
		window = DefaultEditWindow
	}
	return &Store{pool: pool, EditWindow: window}
}

func (s *Store) windowSecs() float64 { return s.EditWindow.Seconds() }

// conversationSQL reads what decides whether a conversation may be rated, and its rating.
// A person took part when a handoff was claimed or an agent wrote; "resolved" needs a handoff
// a person resolved. $2 is the edit window in seconds.
const conversationSQL = `
SELECT c.status,
       EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id AND h.status = 'resolved' AND h.claimed_by IS NOT NULL),
       EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id AND h.claimed_by IS NOT NULL)
         OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'agent'),
       EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'bot'),
       r.score, r.comment, r.created_at, r.updated_at,
       r.created_at + make_interval(secs => $2), now() < r.created_at + make_interval(secs => $2),
       coalesce(r.by_bot, false)
  FROM conversations c
  LEFT JOIN csat_ratings r ON r.conversation_id = c.id AND r.ticket_id IS NULL
 WHERE c.id = $1`

// linkedTicketsSQL lists the tickets linked to a conversation (created from it, or announced in it
// as solved by a ticket_solved system message) that are solved or already rated.
const linkedTicketsSQL = `
SELECT t.id, t.subject, t.status IN ('solved', 'closed'),
       r.score, r.comment, r.created_at, r.updated_at,
       r.created_at + make_interval(secs => $2), now() < r.created_at + make_interval(secs => $2)
  FROM tickets t
  LEFT JOIN csat_ratings r ON r.ticket_id = t.id
 WHERE t.id IN (` + linkedIDs + `)
   AND (t.status IN ('solved', 'closed') OR r.id IS NOT NULL)
 ORDER BY t.id`

// linkedIDs are the ids of the tickets linked to conversation $1.
const linkedIDs = `SELECT id FROM tickets WHERE conversation_id = $1
UNION SELECT (m.meta->>'ticket_id')::bigint FROM messages m
 WHERE m.conversation_id = $1 AND m.sender = 'system' AND m.meta->>'kind' = 'ticket_solved'
   AND m.meta->>'ticket_id' ~ '^[0-9]{1,18}$'`

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// convFacts is what decides whether a conversation may be rated.
type convFacts struct {
	status                     string
	resolved, person, botSpoke bool
	// ratedByBot: the conversation's rating went to the bot.
	ratedByBot bool
}

// supersedes reports whether a person has since resolved a conversation whose rating went to
// the bot (the customer rated the bot's answer, then asked for a person): the person's work is
// asked about, and the new rating replaces the bot's, whatever its window.
func (f convFacts) supersedes() bool {
	ok, byBot := f.rateable()
	return f.ratedByBot && ok && !byBot
}

// rateable: resolved by a person and not back with one; or a bot-only conversation the bot has
// answered, while no person is coming.
func (f convFacts) rateable() (ok, byBot bool) {
	open := f.status == "queued" || f.status == "assigned"
	if f.resolved && !open {
		return true, false
	}
	if !f.person && !open && f.botSpoke {
		return true, true
	}
	return false, !f.person
}

// scanGiven fills an Ask's rating from nullable columns.
func (a *Ask) scanGiven(score *int16, comment *string, created, updated, until *time.Time, open *bool) {
	if score == nil {
		return
	}
	a.Rating = &Given{Score: int(*score), Comment: *comment, CreatedAt: *created, UpdatedAt: *updated}
	a.CanChange = open != nil && *open
	a.ChangeUntil = until
}

func (s *Store) conversationAsk(ctx context.Context, q querier, convID string) (Ask, convFacts, error) {
	var f convFacts
	var a Ask
	var score *int16
	var comment *string
	var created, updated, until *time.Time
	var open *bool
	err := q.QueryRow(ctx, conversationSQL, convID, s.windowSecs()).Scan(&f.status, &f.resolved, &f.person, &f.botSpoke,
		&score, &comment, &created, &updated, &until, &open, &f.ratedByBot)
	if err != nil {
		return a, f, fmt.Errorf("csat: read conversation: %w", err)
	}
	if !f.supersedes() {
		a.scanGiven(score, comment, created, updated, until, open)
	}
	ok, byBot := f.rateable()
	a.CanRate, a.ByBot = ok && a.Rating == nil, byBot
	return a, f, nil
}

// State returns what the customer of convID may rate and what they rated.
func (s *Store) State(ctx context.Context, convID string) (State, error) {
	return s.state(ctx, s.pool, convID)
}

func (s *Store) state(ctx context.Context, q querier, convID string) (State, error) {
	st := State{Tickets: []Ask{}, EditWindowSeconds: int(s.windowSecs())}
	var err error
	if st.Conversation, _, err = s.conversationAsk(ctx, q, convID); err != nil {
		return st, err
	}
	rows, err := q.Query(ctx, linkedTicketsSQL, convID, s.windowSecs())
	if err != nil {
		return st, fmt.Errorf("csat: read tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Ask
		var id int64
		var solved bool
		var score *int16
		var comment *string
		var created, updated, until *time.Time
		var open *bool
		if err := rows.Scan(&id, &a.Subject, &solved, &score, &comment, &created, &updated, &until, &open); err != nil {
			return st, fmt.Errorf("csat: read tickets: %w", err)
		}
		a.TicketID = &id
		a.scanGiven(score, comment, created, updated, until, open)
		a.CanRate = solved && a.Rating == nil
		st.Tickets = append(st.Tickets, a)
	}
	return st, rows.Err()
}

// Rate records the customer's rating of conversation convID (or of in.TicketID), or changes it
// while the edit window is open, and returns the conversation's state after it. in must be valid
// (see Validate).
func (s *Store) Rate(ctx context.Context, convID string, in Input) (State, error) {
	var st State
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One rating at a time per conversation: a double click stores one rating.
		var customerID *string
		if err := tx.QueryRow(ctx, `SELECT customer_id FROM conversations WHERE id = $1 FOR UPDATE`, convID).Scan(&customerID); err != nil {
			return fmt.Errorf("csat: lock conversation: %w", err)
		}
		var err error
		if in.TicketID == nil {
			err = s.rateConversation(ctx, tx, convID, customerID, in)
		} else {
			err = s.rateTicket(ctx, tx, convID, customerID, in)
		}
		if err != nil {
			return err
		}
		if err := events.Notify(ctx, tx, events.Event{Topic: events.ConversationTopic(convID), Kind: Kind}); err != nil {
			return err
		}
		st, err = s.state(ctx, tx, convID)
		return err
	})
	return st, err
}

// changeIfExists changes the rating the query finds while its window is open; found reports
// whether there was one.
func (s *Store) changeIfExists(ctx context.Context, tx pgx.Tx, where string, arg any, in Input) (found bool, err error) {
	var id int64
	var open bool
	err = tx.QueryRow(ctx, `SELECT id, now() < created_at + make_interval(secs => $2) FROM csat_ratings WHERE `+where+` FOR UPDATE`,
		arg, s.windowSecs()).Scan(&id, &open)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("csat: read rating: %w", err)
	case !open:
		return true, ErrWindowClosed
	}
	if _, err := tx.Exec(ctx, `UPDATE csat_ratings SET score = $2, comment = $3, updated_at = now() WHERE id = $1`,
		id, in.Score, in.Comment); err != nil {
		return true, fmt.Errorf("csat: change rating: %w", err)
	}
	return true, nil
}

const insertSQL = `INSERT INTO csat_ratings (conversation_id, ticket_id, customer_id, score, comment, agent_id, team, by_bot)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

func (s *Store) rateConversation(ctx context.Context, tx pgx.Tx, convID string, customerID *string, in Input) error {
	_, f, err := s.conversationAsk(ctx, tx, convID)
	if err != nil {
		return err
	}
	if !f.supersedes() {
		if found, err := s.changeIfExists(ctx, tx, `conversation_id = $1 AND ticket_id IS NULL`, convID, in); found || err != nil {
			return err
		}
	}
	ok, byBot := f.rateable()
	if !ok {
		return ErrNotRateable
	}
	// The agent who last held it, and that handoff's team.
	var agentID *int64
	var team *string
	if !byBot {
		err := tx.QueryRow(ctx, `SELECT claimed_by, skill FROM handoffs WHERE conversation_id = $1 AND claimed_by IS NOT NULL
			ORDER BY id DESC LIMIT 1`, convID).Scan(&agentID, &team)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("csat: read handoff: %w", err)
		}
	}
	if f.supersedes() {
		if _, err := tx.Exec(ctx, `UPDATE csat_ratings SET score = $2, comment = $3, agent_id = $4, team = $5, by_bot = false,
			created_at = now(), updated_at = now() WHERE conversation_id = $1 AND ticket_id IS NULL`,
			convID, in.Score, in.Comment, agentID, team); err != nil {
			return fmt.Errorf("csat: replace the bot's rating: %w", err)
		}
		return nil
	}
	if _, err := tx.Exec(ctx, insertSQL, convID, nil, customerID, in.Score, in.Comment, agentID, team, byBot); err != nil {
		return fmt.Errorf("csat: insert rating: %w", err)
	}
	return nil
}

func (s *Store) rateTicket(ctx context.Context, tx pgx.Tx, convID string, customerID *string, in Input) error {
	var status, team string
	var assignee *int64
	err := tx.QueryRow(ctx, `SELECT status, team, assignee_id FROM tickets WHERE id = $2 AND id IN (`+linkedIDs+`) FOR UPDATE`,
		convID, *in.TicketID).Scan(&status, &team, &assignee)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNoTicket
	}
	if err != nil {
		return fmt.Errorf("csat: read ticket: %w", err)
	}
	if found, err := s.changeIfExists(ctx, tx, `ticket_id = $1`, *in.TicketID, in); found || err != nil {
		return err
	}
	if status != "solved" && status != "closed" {
		return ErrNotRateable
	}
	if _, err := tx.Exec(ctx, insertSQL, convID, *in.TicketID, customerID, in.Score, in.Comment, assignee, team, false); err != nil {
		return fmt.Errorf("csat: insert rating: %w", err)
	}
	return nil
}
