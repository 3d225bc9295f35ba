package ticket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Limits on what a ticket holds.
const (
	MaxSubject     = 200
	MaxDescription = 10000
	MaxAttachments = 20
	maxShort       = 100
)

// NewTicket is what a ticket is created from.
type NewTicket struct {
	Type        string       `json:"type"`
	Priority    string       `json:"priority"`
	Team        string       `json:"team"`
	Subject     string       `json:"subject"`
	Description string       `json:"description"`
	OrderNumber string       `json:"order_number"`
	Attachments []Attachment `json:"attachments"`
	Language    string       `json:"language"`
	// CustomerID defaults to the conversation's customer.
	CustomerID     string `json:"customer_id"`
	ConversationID string `json:"conversation_id"`
	// DueAt overrides the due time the priority's SLA gives.
	DueAt      *time.Time `json:"due_at"`
	AssigneeID *int64     `json:"assignee_id"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidUUID reports whether s looks like a customer or conversation id.
func ValidUUID(s string) bool { return uuidRE.MatchString(s) }

func (n *NewTicket) normalize() error {
	n.Subject = strings.TrimSpace(n.Subject)
	n.Team = strings.TrimSpace(n.Team)
	n.OrderNumber = strings.TrimSpace(n.OrderNumber)
	if n.Type == "" {
		n.Type = "problem"
	}
	if n.Priority == "" {
		n.Priority = "normal"
	}
	if n.Team == "" {
		n.Team = "general"
	}
	switch {
	case n.Subject == "":
		return invalid("subject is required")
	case utf8.RuneCountInString(n.Subject) > MaxSubject:
		return invalid("subject is longer than %d characters", MaxSubject)
	case utf8.RuneCountInString(n.Description) > MaxDescription:
		return invalid("description is longer than %d characters", MaxDescription)
	case !oneOf(n.Type, Types):
		return invalid("type must be one of %s", strings.Join(Types, ", "))
	case !oneOf(n.Priority, Priorities):
		return invalid("priority must be one of %s", strings.Join(Priorities, ", "))
	case utf8.RuneCountInString(n.Team) > maxShort || utf8.RuneCountInString(n.OrderNumber) > maxShort:
		return invalid("team and order_number are at most %d characters", maxShort)
	case n.Language != "" && n.Language != "zh" && n.Language != "en":
		return invalid("language must be zh or en")
	case n.CustomerID != "" && !ValidUUID(n.CustomerID):
		return invalid("customer_id is not a customer's id")
	case n.ConversationID != "" && !ValidUUID(n.ConversationID):
		return invalid("conversation_id is not a conversation's id")
	case n.DueAt != nil && n.DueAt.Before(time.Now()):
		return invalid("due_at is in the past")
	}
	return checkAttachments(n.Attachments)
}

func checkAttachments(as []Attachment) error {
	if len(as) > MaxAttachments {
		return invalid("at most %d attachments", MaxAttachments)
	}
	for i := range as {
		as[i].URL, as[i].Name = strings.TrimSpace(as[i].URL), strings.TrimSpace(as[i].Name)
		u, err := url.Parse(as[i].URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(as[i].URL) > 2000 {
			return invalid("attachment %d: url must be an http or https link", i+1)
		}
		if utf8.RuneCountInString(as[i].Name) > MaxSubject {
			return invalid("attachment %d: name is longer than %d characters", i+1, MaxSubject)
		}
	}
	return nil
}

// Create stores a new ticket with its "created" event (and "assigned", when it comes assigned),
// in one transaction. by is the staff member creating it.
func (s *Store) Create(ctx context.Context, n NewTicket, by int64) (Ticket, error) {
	if err := n.normalize(); err != nil {
		return Ticket{}, err
	}
	if n.Attachments == nil {
		n.Attachments = []Attachment{}
	}
	atts, _ := json.Marshal(n.Attachments)
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if n.ConversationID != "" {
			var custID, lang string
			err := tx.QueryRow(ctx, `SELECT customer_id::text, language FROM conversations WHERE id = $1`, n.ConversationID).Scan(&custID, &lang)
			if errors.Is(err, pgx.ErrNoRows) {
				return invalid("no such conversation")
			}
			if err != nil {
				return err
			}
			if n.CustomerID != "" && n.CustomerID != custID {
				return invalid("customer_id is not the conversation's customer")
			}
			n.CustomerID = custID
			if n.Language == "" {
				n.Language = lang
			}
		} else if n.CustomerID != "" {
			var lang string
			err := tx.QueryRow(ctx, `SELECT language FROM customers WHERE id = $1`, n.CustomerID).Scan(&lang)
			if errors.Is(err, pgx.ErrNoRows) {
				return invalid("no such customer")
			}
			if err != nil {
				return err
			}
			if n.Language == "" && (lang == "zh" || lang == "en") {
				n.Language = lang
			}
		}
		if n.Language == "" {
			n.Language = "en"
		}
		if n.AssigneeID != nil {
			if err := checkAssignee(ctx, tx, *n.AssigneeID); err != nil {
				return err
			}
		}
		due := n.DueAt
		if due == nil {
			d, err := dueFor(ctx, tx, n.Priority)
			if err != nil {
				return err
			}
			due = &d
		}
		status := StatusNew
		if n.AssigneeID != nil {
			status = StatusOpen // someone has it: it is being worked on
		}
		err := tx.QueryRow(ctx, `INSERT INTO tickets (type, priority, status, team, assignee_id, subject, description,
			order_number, attachments, language, customer_id, conversation_id, created_by, due_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, NULLIF($11, '')::uuid, NULLIF($12, '')::uuid, $13, $14)
			RETURNING id`, n.Type, n.Priority, status, n.Team, n.AssigneeID, n.Subject, n.Description, n.OrderNumber,
			string(atts), n.Language, n.CustomerID, n.ConversationID, by, *due).Scan(&id)
		if err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, by, "created", "", map[string]any{"priority": n.Priority, "team": n.Team,
			"type": n.Type, "due_at": due.UTC()}); err != nil {
			return err
		}
		if n.AssigneeID != nil {
			return assignTx(ctx, tx, id, by, nil, n.AssigneeID)
		}
		return nil
	})
	var inv *InvalidError
	if errors.As(err, &inv) {
		return Ticket{}, err
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("ticket: create: %w", err)
	}
	return s.Get(ctx, id)
}

// checkAssignee refuses an assignee who cannot work tickets.
func checkAssignee(ctx context.Context, tx pgx.Tx, id int64) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role IN ('agent', 'supervisor', 'admin'))`, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return invalid("assignee_id is not an agent, supervisor or admin")
	}
	return nil
}
