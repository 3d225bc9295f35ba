// Package handoff is the human side of a conversation: the queue a handed-off conversation waits
// in, the claim that gives it to exactly one agent, the agent's replies and the resolution, which
// turns the customer's question and the agent's answer into a knowledge-base suggestion.
package handoff

import (
	"errors"
	"time"
)

// Reasons a conversation is handed to a person.
const (
	ReasonHumanRequest  = "human_request"
	ReasonComplaint     = "complaint"
	ReasonLowConfidence = "low_confidence"
	ReasonNegative      = "negative_sentiment"
	ReasonVIP           = "vip"
	ReasonActionFailed  = "action_failed"
	ReasonRetries       = "retries_exhausted"
	ReasonIntentRule    = "intent_rule"
)

// Reasons lists every handoff reason.
var Reasons = []string{ReasonHumanRequest, ReasonComplaint, ReasonNegative, ReasonLowConfidence, ReasonVIP,
	ReasonActionFailed, ReasonRetries, ReasonIntentRule}

// Handoff statuses.
const (
	StatusQueued   = "queued"
	StatusAssigned = "assigned"
	StatusResolved = "resolved"
)

var (
	// ErrNotFound means no such conversation, or nothing handed off in it.
	ErrNotFound = errors.New("handoff: not found")
	// ErrTaken means another agent already holds the conversation.
	ErrTaken = errors.New("handoff: another agent already holds this conversation")
	// ErrNotQueued means the conversation is not waiting for a person.
	ErrNotQueued = errors.New("handoff: the conversation is not waiting for a person")
	// ErrNotHolder means the caller does not hold the conversation.
	ErrNotHolder = errors.New("handoff: claim the conversation before replying or resolving it")
	// ErrAtCapacity means the agent already holds as many conversations as their capacity allows.
	ErrAtCapacity = errors.New("handoff: the agent is at capacity")
	// ErrNotOffered means the conversation is not an offer to the caller waiting for an answer.
	ErrNotOffered = errors.New("handoff: this conversation is not an offer to you")
)

// Request asks for a person on a conversation.
type Request struct {
	ConversationID string
	Reason         string
	Skill          string
	Language       string
	Priority       int
	Question       string
	// Message is the customer's message that triggered the handoff.
	Message string
	// What the bot understood, so the agent never asks again.
	Intent     string
	Confidence float64
	Slots      map[string]string
	Sentiment  *Sentiment
	// ReplyTo is the customer message the handoff answers; what the bot adds (the after-hours
	// notice) replies to it.
	ReplyTo *int64
}

// Sentiment is the customer's mood when the conversation was handed off.
type Sentiment struct {
	Score float64 `json:"score"`
	Label string  `json:"label"`
}

// TranscriptLine is one message in a context snapshot.
type TranscriptLine struct {
	Sender    string    `json:"sender"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// Context is the snapshot an agent gets with a handoff, so the customer never repeats themselves.
type Context struct {
	Reason   string `json:"reason"`
	Question string `json:"question"`
	// Message is the customer's message that triggered the handoff: what the agent reads when
	// there is no question ("I want a person", a complaint).
	Message    string            `json:"message,omitempty"`
	Language   string            `json:"language"`
	Intent     string            `json:"intent,omitempty"`
	Confidence float64           `json:"confidence,omitempty"`
	Slots      map[string]string `json:"slots,omitempty"`
	Sentiment  *Sentiment        `json:"sentiment,omitempty"`
	Transcript []TranscriptLine  `json:"transcript"`
}

// Handoff is one hand-over of a conversation to a person.
type Handoff struct {
	ID             int64      `json:"id"`
	ConversationID string     `json:"conversation_id"`
	Reason         string     `json:"reason"`
	Skill          string     `json:"skill"`
	Language       string     `json:"language"`
	Priority       int        `json:"priority"`
	Question       string     `json:"question"`
	Status         string     `json:"status"`
	Context        Context    `json:"context"`
	EnqueuedAt     time.Time  `json:"enqueued_at"`
	ClaimedBy      *int64     `json:"claimed_by,omitempty"`
	ClaimedAt      *time.Time `json:"claimed_at,omitempty"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
	AutoAssigned   bool       `json:"auto_assigned"`
	Note           string     `json:"note,omitempty"`
	// AcceptedAt is when the holder accepted; an automatic assignment is an offer until then.
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	// LeftMessage marks a handoff made outside its team's business hours with nobody online.
	LeftMessage bool `json:"left_message"`
}

// QueueItem is a waiting conversation as the queue shows it.
type QueueItem struct {
	ConversationID string `json:"conversation_id"`
	HandoffID      int64  `json:"handoff_id"`
	Reason         string `json:"reason"`
	Skill          string `json:"skill"`
	Language       string `json:"language"`
	Priority       int    `json:"priority"`
	Question       string `json:"question"`
	// Message is the customer's message that triggered the handoff.
	Message      string `json:"message,omitempty"`
	CustomerName string `json:"customer_name"`
	// Channel is where the customer writes from: web, api, email, or a messaging channel's name.
	Channel    string    `json:"channel"`
	EnqueuedAt time.Time `json:"enqueued_at"`
	SLA        *SLAState `json:"sla,omitempty"`
	// Transfer is the transfer that put it back in the queue, if one did.
	Transfer *TransferNote `json:"transfer,omitempty"`
	// LeftMessage marks a message left while the team was closed.
	LeftMessage bool `json:"left_message"`
}

// AgentItem is a conversation an agent holds.
type AgentItem struct {
	ConversationID string `json:"conversation_id"`
	Status         string `json:"status"`
	Reason         string `json:"reason"`
	Question       string `json:"question"`
	// Message is the customer's message that triggered the handoff.
	Message      string `json:"message,omitempty"`
	CustomerName string `json:"customer_name"`
	// Channel is where the customer writes from: web, api, email, or a messaging channel's name.
	Channel   string    `json:"channel"`
	ClaimedAt time.Time `json:"claimed_at"`
	UpdatedAt time.Time `json:"updated_at"`
	SLA       *SLAState `json:"sla,omitempty"`
	// Unread counts the customer's messages the agent has not seen yet.
	Unread int `json:"unread"`
	// Transfer is the transfer that brought it to the agent, if one did.
	Transfer *TransferNote `json:"transfer,omitempty"`
	// Offered means the router offered it and the agent has not accepted it yet; OfferExpiresAt is
	// when it goes to the next agent unless accepted (absent when offers do not time out).
	Offered        bool       `json:"offered"`
	OfferExpiresAt *time.Time `json:"offer_expires_at,omitempty"`
	LeftMessage    bool       `json:"left_message"`
}

// Suggestion is what a resolution hands to the knowledge base.
type Suggestion struct {
	Question       string
	Answer         string
	Language       string
	ConversationID string
	HandoffID      int64
}

var systemTexts = map[string][2]string{ // [en, zh]
	"joined":   {"%s joined the conversation.", "%s 已加入对话。"},
	"resolved": {"This conversation has been marked as resolved. Write again any time if you need more help.", "本次对话已结束。如还有问题，欢迎随时再来咨询。"},
}

func systemText(lang, key string) string {
	if lang == "zh" {
		return systemTexts[key][1]
	}
	return systemTexts[key][0]
}
