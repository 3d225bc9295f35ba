package conversation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/events"
)

// CustomerTokenPrefix starts every customer token, telling them apart from staff tokens.
const CustomerTokenPrefix = "bct_"

// Store reads and writes conversations.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Pool exposes the pool for callers that need their own transaction around several stores.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// HashToken is how tokens are stored: a customer token is a bearer secret, never kept in clear.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func newToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

const customerInsert = `
INSERT INTO customers (external_id, name, email, language, token_hash, phone, vip_tier)
VALUES (NULLIF($1, ''), $2, $3, $4, $5, $6, $7)
RETURNING id, COALESCE(external_id, ''), name, email, phone, language, vip_tier, created_at`

// CustomerCreate makes a customer and returns it with its bearer token (shown once).
func (s *Store) CustomerCreate(ctx context.Context, c Customer) (Customer, string, error) {
	token := newToken(CustomerTokenPrefix)
	var out Customer
	err := s.pool.QueryRow(ctx, customerInsert, c.ExternalID, c.Name, c.Email, c.Language, HashToken(token), c.Phone, c.VIPTier).
		Scan(&out.ID, &out.ExternalID, &out.Name, &out.Email, &out.Phone, &out.Language, &out.VIPTier, &out.CreatedAt)
	if err != nil {
		return Customer{}, "", fmt.Errorf("conversation: create customer: %w", err)
	}
	return out, token, nil
}

// tokenCustomer is the customer a token hash ($1) belongs to: the token it was created with, or
// one issued to it since (a verified identity starting on another channel or device).
const tokenCustomer = `(SELECT cu.* FROM customers cu WHERE cu.token_hash = $1
UNION ALL
SELECT cu.* FROM customer_tokens t JOIN customers cu ON cu.id = t.customer_id WHERE t.token_hash = $1
LIMIT 1)`

const customerByToken = `
SELECT id, COALESCE(external_id, ''), name, email, phone, language, vip_tier, created_at, verified
FROM ` + tokenCustomer + ` cu`

// verifiedUpsert finds the verified customer with an external id, or makes it, and issues it a
// new token: the first is the customer's own, later ones go to customer_tokens. Name, e-mail,
// phone and language given replace those stored; empty ones leave them.
const verifiedUpsert = `
WITH up AS (
    INSERT INTO customers (external_id, name, email, language, token_hash, phone, vip_tier, verified)
    VALUES ($1, $2, $3, $4, $5, $6, $7, true)
    ON CONFLICT (external_id) WHERE verified DO UPDATE SET
        name = COALESCE(NULLIF(EXCLUDED.name, ''), customers.name),
        email = COALESCE(NULLIF(EXCLUDED.email, ''), customers.email),
        phone = COALESCE(NULLIF(EXCLUDED.phone, ''), customers.phone),
        language = COALESCE(NULLIF(EXCLUDED.language, ''), customers.language)
    RETURNING id, external_id, name, email, phone, language, vip_tier, created_at, token_hash),
t AS (INSERT INTO customer_tokens (token_hash, customer_id) SELECT $5, id FROM up WHERE up.token_hash <> $5)
SELECT id, external_id, name, email, phone, language, vip_tier, created_at FROM up`

// CustomerVerified returns the verified customer with c's external id, made if need be, and a new
// bearer token for it (shown once). Earlier tokens keep working.
func (s *Store) CustomerVerified(ctx context.Context, c Customer) (Customer, string, error) {
	if c.ExternalID == "" {
		return Customer{}, "", errors.New("conversation: a verified customer needs an external id")
	}
	token := newToken(CustomerTokenPrefix)
	out := Customer{Verified: true}
	err := s.pool.QueryRow(ctx, verifiedUpsert, c.ExternalID, c.Name, c.Email, c.Language, HashToken(token), c.Phone, c.VIPTier).
		Scan(&out.ID, &out.ExternalID, &out.Name, &out.Email, &out.Phone, &out.Language, &out.VIPTier, &out.CreatedAt)
	if err != nil {
		return Customer{}, "", fmt.Errorf("conversation: verified customer: %w", err)
	}
	return out, token, nil
}

// CustomerByToken finds the customer a bearer token belongs to.
func (s *Store) CustomerByToken(ctx context.Context, token string) (Customer, error) {
	if !strings.HasPrefix(token, CustomerTokenPrefix) {
		return Customer{}, ErrNotFound
	}
	return s.customer(ctx, customerByToken, HashToken(token))
}

const customerByID = `
SELECT id, COALESCE(external_id, ''), name, email, phone, language, vip_tier, created_at, verified
FROM customers WHERE id = $1`

// CustomerGet returns one customer.
func (s *Store) CustomerGet(ctx context.Context, id string) (Customer, error) {
	return s.customer(ctx, customerByID, id)
}

