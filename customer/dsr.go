package customer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/pii"
)

// Data-subject requests: everything Baton holds about one customer, as one JSON document for
// them (unmasked: it is their own data), and erasure, by anonymising or deleting. The audit
// entry of either outlives the customer.

// Erased replaces the text of an anonymised customer's messages, notes and the like.
const Erased = "[erased]"

// exportSections are the document's parts, each one query returning a JSON value for customer $1.
// Rows are exported whole (to_jsonb), so columns added later come along, except token hashes.
var exportSections = []struct{ name, query string }{
	{"customer", `SELECT to_jsonb(c) - 'token_hash' FROM customers c WHERE c.id = $1`},
	{"tokens", `SELECT jsonb_build_object('count', 1 + count(t.token_hash), 'issued_at',
		jsonb_agg(t.created_at ORDER BY t.created_at) FILTER (WHERE t.created_at IS NOT NULL))
		FROM customers c LEFT JOIN customer_tokens t ON t.customer_id = c.id WHERE c.id = $1`},
	{"channel_identities", `SELECT COALESCE(jsonb_agg(to_jsonb(u) ORDER BY u.channel), '[]') FROM channel_users u WHERE u.customer_id = $1`},
	{"email_addresses", `SELECT COALESCE(jsonb_agg(e.address ORDER BY e.address), '[]') FROM email_customers e WHERE e.customer_id = $1`},
	{"conversations", `SELECT COALESCE(jsonb_agg(to_jsonb(cv) || jsonb_build_object(
		'messages', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', m.id, 'seq', m.seq, 'sender', m.sender, 'text', m.text,
			'citations', m.citations, 'created_at', m.created_at) ORDER BY m.seq), '[]') FROM messages m WHERE m.conversation_id = cv.id),
		'handoffs', (SELECT COALESCE(jsonb_agg(to_jsonb(h) || jsonb_build_object('summary', hs.text) ORDER BY h.id), '[]')
			FROM handoffs h LEFT JOIN handoff_summaries hs ON hs.handoff_id = h.id WHERE h.conversation_id = cv.id),
		'notes', (SELECT COALESCE(jsonb_agg(to_jsonb(n) ORDER BY n.id), '[]') FROM conversation_timeline n WHERE n.conversation_id = cv.id),
		'email_thread', (SELECT to_jsonb(et) FROM email_threads et WHERE et.conversation_id = cv.id)
	) ORDER BY cv.created_at), '[]') FROM conversations cv WHERE cv.customer_id = $1`},
	{"tickets", `SELECT COALESCE(jsonb_agg(to_jsonb(t) || jsonb_build_object('events',
		(SELECT COALESCE(jsonb_agg(to_jsonb(e) ORDER BY e.id), '[]') FROM ticket_events e WHERE e.ticket_id = t.id)) ORDER BY t.id), '[]')
		FROM tickets t WHERE t.customer_id = $1 OR t.conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)`},
	{"ratings", `SELECT COALESCE(jsonb_agg(to_jsonb(r) ORDER BY r.id), '[]') FROM csat_ratings r
		WHERE r.customer_id = $1 OR r.conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)`},
	{"kb_suggestions", `SELECT COALESCE(jsonb_agg(jsonb_build_object('id', s.id, 'question', s.question, 'answer', s.answer,
		'language', s.language, 'conversation_id', s.conversation_id, 'status', s.status, 'created_at', s.created_at) ORDER BY s.id), '[]')
		FROM kb_suggestions s WHERE s.conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)`},
	{"kb_unanswered", `SELECT COALESCE(jsonb_agg(jsonb_build_object('id', u.id, 'question', u.question, 'language', u.language,
		'reason', u.reason, 'conversation_id', u.conversation_id, 'asked_at', u.asked_at) ORDER BY u.id), '[]')
		FROM kb_unanswered u WHERE u.conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)`},
}

