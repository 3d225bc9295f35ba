package ticket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// MaxComment is the longest internal comment, in characters.
const MaxComment = 10000

// Patch is a change to a ticket; nil fields stay as they are. AssigneeID 0 unassigns.
type Patch struct {
	Status      *string       `json:"status"`
	PendingOn   *string       `json:"pending_on"`
	Priority    *string       `json:"priority"`
	Team        *string       `json:"team"`
	AssigneeID  *int64        `json:"assignee_id"`
	DueAt       *time.Time    `json:"due_at"`
	Type        *string       `json:"type"`
	Subject     *string       `json:"subject"`
	Description *string       `json:"description"`
	OrderNumber *string       `json:"order_number"`
	Attachments *[]Attachment `json:"attachments"`
}

// Update applies p to ticket id as by, writing one timeline entry per kind of change and, when
// the ticket becomes solved, telling the customer in its conversation — all in one transaction.
// A closed ticket changes no more (ErrTransition), nor does a status move transitions forbid.
func (s *Store) Update(ctx context.Context, id int64, p Patch, by int64) (Ticket, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := getTicket(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if old.Status == StatusClosed {
			return fmt.Errorf("%w: the ticket is closed", ErrTransition)
		}
		t := old
		var fields []string
		if err := applyFields(&t, p, &fields); err != nil {
			return err
		}
		if p.Priority != nil && *p.Priority != old.Priority {
			if !oneOf(*p.Priority, Priorities) {
				return invalid("priority must be one of %s", strings.Join(Priorities, ", "))
			}
			t.Priority = *p.Priority
			if err := addEvent(ctx, tx, id, by, "priority", "", change{old.Priority, t.Priority}); err != nil {
				return err
			}
		}
		if p.Team != nil && strings.TrimSpace(*p.Team) != old.Team {
			team := strings.TrimSpace(*p.Team)
			if team == "" || utf8.RuneCountInString(team) > maxShort {
				return invalid("team must be 1 to %d characters", maxShort)
			}
			t.Team = team
			if err := addEvent(ctx, tx, id, by, "team", "", change{old.Team, team}); err != nil {
				return err
			}
		}
		if p.AssigneeID != nil {
			var before, after *int64
			if old.Assignee != nil {
				before = &old.Assignee.ID
			}
			if *p.AssigneeID != 0 {
				after = p.AssigneeID
				if err := checkAssignee(ctx, tx, *after); err != nil {
					return err
				}
			}
			if (before == nil) != (after == nil) || (before != nil && *before != *after) {
				t.Assignee = nil
				if after != nil {
					t.Assignee = &Person{ID: *after}
				}
				if err := assignTx(ctx, tx, id, by, before, after); err != nil {
					return err
				}
				// Someone has taken a new ticket: it is being worked on.
				if after != nil && old.Status == StatusNew && p.Status == nil {
					open := StatusOpen
					p.Status = &open
				}
			}
		}
		if err := applyStatus(ctx, tx, &t, old, p, by); err != nil {
			return err
		}
		if len(fields) > 0 {
			if err := addEvent(ctx, tx, id, by, "updated", "", map[string]any{"fields": fields}); err != nil {
				return err
			}
		}
		var assignee *int64
		if t.Assignee != nil {
			assignee = &t.Assignee.ID
		}
		var oldAssignee *int64
		if old.Assignee != nil {
			oldAssignee = &old.Assignee.ID
		}
		// A save that changes nothing is no work on the ticket: it does not touch it (an untouched
		// ticket past due still escalates) and leaves no trace.
		if len(fields) == 0 && t.Status == old.Status && t.PendingOn == old.PendingOn && t.Priority == old.Priority &&
			t.Team == old.Team && (assignee == nil) == (oldAssignee == nil) && (assignee == nil || *assignee == *oldAssignee) {
			return nil
		}
		atts, _ := json.Marshal(t.Attachments)
		if _, err := tx.Exec(ctx, `UPDATE tickets SET type = $2, priority = $3, status = $4, pending_on = NULLIF($5, ''),
			team = $6, assignee_id = $7, subject = $8, description = $9, order_number = $10, attachments = $11::jsonb,
			due_at = $12,
			solved_at = CASE WHEN $4 = 'solved' AND status <> 'solved' THEN now() WHEN $4 IN ('new', 'open', 'pending') THEN NULL ELSE solved_at END,
			closed_at = CASE WHEN $4 = 'closed' THEN now() ELSE closed_at END,
			touched_at = COALESCE(touched_at, now()), updated_at = now()
			WHERE id = $1`, id, t.Type, t.Priority, t.Status, t.PendingOn, t.Team, assignee, t.Subject, t.Description,
			t.OrderNumber, string(atts), t.DueAt); err != nil {
			return fmt.Errorf("ticket: update: %w", err)
		}
		if t.Status == StatusSolved && old.Status != StatusSolved {
			return notifySolvedTx(ctx, tx, t, by)
		}
		return nil
	})
	if err != nil {
		return Ticket{}, known(err)
	}
	return s.Get(ctx, id)
}

