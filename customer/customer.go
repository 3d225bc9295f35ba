// Package customer is the agent's view of one person across their conversations (the customer
// 360): their profile and every conversation they had on any channel, with how it ended.
package customer

import (
	"time"

	"github.com/baton-cs/baton/internal/conversation"
)

// Outcomes of a conversation, as the customer 360 shows them.
const (
	OutcomeBot       = "bot"       // the bot answered or finished the task; nobody else was needed
	OutcomeAgent     = "agent"     // an agent resolved it
	OutcomeAbandoned = "abandoned" // the customer left with the bot still asking, or unanswered
	OutcomeQueued    = "queued"    // waiting for a person now
	OutcomeAssigned  = "assigned"  // with an agent now
	OutcomeActive    = "active"    // talking with the bot right now
)

// ActiveWindow is how recently a conversation with the bot must have moved to count as going on.
const ActiveWindow = 30 * time.Minute

// Past is one of the customer's conversations.
type Past struct {
	ID       string `json:"id"`
	Channel  string `json:"channel"`
	Language string `json:"language"`
	Status   string `json:"status"`
	// Topic is the question handed off, else the customer's first real message.
	Topic   string `json:"topic"`
	Outcome string `json:"outcome"`
	// HandoffReason, Agent (who resolved or holds it) and Disposition (the wrap-up's, when one
	// was recorded) are empty for conversations the bot kept.
	HandoffReason  string     `json:"handoff_reason,omitempty"`
	Agent          string     `json:"agent,omitempty"`
	Disposition    string     `json:"disposition,omitempty"`
	Messages       int        `json:"messages"` // the customer's
	StartedAt      time.Time  `json:"started_at"`
	LastActivityAt time.Time  `json:"last_activity_at"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
}

// View is the customer 360.
type View struct {
	Customer      conversation.Customer `json:"customer"`
	Conversations []Past                `json:"conversations"`
	// ContactMasked: the e-mail and phone are masked for this agent (the admin's privacy setting);
	// GET /api/v1/customers/:id/contact reveals them, audited.
	ContactMasked bool `json:"contact_masked,omitempty"`
}

// unfinishedKinds are bot replies that leave the customer with something to answer or no answer.
var unfinishedKinds = map[string]bool{"": true, "ask": true, "reask": true, "confirm": true, "clarify": true,
	"dont_know": true, "switch": true}

// outcome decides how a conversation ended from its status, its latest handoff's status and the
// kind of the bot's last reply.
func outcome(status, handoffStatus, lastBotKind string, lastActivity, now time.Time) string {
	switch {
	case handoffStatus == "resolved":
		return OutcomeAgent
	case handoffStatus == "assigned" || status == conversation.StatusAssigned:
		return OutcomeAssigned
	case handoffStatus == "queued" || status == conversation.StatusQueued:
		return OutcomeQueued
	case now.Sub(lastActivity) < ActiveWindow:
		return OutcomeActive
	case unfinishedKinds[lastBotKind]:
		return OutcomeAbandoned
	}
	return OutcomeBot
}