// Export returns everything about customer id, section by section, in one read-only snapshot.
func (s *Store) Export(ctx context.Context, id string) (map[string]json.RawMessage, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("customer: export: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	doc := map[string]json.RawMessage{}
	for _, sec := range exportSections {
		var v []byte
		err := tx.QueryRow(ctx, sec.query, id).Scan(&v)
		if sec.name == "customer" && errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("customer: export %s: %w", sec.name, err)
		}
		doc[sec.name] = v
	}
	return doc, nil
}

// Erase modes.
const (
	// EraseAnonymise keeps the customer's records for counts and reports but removes who they are
	// and what they wrote: name, e-mail, phone and external id blanked; the text of every message of
	// their conversations (the agent's and the bot's may quote them), notes, handoff questions,
	// ticket descriptions and comments, rating comments and knowledge-base suggestions replaced;
	// their tokens revoked, so the old chat can no longer read the conversation.
	EraseAnonymise = "anonymise"
	// EraseDelete removes the customer, their conversations and everything hanging off them
	// (tickets about them too).
	EraseDelete = "delete"
)

// ErasureCounts says how much an erasure touched.
type ErasureCounts struct {
	Conversations int64 `json:"conversations"`
	Messages      int64 `json:"messages"`
	Tickets       int64 `json:"tickets"`
	Ratings       int64 `json:"ratings"`
}

// eraseOutbox deletes the outbox rows about a customer's conversations: deliveries carry message
// text, questions, ticket subjects and comments; what has not gone out does not go now.
const eraseOutbox = `DELETE FROM deliveries d WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = $1 AND c.id::text IN (
			d.payload ->> 'conversation_id', d.payload #>> '{conversation,id}', d.payload #>> '{handoff,conversation_id}',
			d.payload #>> '{ticket,conversation_id}', d.payload #>> '{rating,conversation_id}'))
		OR EXISTS (SELECT 1 FROM customers cu WHERE cu.id = $1 AND cu.id::text IN (
			d.payload #>> '{conversation,customer_id}', d.payload #>> '{ticket,customer_id}', d.payload #>> '{rating,customer_id}'))`

