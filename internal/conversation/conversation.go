// Package conversation stores customers, their conversations and the messages in them. Every
// message gets the next sequence number of its conversation, so a client that remembers the last
// seq it saw can always ask for exactly what it missed.
package conversation

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Statuses a conversation moves through.
const (
	StatusBot      = "bot"
	StatusQueued   = "queued"
	StatusAssigned = "assigned"
	StatusResolved = "resolved"
)

// Senders of a message.
const (
	SenderCustomer = "customer"
	SenderBot      = "bot"
	SenderAgent    = "agent"
	SenderSystem   = "system"
)

// MaxTextLen is the longest message text accepted, in characters.
const MaxTextLen = 4000

// ErrNotFound means no such customer, conversation or message.
var ErrNotFound = errors.New("conversation: not found")

// ErrNoConversation means a customer token is known but the conversation asked for is not.
var ErrNoConversation = errors.New("conversation: no such conversation")

// Customer is a person writing to Baton.
type Customer struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id,omitempty"`
	// Verified: the external id came signed by the site (BATON_IDENTITY_SECRET), so every
	// conversation started with it belongs to this one customer.
	Verified  bool      `json:"verified"`
	Name      string    `json:"name,omitempty"`
	Email     string    `json:"email,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	Language  string    `json:"language,omitempty"`
	VIPTier   string    `json:"vip_tier,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Conversation is one customer's thread on one channel.
type Conversation struct {
	ID              string          `json:"id"`
	CustomerID      string          `json:"customer_id"`
	Channel         string          `json:"channel"`
	Language        string          `json:"language"`
	Status          string          `json:"status"`
	HandoffReason   string          `json:"handoff_reason,omitempty"`
	AssignedAgentID *int64          `json:"assigned_agent_id,omitempty"`
	LastSeq         int64           `json:"last_seq"`
	BotState        json.RawMessage `json:"-"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
}

// Citation names a knowledge-base article a bot answer came from.
type Citation struct {
	ArticleID int64   `json:"article_id"`
	Title     string  `json:"title"`
	Score     float64 `json:"score,omitempty"`
	// Ref is the number the answer's text cites this source by ("[1]"), 0 when it cites none.
	Ref int `json:"ref,omitempty"`
	// Heading is the section ("Returns > Who pays") when the answer came from a passage.
	Heading string `json:"heading,omitempty"`
	// ChunkID is the matching chunk; MatchKind its kind (title, question or body).
	ChunkID   int64  `json:"chunk_id,omitempty"`
	MatchKind string `json:"match_kind,omitempty"`
}

// Message is one line of a conversation.
type Message struct {
	ID              int64      `json:"id"`
	ConversationID  string     `json:"conversation_id"`
	Seq             int64      `json:"seq"`
	Sender          string     `json:"sender"`
	AuthorID        *int64     `json:"author_id,omitempty"`
	Text            string     `json:"text"`
	ClientMessageID string     `json:"client_message_id,omitempty"`
	ReplyTo         *int64     `json:"reply_to,omitempty"`
	Citations       []Citation `json:"citations,omitempty"`
	// Meta is what the bot understood when it wrote this message (see bot.Meta); nil otherwise.
	Meta      json.RawMessage `json:"meta,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	botDone   bool
}

// BotDone reports whether the bot has taken its turn on this customer message.
func (m Message) BotDone() bool { return m.botDone }

// NewMessage is a message to append.
type NewMessage struct {
	Sender          string
	AuthorID        *int64
	Text            string
	ClientMessageID string
	ReplyTo         *int64
	Citations       []Citation
	Meta            json.RawMessage
	// BotDone marks a customer message that needs no bot turn (a person holds the conversation).
	BotDone bool
}

// ValidPhone accepts what people write as a phone number: digits with an optional leading +,
// spaces, dashes, dots and parentheses; 5 to 20 digits.
func ValidPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

// NormalizePhone keeps a valid phone number's digits and leading +, so one number written two
// ways ("+86 138-0013-8000", "+8613800138000") is stored, and matched, as one.
func NormalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
