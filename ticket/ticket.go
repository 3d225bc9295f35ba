// Package ticket is the ticket desk (工单): work that outlives a chat. Agents open a ticket from a
// conversation (editors and supervisors from scratch), teams work their queue through
// new → open → pending → solved → closed, every change lands in the ticket's timeline, tickets
// untouched past their due time or unsolved too long escalate once, and the customer can ask
// the chat for a ticket's status and is told when it is solved.
package ticket

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Statuses a ticket moves through.
const (
	StatusNew     = "new"
	StatusOpen    = "open"
	StatusPending = "pending"
	StatusSolved  = "solved"
	StatusClosed  = "closed"
)

// Types, priorities and what a pending ticket waits on.
var (
	Types      = []string{"question", "problem", "refund", "complaint", "task"}
	Priorities = []string{"low", "normal", "high", "urgent"}
	Statuses   = []string{StatusNew, StatusOpen, StatusPending, StatusSolved, StatusClosed}
	PendingOn  = []string{"customer", "team"}
)

// Errors the handlers turn into 4xx answers.
var (
	ErrNotFound   = errors.New("ticket: not found")
	ErrTransition = errors.New("ticket: status change not allowed")
)

// InvalidError is bad input, said in words a client can show.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// Attachment is a link to a file kept elsewhere.
type Attachment struct {
	URL  string `json:"url"`
	Name string `json:"name,omitempty"`
}

// Person is a staff member as a ticket shows them.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Ticket is one piece of work for a team.
type Ticket struct {
	ID             int64        `json:"id"`
	Number         string       `json:"number"`
	Type           string       `json:"type"`
	Priority       string       `json:"priority"`
	Status         string       `json:"status"`
	PendingOn      string       `json:"pending_on,omitempty"`
	Team           string       `json:"team"`
	Assignee       *Person      `json:"assignee,omitempty"`
	Subject        string       `json:"subject"`
	Description    string       `json:"description"`
	OrderNumber    string       `json:"order_number"`
	Attachments    []Attachment `json:"attachments"`
	Language       string       `json:"language"`
	CustomerID     string       `json:"customer_id,omitempty"`
	CustomerName   string       `json:"customer_name,omitempty"`
	ConversationID string       `json:"conversation_id,omitempty"`
	CreatedBy      *Person      `json:"created_by,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	DueAt          time.Time    `json:"due_at"`
	TouchedAt      *time.Time   `json:"touched_at,omitempty"`
	SolvedAt       *time.Time   `json:"solved_at,omitempty"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
	// Overdue: still to be solved and past its due time. Escalations lists the kinds recorded.
	Overdue     bool     `json:"overdue"`
	Escalations []string `json:"escalations"`
}

// Event is one entry of a ticket's timeline.
type Event struct {
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`
	Actor     *Person         `json:"actor,omitempty"`
	Body      string          `json:"body"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"created_at"`
}

// Number is the ticket number people see: "T" and the id.
func Number(id int64) string { return "T" + strconv.FormatInt(id, 10) }

// ParseNumber reads "T10023", "t10023" or "10023".
func ParseNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 0 && (s[0] == 'T' || s[0] == 't') {
		s = s[1:]
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// Open reports whether the ticket still waits to be solved.
func Open(status string) bool {
	return status == StatusNew || status == StatusOpen || status == StatusPending
}

// transitions lists where each status may go. Closed is final; solved may be reopened.
var transitions = map[string][]string{
	StatusNew:     {StatusOpen, StatusPending, StatusSolved, StatusClosed},
	StatusOpen:    {StatusPending, StatusSolved, StatusClosed},
	StatusPending: {StatusOpen, StatusSolved, StatusClosed},
	StatusSolved:  {StatusOpen, StatusClosed},
	StatusClosed:  {},
}

// CanMove reports whether a ticket in status from may move to status to.
func CanMove(from, to string) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// raise is the priority one step up (urgent stays urgent).
func raise(p string) string {
	for i, q := range Priorities {
		if q == p && i+1 < len(Priorities) {
			return Priorities[i+1]
		}
	}
	return "urgent"
}

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