// Erase anonymises or deletes customer id in one transaction.
func (s *Store) Erase(ctx context.Context, id, mode string) (ErasureCounts, error) {
	var n ErasureCounts
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return n, fmt.Errorf("customer: erase: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT true FROM customers WHERE id = $1 FOR UPDATE`, id).Scan(&exists); errors.Is(err, pgx.ErrNoRows) {
		return n, ErrNotFound
	} else if err != nil {
		return n, fmt.Errorf("customer: erase: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(DISTINCT c.id), count(m.id) FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id
		WHERE c.customer_id = $1`, id).Scan(&n.Conversations, &n.Messages); err != nil {
		return n, fmt.Errorf("customer: erase: %w", err)
	}
	const theirs = `(SELECT id FROM conversations WHERE customer_id = $1)`
	var steps []string
	if mode == EraseDelete {
		steps = append(steps, eraseOutbox,
			`DELETE FROM kb_suggestions WHERE conversation_id IN `+theirs,
			`DELETE FROM tickets WHERE customer_id = $1 OR conversation_id IN `+theirs,
			`DELETE FROM customers WHERE id = $1`)
	} else {
		steps = append(steps,
			`UPDATE customers SET name = '', email = '', phone = '', external_id = NULL, verified = false,
				token_hash = sha256(convert_to(gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')) WHERE id = $1`,
			`DELETE FROM customer_tokens WHERE customer_id = $1`,
			`DELETE FROM channel_users WHERE customer_id = $1`,
			`DELETE FROM email_customers WHERE customer_id = $1`,
			`UPDATE email_threads SET address = '', subject = '', last_message_id = '', refs = '' WHERE conversation_id IN `+theirs,
			`DELETE FROM email_message_ids WHERE conversation_id IN `+theirs,
			`UPDATE conversations SET bot_state = '{}' WHERE customer_id = $1`,
			// The bot's meta keeps the slots it filled from what they wrote (order numbers, phones).
			`UPDATE messages SET text = CASE WHEN text = '' THEN '' ELSE '`+Erased+`' END, meta = meta - 'slots'
				WHERE conversation_id IN `+theirs,
			`UPDATE handoffs SET question = CASE WHEN question = '' THEN '' ELSE '`+Erased+`' END,
				context = context - 'question' - 'message' - 'slots' - 'transcript', note = '', resolution_note = ''
				WHERE conversation_id IN `+theirs,
			`DELETE FROM handoff_summaries WHERE handoff_id IN (SELECT id FROM handoffs WHERE conversation_id IN `+theirs+`)`,
			`UPDATE conversation_timeline SET text = '`+Erased+`' WHERE conversation_id IN `+theirs+` AND text <> ''`,
			`UPDATE kb_suggestions SET question = '`+Erased+`', answer = '`+Erased+`', keys = '{}' WHERE conversation_id IN `+theirs,
			`UPDATE kb_unanswered SET question = '`+Erased+`', keys = '{}' WHERE conversation_id IN `+theirs,
			`UPDATE tickets SET description = '', subject = '`+Erased+`', order_number = '', attachments = '[]'
				WHERE customer_id = $1 OR conversation_id IN `+theirs,
			`UPDATE ticket_events SET body = '`+Erased+`' WHERE kind = 'comment' AND ticket_id IN
				(SELECT id FROM tickets WHERE customer_id = $1 OR conversation_id IN `+theirs+`)`,
			`UPDATE csat_ratings SET comment = '' WHERE customer_id = $1 OR conversation_id IN `+theirs,
			// Last: with the webhook events these updates queued (a ticket "updated", a rating "changed").
			eraseOutbox)
	}
	for i, q := range steps {
		tag, err := tx.Exec(ctx, q, id)
		if err != nil {
			return n, fmt.Errorf("customer: erase step %d: %w", i, err)
		}
		switch {
		case strings.HasPrefix(q, "DELETE FROM tickets"), strings.HasPrefix(q, "UPDATE tickets"):
			n.Tickets = tag.RowsAffected()
		case strings.HasPrefix(q, "UPDATE csat_ratings"):
			n.Ratings = tag.RowsAffected()
		}
	}
	return n, tx.Commit(ctx)
}

// ExportCustomer is GET /api/v1/customers/:id/export (admins): the data-subject export, a JSON
// attachment. It is for the customer, so nothing in it is masked.
func (a *API) ExportCustomer(c *gin.Context) {
	id := c.Param("id")
	if !uuidShape.MatchString(id) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	doc, err := a.Store.Export(c.Request.Context(), id)
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	doc["format"] = json.RawMessage(`"baton-customer-export/1"`)
	stamp, _ := json.Marshal(time.Now().UTC())
	doc["exported_at"] = stamp
	c.Header("Content-Disposition", `attachment; filename="baton-customer-`+id+`.json"`)
	c.JSON(http.StatusOK, doc)
}

type eraseIn struct {
	Mode   string `json:"mode"`
	Reason string `json:"reason"`
}

// EraseCustomer is POST /api/v1/customers/:id/erase (admins) {"mode": "anonymise"|"delete",
// "reason": "..."}. The audit entry keeps who, when, the mode and the reason.
func (a *API) EraseCustomer(c *gin.Context) {
	id := c.Param("id")
	if !uuidShape.MatchString(id) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	var in eraseIn
	if !httpx.BindJSON(c, &in, 4<<10) {
		return
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Mode != EraseAnonymise && in.Mode != EraseDelete:
		httpx.Error(c, http.StatusBadRequest, `mode must be "anonymise" or "delete"`)
		return
	case in.Reason == "":
		httpx.Error(c, http.StatusBadRequest, "reason is required")
		return
	case utf8.RuneCountInString(in.Reason) > 500:
		httpx.Error(c, http.StatusBadRequest, "reason must be at most 500 characters")
		return
	}
	audit.Detail(c, "mode", in.Mode)
	audit.Detail(c, "reason", pii.Mask(in.Reason)) // outlives the customer: no contact details in it
	n, err := a.Store.Erase(c.Request.Context(), id, in.Mode)
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	audit.Detail(c, "counts", n)
	c.JSON(http.StatusOK, gin.H{"customer_id": id, "mode": in.Mode, "erased": n})
}
