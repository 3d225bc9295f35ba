package customer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/internal/conversation"
)

// Store reads the customer 360 and changes profiles.
type Store struct {
	pool  *pgxpool.Pool
	convs *conversation.Store
	now   func() time.Time
}

// NewStore returns a store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, convs: conversation.NewStore(pool), now: time.Now}
}

// ErrNotFound means no such customer.
var ErrNotFound = errors.New("customer: not found")

// MaxConversations is how many conversations the 360 lists, newest first.
const MaxConversations = 50

// historyQuery lists the customer's conversations on every channel and device. Only a verified
// identity (a site-signed external id, BATON_IDENTITY_SECRET) joins conversations from different
// starts into one customer; records that merely share an unverified external id, e-mail or phone
// are never merged, since anyone can type those.
// The disposition is read from the handoff row as JSON so it appears once a wrap-up stores one.
const historyQuery = `
SELECT c.id, c.channel, c.language, c.status, c.created_at, c.updated_at,
    COALESCE(h.question, ''), COALESCE(h.reason, ''), COALESCE(h.status, ''), h.resolved_at,
    COALESCE(NULLIF(u.name, ''), u.email, ''), COALESCE(to_jsonb(h) ->> 'disposition', ''),
    ARRAY(SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'customer' ORDER BY m.seq LIMIT 3),
    COALESCE((SELECT m.meta ->> 'kind' FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'bot'
        ORDER BY m.seq DESC LIMIT 1), ''),
    (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'customer')
FROM conversations c
LEFT JOIN LATERAL (SELECT * FROM handoffs WHERE conversation_id = c.id ORDER BY id DESC LIMIT 1) h ON true
LEFT JOIN users u ON u.id = h.claimed_by
WHERE c.customer_id = $1 AND c.last_seq > 0
ORDER BY c.created_at DESC, c.id
LIMIT $2`

// Get returns the customer 360 of one customer.
func (s *Store) Get(ctx context.Context, id string) (View, error) {
	cust, err := s.convs.CustomerGet(ctx, id)
	if errors.Is(err, conversation.ErrNotFound) {
		return View{}, ErrNotFound
	}
	if err != nil {
		return View{}, err
	}
	rows, err := s.pool.Query(ctx, historyQuery, cust.ID, MaxConversations)
	if err != nil {
		return View{}, fmt.Errorf("customer: history: %w", err)
	}
	defer rows.Close()
	v := View{Customer: cust, Conversations: []Past{}}
	now := s.now()
	for rows.Next() {
		var p Past
		var question, handoffStatus, lastKind string
		var first []string
		var n int64
		if err := rows.Scan(&p.ID, &p.Channel, &p.Language, &p.Status, &p.StartedAt, &p.LastActivityAt,
			&question, &p.HandoffReason, &handoffStatus, &p.ResolvedAt, &p.Agent, &p.Disposition, &first, &lastKind, &n); err != nil {
			return View{}, fmt.Errorf("customer: history: %w", err)
		}
		p.Messages = int(n)
		p.Topic = topic(question, first)
		p.Outcome = outcome(p.Status, handoffStatus, lastKind, p.LastActivityAt, now)
		if p.Outcome != OutcomeAgent {
			p.ResolvedAt = nil
		}
		v.Conversations = append(v.Conversations, p)
	}
	return v, rows.Err()
}

// topic is what a conversation was about, in a line.
func topic(question string, first []string) string {
	t := strings.TrimSpace(question)
	if t == "" {
		for _, m := range first {
			if intent.Substance(m) != "" {
				t = strings.TrimSpace(m)
				break
			}
		}
	}
	if t == "" && len(first) > 0 {
		t = strings.TrimSpace(first[0])
	}
	t = strings.Join(strings.Fields(t), " ")
	if utf8.RuneCountInString(t) > 120 {
		t = string([]rune(t)[:120]) + "…"
	}
	return t
}

// Update is a change to a profile; nil fields stay as they are.
type Update struct {
	Name     *string `json:"name"`
	Email    *string `json:"email"`
	Phone    *string `json:"phone"`
	Language *string `json:"language"`
	VIPTier  *string `json:"vip_tier"`
}

// UpdateProfile applies a normalized update and returns the profile.
func (s *Store) UpdateProfile(ctx context.Context, id string, u Update) (conversation.Customer, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE customers SET name = COALESCE($2, name), email = COALESCE($3, email),
		phone = COALESCE($4, phone), language = COALESCE($5, language), vip_tier = COALESCE($6, vip_tier) WHERE id = $1`,
		id, u.Name, u.Email, u.Phone, u.Language, u.VIPTier)
	if err != nil {
		return conversation.Customer{}, fmt.Errorf("customer: update: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return conversation.Customer{}, ErrNotFound
	}
	return s.convs.CustomerGet(ctx, id)
}
