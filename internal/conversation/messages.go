package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/baton-cs/baton/internal/events"
)

const messageCols = `id, conversation_id, seq, sender, author_id, text, COALESCE(client_message_id, ''),
reply_to, citations, meta, bot_done, created_at`

func scanMessage(row pgx.Row) (Message, error) {
	var m Message
	var cites, meta []byte
	err := row.Scan(&m.ID, &m.ConversationID, &m.Seq, &m.Sender, &m.AuthorID, &m.Text, &m.ClientMessageID,
		&m.ReplyTo, &cites, &meta, &m.botDone, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Message{}, ErrNotFound
	}
	if err != nil {
		return Message{}, err
	}
	if len(cites) > 0 {
		if err := json.Unmarshal(cites, &m.Citations); err != nil {
			return Message{}, fmt.Errorf("conversation: citations: %w", err)
		}
	}
	if len(meta) > 0 {
		m.Meta = json.RawMessage(meta)
	}
	return m, nil
}

// messageInsert takes the conversation's next seq and stores the message with it, in one statement.
// messageInsert takes the conversation's next seq, stores the message and records and announces
// its event (as events.Notify does), in one statement: one round trip.
const messageInsert = `
WITH s AS (UPDATE conversations SET last_seq = last_seq + 1, updated_at = now() WHERE id = $1 RETURNING last_seq),
m AS (INSERT INTO messages (conversation_id, seq, sender, author_id, text, client_message_id, reply_to, citations, meta, bot_done)
	SELECT $1, s.last_seq, $2::text, $3::bigint, $4::text, NULLIF($5::text, ''), $6::bigint, $7::jsonb, $8::jsonb, $9::boolean FROM s
	RETURNING ` + messageCols + `),
e AS (INSERT INTO events (topic, kind, seq) SELECT $10::text, 'message', m.seq FROM m RETURNING seq),
n AS (SELECT pg_notify($11::text, json_build_object('topic', $10::text, 'kind', 'message', 'seq', e.seq)::text) FROM e)
SELECT m.* FROM m, n`

// Querier is a transaction, or the pool itself for a statement that needs none.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// AppendTx adds a message with the conversation's next seq and tells subscribers (in tx, or, given
// the pool, on its own: its one statement is atomic). When the
// message carries a client message id already stored, it returns the stored one and false.
func AppendTx(ctx context.Context, tx Querier, convID string, nm NewMessage) (Message, bool, error) {
	if nm.ClientMessageID != "" {
		m, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageCols+` FROM messages
			WHERE conversation_id = $1 AND client_message_id = $2`, convID, nm.ClientMessageID))
		if err == nil {
			return m, false, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return Message{}, false, fmt.Errorf("conversation: find client message: %w", err)
		}
	}
	var cites *string // jsonb travels as text, so it works in the simple protocol too
	if len(nm.Citations) > 0 {
		b, _ := json.Marshal(nm.Citations)
		s := string(b)
		cites = &s
	}
	var meta *string
	if len(nm.Meta) > 0 {
		s := string(nm.Meta)
		meta = &s
	}
	m, err := scanMessage(tx.QueryRow(ctx, messageInsert,
		convID, nm.Sender, nm.AuthorID, nm.Text, nm.ClientMessageID, nm.ReplyTo, cites, meta, nm.BotDone,
		events.ConversationTopic(convID), events.Channel))
	if errors.Is(err, ErrNotFound) {
		return Message{}, false, ErrNotFound // no such conversation
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("conversation: insert message: %w", err)
	}
	return m, true, nil
}

// Append adds one message in its own transaction. Two requests racing with one client message id
// both end with the one stored message: the loser of the insert retries and finds it.
func (s *Store) Append(ctx context.Context, convID string, nm NewMessage) (Message, bool, error) {
	var m Message
	var created bool
	for attempt := 0; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			m, created, err = AppendTx(ctx, tx, convID, nm)
			return err
		})
		if attempt == 0 && nm.ClientMessageID != "" && IsDuplicateClientID(err) {
			continue
		}
		return m, created, err
	}
}

// IsDuplicateClientID reports a lost race between two inserts of one client message id.
func IsDuplicateClientID(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName, "client_message_id")
}

// claimTurn marks a customer message as answered by the bot and, if the bot still holds the
// conversation, stores its new state: one statement.
const claimTurn = `WITH m AS (UPDATE messages SET bot_done = true WHERE id = $2 AND NOT bot_done RETURNING id),
u AS (UPDATE conversations SET bot_state = $3::jsonb WHERE id = $1 AND status = 'bot' AND EXISTS (SELECT 1 FROM m) RETURNING id)
SELECT EXISTS (SELECT 1 FROM m), EXISTS (SELECT 1 FROM u)`

// ClaimBotTurnTx claims a customer message for the bot's turn and stores the bot's state. mine is
// false when another request already took that turn; holds is false when a person holds the
// conversation now (the turn is then taken, with nothing to say: they answer).
func ClaimBotTurnTx(ctx context.Context, tx pgx.Tx, convID string, msgID int64, state any) (mine, holds bool, err error) {
	b, err := json.Marshal(state)
	if err != nil {
		return false, false, err
	}
	if err := tx.QueryRow(ctx, claimTurn, convID, msgID, string(b)).Scan(&mine, &holds); err != nil {
		return false, false, fmt.Errorf("conversation: claim the bot's turn: %w", err)
	}
	return mine, holds, nil
}

// MessagesAfter lists a conversation's messages with seq > after, oldest first, at most limit.
func (s *Store) MessagesAfter(ctx context.Context, convID string, after int64, limit int) ([]Message, error) {
	return s.list(ctx, `SELECT `+messageCols+` FROM messages WHERE conversation_id = $1 AND seq > $2
		ORDER BY seq LIMIT $3`, convID, after, limit)
}

// Replies lists the messages written in answer to a customer message.
func (s *Store) Replies(ctx context.Context, msgID int64) ([]Message, error) {
	return s.list(ctx, `SELECT `+messageCols+` FROM messages WHERE reply_to = $1 ORDER BY seq`, msgID)
}

func (s *Store) list(ctx context.Context, q string, args ...any) ([]Message, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("conversation: list messages: %w", err)
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
