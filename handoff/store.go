package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

// SuggestionSink receives a resolved handoff's question and answer inside the resolving transaction.
type SuggestionSink func(ctx context.Context, tx pgx.Tx, s Suggestion) error

// Store keeps handoffs and moves conversations between the bot, the queue and agents.
type Store struct {
	pool    *pgxpool.Pool
	suggest SuggestionSink
	// OfferTimeout is how long an offer waits for its agent (BATON_OFFER_TIMEOUT; 0: for ever),
	// for the expiry AgentConversations shows.
	OfferTimeout time.Duration
}

// NewStore returns a store; suggest may be nil.
func NewStore(pool *pgxpool.Pool, suggest SuggestionSink) *Store {
	return &Store{pool: pool, suggest: suggest}
}

// EnqueueTx puts a conversation in the queue with a snapshot of its transcript. A conversation
// already waiting or held keeps its open handoff.
func EnqueueTx(ctx context.Context, tx pgx.Tx, r Request) error {
	snap := Context{Reason: r.Reason, Question: r.Question, Message: r.Message, Language: r.Language, Intent: r.Intent,
		Confidence: r.Confidence, Sentiment: r.Sentiment, Transcript: []TranscriptLine{}}
	// Slots: everything the bot collected in the conversation, not only in the task under way (an
	// order tracked, then "太差了，我要投诉"), a later value of a slot replacing an earlier one and
	// the request's own last.
	collected := map[string]string{}
	rows, err := tx.Query(ctx, `SELECT sender, text, created_at, CASE WHEN sender = 'bot' AND jsonb_typeof(meta->'slots') = 'object'
		THEN meta->'slots' END FROM messages WHERE conversation_id = $1 ORDER BY seq`, r.ConversationID)
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	for rows.Next() {
		var l TranscriptLine
		var slots map[string]string
		if err := rows.Scan(&l.Sender, &l.Text, &l.CreatedAt, &slots); err != nil {
			rows.Close()
			return err
		}
		for k, v := range slots {
			collected[k] = v
		}
		snap.Transcript = append(snap.Transcript, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for k, v := range r.Slots {
		collected[k] = v
	}
	if len(collected) > 0 {
		snap.Slots = collected
	}
	b, _ := json.Marshal(snap)
	tag, err := tx.Exec(ctx, `INSERT INTO handoffs (conversation_id, reason, skill, language, priority, question, context)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (conversation_id) WHERE status <> 'resolved' DO NOTHING`,
		r.ConversationID, r.Reason, r.Skill, r.Language, r.Priority, r.Question, string(b))
	if err != nil {
		return fmt.Errorf("handoff: enqueue: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	if err := conversation.SetStatusTx(ctx, tx, r.ConversationID, conversation.StatusQueued, r.Reason, nil); err != nil {
		return err
	}
	if err := events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"}); err != nil {
		return err
	}
	agent, err := RouteTx(ctx, tx, r.ConversationID)
	if err != nil || agent != 0 {
		return err
	}
	return afterHoursTx(ctx, tx, r, time.Now())
}

const queueSelect = `
SELECT h.conversation_id, h.id, h.reason, h.skill, h.language, h.priority, h.question,
  COALESCE(h.context->>'message', ''), cu.name, h.enqueued_at, h.left_message, c.channel
FROM handoffs h
JOIN conversations c ON c.id = h.conversation_id
JOIN customers cu ON cu.id = c.customer_id
WHERE h.status = 'queued' AND ($1 OR (h.skill = ANY($2) AND h.language = ANY($3)))
ORDER BY h.priority DESC, h.enqueued_at, h.id
LIMIT 200`

// Queue lists what u may take: conversations waiting for one of u's skills and languages
// (everything for an admin), highest priority first, then oldest.
func (s *Store) Queue(ctx context.Context, u auth.User) ([]QueueItem, error) {
	rows, err := s.pool.Query(ctx, queueSelect, u.Role == auth.RoleAdmin, u.Skills, u.Languages)
	if err != nil {
		return nil, fmt.Errorf("handoff: queue: %w", err)
	}
	defer rows.Close()
	out := []QueueItem{}
	for rows.Next() {
		var q QueueItem
		if err := rows.Scan(&q.ConversationID, &q.HandoffID, &q.Reason, &q.Skill, &q.Language, &q.Priority, &q.Question, &q.Message, &q.CustomerName, &q.EnqueuedAt, &q.LeftMessage, &q.Channel); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// AgentConversations lists the conversations u holds.
func (s *Store) AgentConversations(ctx context.Context, u auth.User) ([]AgentItem, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.status, h.reason, h.question,
		COALESCE(h.context->>'message', ''), cu.name, h.claimed_at, c.updated_at,
		h.accepted_at IS NULL, h.left_message, c.channel
		FROM handoffs h JOIN conversations c ON c.id = h.conversation_id JOIN customers cu ON cu.id = c.customer_id
		WHERE h.status = 'assigned' AND h.claimed_by = $1 ORDER BY c.updated_at DESC`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("handoff: agent conversations: %w", err)
	}
	defer rows.Close()
	out := []AgentItem{}
	for rows.Next() {
		var a AgentItem
		if err := rows.Scan(&a.ConversationID, &a.Status, &a.Reason, &a.Question, &a.Message, &a.CustomerName, &a.ClaimedAt, &a.UpdatedAt, &a.Offered, &a.LeftMessage, &a.Channel); err != nil {
			return nil, err
		}
		if a.Offered && s.OfferTimeout > 0 {
			at := a.ClaimedAt.Add(s.OfferTimeout)
			a.OfferExpiresAt = &at
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const handoffCols = `id, conversation_id, reason, skill, language, priority, question, status, context,
enqueued_at, claimed_by, claimed_at, resolved_at, auto_assigned, note, accepted_at, left_message`

func scanHandoff(row pgx.Row) (Handoff, error) {
	var h Handoff
	var ctxJSON []byte
	err := row.Scan(&h.ID, &h.ConversationID, &h.Reason, &h.Skill, &h.Language, &h.Priority, &h.Question, &h.Status,
		&ctxJSON, &h.EnqueuedAt, &h.ClaimedBy, &h.ClaimedAt, &h.ResolvedAt, &h.AutoAssigned, &h.Note, &h.AcceptedAt, &h.LeftMessage)
	if errors.Is(err, pgx.ErrNoRows) {
		return Handoff{}, ErrNotFound
	}
	if err != nil {
		return Handoff{}, err
	}
	_ = json.Unmarshal(ctxJSON, &h.Context)
	return h, nil
}

// Latest returns the conversation's most recent handoff.
func (s *Store) Latest(ctx context.Context, convID string) (Handoff, error) {
	h, err := scanHandoff(s.pool.QueryRow(ctx, `SELECT `+handoffCols+` FROM handoffs WHERE conversation_id = $1
		ORDER BY id DESC LIMIT 1`, convID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Handoff{}, fmt.Errorf("handoff: latest: %w", err)
	}
	return h, err
}

// Claim gives a queued conversation to u. Of concurrent claims exactly one wins: the agent's row
// is locked first (so their load is counted once), then the conversation's, and the handoff moves
// from queued to assigned only once. Claiming a conversation one already holds succeeds again; a
// claim past the agent's capacity fails with ErrAtCapacity.
func (s *Store) Claim(ctx context.Context, convID string, u auth.User) (conversation.Conversation, error) {
	var conv conversation.Conversation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		a, err := lockAgentTx(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		switch c.Status {
		case conversation.StatusAssigned:
			if c.AssignedAgentID != nil && *c.AssignedAgentID == u.ID {
				// Claiming what one was offered accepts it.
				if _, err := acceptTx(ctx, tx, c, u.ID); err != nil {
					return err
				}
				conv, err = conversation.GetForUpdateTx(ctx, tx, convID)
				return err
			}
			return ErrTaken
		case conversation.StatusQueued:
		default:
			return ErrNotQueued
		}
		if a.Free <= 0 {
			return ErrAtCapacity
		}
		var hid int64
		err = tx.QueryRow(ctx, `SELECT id FROM handoffs WHERE conversation_id = $1 AND status = 'queued'`, convID).Scan(&hid)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrTaken
		}
		if err != nil {
			return err
		}
		if err := assignTx(ctx, tx, hid, u.ID, false); err != nil {
			return err
		}
		conv, err = conversation.GetForUpdateTx(ctx, tx, convID)
		return err
	})
	if err != nil {
		return conversation.Conversation{}, known("claim", err)
	}
	return conv, nil
}

// AgentMessage sends an agent's reply on a conversation the agent holds.
func (s *Store) AgentMessage(ctx context.Context, convID string, u auth.User, text string) (conversation.Message, error) {
	return s.AgentMessageScreened(ctx, convID, u, text, nil)
}

// AgentMessageScreened is AgentMessage with screen run in its transaction once the agent is known
// to hold the conversation and before anything is stored: an error from it (compliance refusing
// the text) stores nothing and is returned as it is. screen must not touch the database.
func (s *Store) AgentMessageScreened(ctx context.Context, convID string, u auth.User, text string,
	screen func(conversation.Conversation) error) (conversation.Message, error) {
	var m conversation.Message
	var screened error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		if c.Status != conversation.StatusAssigned || c.AssignedAgentID == nil || *c.AssignedAgentID != u.ID {
			return ErrNotHolder
		}
		if screen != nil {
			if screened = screen(c); screened != nil {
				return screened
			}
		}
		// Answering an offer accepts it; the customer first hears who joined.
		if _, err := acceptTx(ctx, tx, c, u.ID); err != nil {
			return err
		}
		m, _, err = conversation.AppendTx(ctx, tx, convID, conversation.NewMessage{
			Sender: conversation.SenderAgent, AuthorID: &u.ID, Text: text, BotDone: true,
		})
		return err
	})
	if screened != nil && errors.Is(err, screened) {
		return conversation.Message{}, screened
	}
	if err != nil {
		return conversation.Message{}, known("agent message", err)
	}
	return m, nil
}

// Resolve closes the conversation u holds with a wrap-up: its disposition (required) and
// resolution note are kept on the handoff and in the conversation's timeline. Unless the
// disposition says otherwise (spam), the customer's unanswered question and the agent's answer
// become a knowledge-base suggestion; it reports whether one was made.
func (s *Store) Resolve(ctx context.Context, convID string, u auth.User, w WrapUp) (conversation.Conversation, bool, error) {
	var conv conversation.Conversation
	suggested := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		if c.Status != conversation.StatusAssigned || c.AssignedAgentID == nil || (*c.AssignedAgentID != u.ID && u.Role != auth.RoleAdmin) {
			return ErrNotHolder
		}
		disp, err := checkWrapUp(ctx, tx, &w)
		if err != nil {
			return err
		}
		h, err := scanHandoff(tx.QueryRow(ctx, `UPDATE handoffs SET status = 'resolved', resolved_at = now()
			WHERE conversation_id = $1 AND status = 'assigned' RETURNING `+handoffCols, convID))
		if err != nil {
			return err
		}
		if err := wrapUpTx(ctx, tx, c, h.ID, u, w); err != nil {
			return err
		}
		question, answer, err := questionAndAnswerTx(ctx, tx, h)
		if err != nil {
			return err
		}
		if question != "" && answer != "" && s.suggest != nil && disp.Suggest {
			if err := s.suggest(ctx, tx, Suggestion{Question: question, Answer: answer, Language: h.Language,
				ConversationID: convID, HandoffID: h.ID}); err != nil {
				return err
			}
			suggested = true
		}
		// The closing line, the status and the events: one round trip (baton_resolve, migration 0010).
		var js []byte
		if err := tx.QueryRow(ctx, `SELECT baton_resolve($1, $2)`, convID, systemText(c.Language, "resolved")).Scan(&js); err != nil {
			return fmt.Errorf("handoff: close: %w", err)
		}
		return json.Unmarshal(js, &conv)
	})
	if err != nil {
		return conversation.Conversation{}, false, known("resolve", err)
	}
	// The holder has room again: the queue drains to them (the sweeper retries if this fails).
	if conv.AssignedAgentID != nil {
		if _, err := s.DrainAgent(ctx, *conv.AssignedAgentID); err != nil {
			return conv, suggested, fmt.Errorf("handoff: drain after resolve: %w", err)
		}
	}
	return conv, suggested, nil
}

// questionAndAnswerTx finds what to learn from a handoff: the question the bot could not answer
// (or, after a bare "I want a person", the first real question asked while waiting) and the
// agent's replies after the claim.
func questionAndAnswerTx(ctx context.Context, tx pgx.Tx, h Handoff) (string, string, error) {
	question := strings.TrimSpace(h.Question)
	rows, err := tx.Query(ctx, `SELECT sender, text FROM messages WHERE conversation_id = $1 AND created_at >= $2
		AND sender IN ('customer', 'agent') ORDER BY seq`, h.ConversationID, h.EnqueuedAt)
	if err != nil {
		return "", "", fmt.Errorf("handoff: read answers: %w", err)
	}
	defer rows.Close()
	var answers []string
	for rows.Next() {
		var sender, text string
		if err := rows.Scan(&sender, &text); err != nil {
			return "", "", err
		}
		switch sender {
		case conversation.SenderCustomer:
			if question == "" && len(answers) == 0 {
				question = intent.Substance(text)
			}
		case conversation.SenderAgent:
			answers = append(answers, strings.TrimSpace(text))
		}
	}
	return question, strings.Join(answers, "\n\n"), rows.Err()
}

// lockConversation locks a conversation row for the rest of tx.
func lockConversation(ctx context.Context, tx pgx.Tx, id string) (conversation.Conversation, error) {
	c, err := conversation.GetForUpdateTx(ctx, tx, id)
	if errors.Is(err, conversation.ErrNotFound) {
		return c, ErrNotFound
	}
	return c, err
}

func known(op string, err error) error {
	for _, k := range []error{ErrNotFound, ErrTaken, ErrNotQueued, ErrNotHolder, ErrAtCapacity, ErrInvalid, ErrNoSuchAgent, ErrAgentAway, ErrTargetFull} {
		if errors.Is(err, k) {
			return err
		}
	}
	return fmt.Errorf("handoff: %s: %w", op, err)
}