// applyFields copies the plain fields of p onto t and names those that changed.
func applyFields(t *Ticket, p Patch, fields *[]string) error {
	set := func(name string, dst *string, v *string, max int, required bool) error {
		if v == nil {
			return nil
		}
		nv := *v
		if name != "description" {
			nv = strings.TrimSpace(nv)
		}
		if required && nv == "" {
			return invalid("%s may not be empty", name)
		}
		if utf8.RuneCountInString(nv) > max {
			return invalid("%s is longer than %d characters", name, max)
		}
		if nv != *dst {
			*dst = nv
			*fields = append(*fields, name)
		}
		return nil
	}
	if p.Type != nil && !oneOf(*p.Type, Types) {
		return invalid("type must be one of %s", strings.Join(Types, ", "))
	}
	if err := set("type", &t.Type, p.Type, maxShort, true); err != nil {
		return err
	}
	if err := set("subject", &t.Subject, p.Subject, MaxSubject, true); err != nil {
		return err
	}
	if err := set("description", &t.Description, p.Description, MaxDescription, false); err != nil {
		return err
	}
	if err := set("order_number", &t.OrderNumber, p.OrderNumber, maxShort, false); err != nil {
		return err
	}
	if p.Attachments != nil {
		as := *p.Attachments
		if as == nil {
			as = []Attachment{}
		}
		if err := checkAttachments(as); err != nil {
			return err
		}
		before, _ := json.Marshal(t.Attachments)
		after, _ := json.Marshal(as)
		if string(before) != string(after) {
			t.Attachments = as
			*fields = append(*fields, "attachments")
		}
	}
	if p.DueAt != nil && !p.DueAt.Equal(t.DueAt) {
		if p.DueAt.Year() < 2000 || p.DueAt.Year() > 9999 {
			return invalid("due_at is not a sensible time")
		}
		t.DueAt = *p.DueAt
		*fields = append(*fields, "due_at")
	}
	return nil
}

// applyStatus moves t to p's status (and pending_on) if the move is allowed, recording it.
func applyStatus(ctx context.Context, tx pgx.Tx, t *Ticket, old Ticket, p Patch, by int64) error {
	to := old.Status
	if p.Status != nil {
		to = *p.Status
		if !oneOf(to, Statuses) {
			return invalid("status must be one of %s", strings.Join(Statuses, ", "))
		}
	}
	pendingOn := ""
	if to == StatusPending {
		pendingOn = old.PendingOn
		if p.PendingOn != nil {
			pendingOn = *p.PendingOn
		}
		if pendingOn == "" {
			pendingOn = "customer"
		}
		if !oneOf(pendingOn, PendingOn) {
			return invalid("pending_on must be customer or team")
		}
	}
	if to == old.Status && pendingOn == old.PendingOn {
		return nil
	}
	if to != old.Status && !CanMove(old.Status, to) {
		return fmt.Errorf("%w: from %s to %s", ErrTransition, old.Status, to)
	}
	t.Status, t.PendingOn = to, pendingOn
	data := map[string]any{"from": old.Status, "to": to}
	if pendingOn != "" {
		data["pending_on"] = pendingOn
	}
	return addEvent(ctx, tx, t.ID, by, "status", "", data)
}

// Comment adds an internal comment to the ticket's timeline; it counts as touching the ticket.
func (s *Store) Comment(ctx context.Context, id, by int64, body string) (Event, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return Event{}, invalid("body is required")
	}
	if utf8.RuneCountInString(body) > MaxComment {
		return Event{}, invalid("body is longer than %d characters", MaxComment)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE tickets SET touched_at = COALESCE(touched_at, now()), updated_at = now() WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return addEvent(ctx, tx, id, by, "comment", body, map[string]any{})
	})
	if err != nil {
		return Event{}, known(err)
	}
	evs, err := s.Events(ctx, id)
	if err != nil || len(evs) == 0 {
		return Event{}, err
	}
	return evs[len(evs)-1], nil
}

// known passes the package's own errors through and wraps the rest.
func known(err error) error {
	var inv *InvalidError
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrTransition) || errors.As(err, &inv) {
		return err
	}
	return fmt.Errorf("ticket: %w", err)
}
