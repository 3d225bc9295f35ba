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

// scanMessage reads messageCols, then any extra columns into extra.
func scanMessage(row pgx.Row, extra ...any) (Message, error) {
	var m Message
	var cites, meta []byte
	err := row.Scan(append([]any{&m.ID, &m.ConversationID, &m.Seq, &m.Sender, &m.AuthorID, &m.Text, &m.ClientMessageID,
		&m.ReplyTo, &cites, &meta, &m.botDone, &m.CreatedAt}, extra...)...)
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

// messageInsert stores a message with the conversation's next seq and records and announces its
// event (as events.Notify does), in one statement: one round trip. A message whose client message
// id is stored already is not stored again; the stored one comes back instead, with created false.
const messageInsert = `
WITH d AS (SELECT ` + messageCols + ` FROM messages WHERE conversation_id = $1 AND client_message_id = NULLIF($5::text, '')),
s AS (UPDATE conversations SET last_seq = last_seq + 1, updated_at = now() WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM d) RETURNING last_seq),
m AS (INSERT INTO messages (conversation_id, seq, sender, author_id, text, client_message_id, reply_to, citations, meta, bot_done)
	SELECT $1, s.last_seq, $2::text, $3::bigint, $4::text, NULLIF($5::text, ''), $6::bigint, $7::jsonb, $8::jsonb, $9::boolean FROM s
	RETURNING ` + messageCols + `),
e AS (INSERT INTO events (topic, kind, seq) SELECT $10::text, 'message', m.seq FROM m RETURNING seq),
n AS (SELECT pg_notify($11::text, json_build_object('topic', $10::text, 'kind', 'message', 'seq', e.seq)::text) FROM e)
SELECT m.*, true FROM m, n
UNION ALL
SELECT d.*, false FROM d`

// Querier is a transaction, or the pool itself for a statement that needs none.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// AppendTx adds a message with the conversation's next seq and tells subscribers (in tx, or, given
// the pool, on its own: its one statement is atomic). When the
// message carries a client message id already stored, it returns the stored one and false.
func AppendTx(ctx context.Context, tx Querier, convID string, nm NewMessage) (Message, bool, error) {
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
	var created bool
	m, err := scanMessage(tx.QueryRow(ctx, messageInsert,
		convID, nm.Sender, nm.AuthorID, nm.Text, nm.ClientMessageID, nm.ReplyTo, cites, meta, nm.BotDone,
		events.ConversationTopic(convID), events.Channel), &created)
	if errors.Is(err, ErrNotFound) {
		return Message{}, false, ErrNotFound // no such conversation
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("conversation: insert message: %w", err)
	}
	return m, created, nil
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

// botTurn is ClaimBotTurnTx and the AppendTx of each reply in one statement: it claims the
// customer message, stores the bot's state, and stores, records and announces the replies with
// the conversation's next seqs. Nothing is written but the claim when another request took the
// turn, nor anything but the claim when a person holds the conversation.
const botTurn = `
WITH m AS (UPDATE messages SET bot_done = true WHERE id = $2 AND NOT bot_done RETURNING id),
u AS (UPDATE conversations SET bot_state = $3::jsonb, last_seq = last_seq + cardinality($4::text[]), updated_at = now()
	WHERE id = $1 AND status = 'bot' AND EXISTS (SELECT 1 FROM m) RETURNING last_seq),
r AS (SELECT * FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r (text, citations, meta, n)),
i AS (INSERT INTO messages (conversation_id, seq, sender, text, reply_to, citations, meta, bot_done)
	SELECT $1, u.last_seq - cardinality($4::text[]) + r.n, 'bot', r.text, $2, r.citations::jsonb, r.meta::jsonb, true FROM u, r
	RETURNING ` + messageCols + `),
e AS (INSERT INTO events (topic, kind, seq) SELECT $7::text, 'message', i.seq FROM i RETURNING seq),
n AS (SELECT pg_notify($8::text, json_build_object('topic', $7::text, 'kind', 'message', 'seq', e.seq)::text) FROM e)
SELECT i.* FROM i, (SELECT count(*) FROM n) x ORDER BY i.seq`

// BotReply is one message of the bot's turn.
type BotReply struct {
	Text      string
	Citations []Citation
	Meta      json.RawMessage
}

// BotTurn claims the customer message msgID for the bot's turn, stores its state and its replies
// (at least one), all in one statement, and returns the replies stored: none when another request
// had taken the turn or a person holds the conversation now (they answer).
func (s *Store) BotTurn(ctx context.Context, convID string, msgID int64, state json.RawMessage, replies []BotReply) ([]Message, error) {
	texts := make([]string, len(replies))
	cites := make([]*string, len(replies))
	metas := make([]*string, len(replies))
	for i, r := range replies {
		texts[i] = r.Text
		if len(r.Citations) > 0 {
			b, _ := json.Marshal(r.Citations)
			s := string(b)
			cites[i] = &s
		}
		if len(r.Meta) > 0 {
			s := string(r.Meta)
			metas[i] = &s
		}
	}
	rows, err := s.pool.Query(ctx, botTurn, convID, msgID, string(state), texts, cites, metas,
		events.ConversationTopic(convID), events.Channel)
	if err != nil {
		return nil, fmt.Errorf("conversation: bot turn: %w", err)
	}
	defer rows.Close()
	out := make([]Message, 0, len(replies))
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("conversation: bot turn: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversation: bot turn: %w", err)
	}
	return out, nil
}