func (s *Store) customer(ctx context.Context, q string, arg any) (Customer, error) {
	var c Customer
	err := s.pool.QueryRow(ctx, q, arg).Scan(&c.ID, &c.ExternalID, &c.Name, &c.Email, &c.Phone, &c.Language, &c.VIPTier, &c.CreatedAt, &c.Verified)
	if errors.Is(err, pgx.ErrNoRows) {
		return Customer{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, fmt.Errorf("conversation: get customer: %w", err)
	}
	return c, nil
}

const conversationCols = `id, customer_id, channel, language, status, COALESCE(handoff_reason, ''),
assigned_agent_id, last_seq, bot_state, created_at, updated_at`

func scanConversation(row pgx.Row) (Conversation, error) {
	var c Conversation
	err := row.Scan(&c.ID, &c.CustomerID, &c.Channel, &c.Language, &c.Status, &c.HandoffReason,
		&c.AssignedAgentID, &c.LastSeq, &c.BotState, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Conversation{}, ErrNotFound
	}
	return c, err
}

// ConversationCreate opens a conversation for a customer.
func (s *Store) ConversationCreate(ctx context.Context, customerID, channel, language string) (Conversation, error) {
	c, err := scanConversation(s.pool.QueryRow(ctx,
		`INSERT INTO conversations (customer_id, channel, language) VALUES ($1, $2, $3) RETURNING `+conversationCols,
		customerID, channel, language))
	if err != nil {
		return Conversation{}, fmt.Errorf("conversation: create: %w", err)
	}
	return c, nil
}

// Get returns one conversation.
func (s *Store) Get(ctx context.Context, id string) (Conversation, error) {
	if !validUUID(id) {
		return Conversation{}, ErrNotFound
	}
	c, err := scanConversation(s.pool.QueryRow(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Conversation{}, fmt.Errorf("conversation: get: %w", err)
	}
	return c, err
}

// CustomerAndConversation reads, in one statement, the customer a bearer token belongs to and
// the conversation id names (whoever its customer is: the caller checks). ErrNotFound when the
// token is unknown; ErrNoConversation when the customer is known but the conversation is not.
func (s *Store) CustomerAndConversation(ctx context.Context, token, convID string) (Customer, Conversation, error) {
	if !strings.HasPrefix(token, CustomerTokenPrefix) {
		return Customer{}, Conversation{}, ErrNotFound
	}
	if !validUUID(convID) {
		cust, err := s.CustomerByToken(ctx, token)
		if err != nil {
			return cust, Conversation{}, err
		}
		return cust, Conversation{}, ErrNoConversation
	}
	var cu Customer
	var c Conversation
	var convID2, convCustomer *string
	var channel, language, status, reason *string
	var lastSeq *int64
	var created, updated *time.Time
	err := s.pool.QueryRow(ctx, `
SELECT cu.id, COALESCE(cu.external_id, ''), cu.name, cu.email, cu.phone, cu.language, cu.vip_tier, cu.created_at, cu.verified,
       c.id::text, c.customer_id::text, c.channel, c.language, c.status, COALESCE(c.handoff_reason, ''),
       c.assigned_agent_id, c.last_seq, c.bot_state, c.created_at, c.updated_at
  FROM `+tokenCustomer+` cu LEFT JOIN conversations c ON c.id = $2::uuid`, HashToken(token), convID).Scan(
		&cu.ID, &cu.ExternalID, &cu.Name, &cu.Email, &cu.Phone, &cu.Language, &cu.VIPTier, &cu.CreatedAt, &cu.Verified,
		&convID2, &convCustomer, &channel, &language, &status, &reason,
		&c.AssignedAgentID, &lastSeq, &c.BotState, &created, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Customer{}, Conversation{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, Conversation{}, fmt.Errorf("conversation: get customer and conversation: %w", err)
	}
	if convID2 == nil {
		return cu, Conversation{}, ErrNoConversation
	}
	c.ID, c.CustomerID, c.Channel, c.Language, c.Status, c.HandoffReason = *convID2, *convCustomer, *channel, *language, *status, *reason
	c.LastSeq, c.CreatedAt, c.UpdatedAt = *lastSeq, *created, *updated
	return cu, c, nil
}

// GetForUpdateTx locks and returns a conversation inside tx.
func GetForUpdateTx(ctx context.Context, tx pgx.Tx, id string) (Conversation, error) {
	if !validUUID(id) {
		return Conversation{}, ErrNotFound
	}
	c, err := scanConversation(tx.QueryRow(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id = $1 FOR UPDATE`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Conversation{}, fmt.Errorf("conversation: lock: %w", err)
	}
	return c, err
}

// SetStatusTx changes a conversation's status, handoff reason and assigned agent, and tells
// subscribers. reason and agent are written as given (nil agent clears it).
func SetStatusTx(ctx context.Context, tx pgx.Tx, id, status, reason string, agent *int64) error {
	_, err := tx.Exec(ctx, `UPDATE conversations SET status = $2, handoff_reason = NULLIF($3, ''),
		assigned_agent_id = $4, updated_at = now() WHERE id = $1`, id, status, reason, agent)
	if err != nil {
		return fmt.Errorf("conversation: set status: %w", err)
	}
	return events.Notify(ctx, tx, events.Event{Topic: events.ConversationTopic(id), Kind: "status"})
}

func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f', r >= 'A' && r <= 'F':
		default:
			return false
		}
	}
	return true
}

// ChannelConversation finds the customer a messaging channel's user is here (made on first
// contact, with the name the platform gives) and the conversation their next message joins: their
// latest on the channel, else a new one in lang. A resolved one is joined too: the message reopens it.
func (s *Store) ChannelConversation(ctx context.Context, channel, userID, name, lang string) (Customer, Conversation, error) {
	var cu Customer
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id string
		err := tx.QueryRow(ctx, `SELECT customer_id FROM channel_users WHERE channel = $1 AND user_id = $2`, channel, userID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			token := newToken(CustomerTokenPrefix) // never shown: the channel speaks for its users
			if err := tx.QueryRow(ctx, `INSERT INTO customers (name, language, token_hash) VALUES ($1, $2, $3) RETURNING id`,
				name, lang, HashToken(token)).Scan(&id); err != nil {
				return err
			}
			// A concurrent first message of the same user: theirs wins, this transaction retries.
			if _, err := tx.Exec(ctx, `INSERT INTO channel_users (channel, user_id, customer_id) VALUES ($1, $2, $3)`, channel, userID, id); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT id, COALESCE(external_id, ''), name, email, phone, language, vip_tier, created_at, verified
			FROM customers WHERE id = $1`, id).Scan(&cu.ID, &cu.ExternalID, &cu.Name, &cu.Email, &cu.Phone, &cu.Language, &cu.VIPTier, &cu.CreatedAt, &cu.Verified)
	})
	if isUniqueViolation(err) {
		return s.ChannelConversation(ctx, channel, userID, name, lang)
	}
	if err != nil {
		return Customer{}, Conversation{}, fmt.Errorf("conversation: channel user: %w", err)
	}
	c, err := scanConversation(s.pool.QueryRow(ctx, `SELECT `+conversationCols+` FROM conversations
		WHERE customer_id = $1 AND channel = $2 ORDER BY created_at DESC, id DESC LIMIT 1`, cu.ID, channel))
	if errors.Is(err, ErrNotFound) {
		c, err = s.ConversationCreate(ctx, cu.ID, channel, lang)
	}
	if err != nil {
		return Customer{}, Conversation{}, fmt.Errorf("conversation: channel conversation: %w", err)
	}
	return cu, c, nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// EmailConversation finds the conversation an inbound e-mail belongs to — the one whose thread
// holds a Message-ID it replies to (refs: In-Reply-To and References, in any order) — or opens
// one for the sender's address (one customer per address on the e-mail channel), and records the
// mail's own Message-ID in the thread so replies to it find it too.
func (s *Store) EmailConversation(ctx context.Context, address, name, subject, messageID string, refs []string, lang string) (Customer, Conversation, error) {
	var convID string
	// The mail itself, if stored already (the provider retrying), else what it replies to.
	known := refs
	if messageID != "" {
		known = append([]string{messageID}, refs...)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT m.conversation_id FROM email_message_ids m JOIN email_threads t USING (conversation_id)
			WHERE m.message_id = ANY($1::text[]) AND t.address = $2
			ORDER BY m.message_id = $3 DESC LIMIT 1`, known, address, messageID).Scan(&convID)
		if errors.Is(err, pgx.ErrNoRows) {
			var custID string
			err = tx.QueryRow(ctx, `SELECT customer_id FROM email_customers WHERE address = $1`, address).Scan(&custID)
			if errors.Is(err, pgx.ErrNoRows) {
				if err := tx.QueryRow(ctx, `INSERT INTO customers (name, email, language, token_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
					name, address, lang, HashToken(newToken(CustomerTokenPrefix))).Scan(&custID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO email_customers (address, customer_id) VALUES ($1, $2)`, address, custID); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO conversations (customer_id, channel, language) VALUES ($1, 'email', $2) RETURNING id`,
				custID, lang).Scan(&convID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO email_threads (conversation_id, address, subject) VALUES ($1, $2, $3)`, convID, address, subject); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if messageID == "" {
			return nil
		}
		_, err = tx.Exec(ctx, `WITH t AS (UPDATE email_threads SET last_message_id = $2, refs = right(refs || ' ' || $2, 900)
			WHERE conversation_id = $1)
			INSERT INTO email_message_ids (message_id, conversation_id) VALUES ($2, $1) ON CONFLICT DO NOTHING`, convID, messageID)
		return err
	})
	if isUniqueViolation(err) {
		return s.EmailConversation(ctx, address, name, subject, messageID, refs, lang) // a concurrent first mail from the address
	}
	if err != nil {
		return Customer{}, Conversation{}, fmt.Errorf("conversation: e-mail thread: %w", err)
	}
	c, err := s.Get(ctx, convID)
	if err != nil {
		return Customer{}, Conversation{}, err
	}
	cu, err := s.CustomerGet(ctx, c.CustomerID)
	return cu, c, err
}
