// Package csat keeps customer satisfaction ratings: after a conversation is resolved (or a bot
// alone answered it) and after a ticket linked to it is solved, the customer rates it 1–5 with an
// optional comment, once, and may change that rating for a short window. Each rating goes to the
// agent and team who last held the conversation (or the ticket's assignee and team), or to the bot.
package csat

import (
	"errors"
	"time"
)

// DefaultEditWindow is how long after the first rating the customer may change it
// (BATON_CSAT_EDIT_WINDOW).
const DefaultEditWindow = 30 * time.Minute

// MaxComment is the longest comment accepted, in characters.
const MaxComment = 1000

// Errors a rating can meet; the API answers each with its own status and message.
var (
	// ErrNotRateable: the conversation is not resolved (nor a bot-only one the bot has answered),
	// or the ticket is not solved.
	ErrNotRateable = errors.New("csat: not rateable yet")
	// ErrWindowClosed: the rating exists and the time to change it has passed.
	ErrWindowClosed = errors.New("csat: rating can no longer be changed")
	// ErrNoTicket: no such ticket is linked to the conversation.
	ErrNoTicket = errors.New("csat: ticket not linked to this conversation")
)

// Given is a rating as its customer sees it.
type Given struct {
	Score     int       `json:"score"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Ask is one thing a conversation's customer may rate: the conversation itself (TicketID nil) or
// a ticket linked to it.
type Ask struct {
	TicketID *int64 `json:"ticket_id"`
	// Subject is the ticket's subject ("" for the conversation).
	Subject string `json:"subject,omitempty"`
	// CanRate: a first rating may be given now.
	CanRate bool `json:"can_rate"`
	// ByBot: no person took part, so the rating goes to the bot.
	ByBot  bool   `json:"by_bot"`
	Rating *Given `json:"rating"`
	// CanChange: the rating exists and may still be changed, until ChangeUntil.
	CanChange   bool       `json:"can_change"`
	ChangeUntil *time.Time `json:"change_until"`
}

// State is everything a conversation's customer may rate, and what they already rated.
type State struct {
	Conversation Ask   `json:"conversation"`
	Tickets      []Ask `json:"tickets"`
	// EditWindowSeconds is how long a rating may be changed after it is first given.
	EditWindowSeconds int `json:"edit_window_seconds"`
}

// Input is a customer's rating: of the conversation, or of TicketID when set.
type Input struct {
	Score    int    `json:"score"`
	Comment  string `json:"comment"`
	TicketID *int64 `json:"ticket_id"`
}

// Rating is a stored rating with whom it goes to, for staff.
type Rating struct {
	ID             int64     `json:"id"`
	ConversationID string    `json:"conversation_id"`
	TicketID       *int64    `json:"ticket_id"`
	Score          int       `json:"score"`
	Comment        string    `json:"comment"`
	AgentID        *int64    `json:"agent_id"`
	AgentName      string    `json:"agent_name"`
	Team           *string   `json:"team"`
	ByBot          bool      `json:"by_bot"`
	CustomerName   string    `json:"customer_name"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Filter narrows the staff list; zero values do not filter. To is exclusive.
type Filter struct {
	Team     string
	AgentID  int64
	ByBot    *bool
	From, To *time.Time
	Limit    int
}

// Average is a count of ratings and their mean score.
type Average struct {
	Count   int     `json:"count"`
	Average float64 `json:"average"`
}

// Summary is the filtered ratings' averages: overall (with how many gave each score), per agent,
// per team, and the bot's.
type Summary struct {
	Average
	// Distribution[i] counts the ratings of score i+1.
	Distribution [5]int     `json:"distribution"`
	ByAgent      []AgentAvg `json:"by_agent"`
	ByTeam       []TeamAvg  `json:"by_team"`
	Bot          Average    `json:"bot"`
}

// AgentAvg is one agent's average.
type AgentAvg struct {
	AgentID int64  `json:"agent_id"`
	Name    string `json:"name"`
	Average
}

// TeamAvg is one team's average.
type TeamAvg struct {
	Team string `json:"team"`
	Average
}
