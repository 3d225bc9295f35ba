package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

// Two clocks take a conversation back from an agent: an offer (an automatic assignment) not
// accepted within the offer time-out (see offer.go), and an assignment whose agent has not written
// to the customer within the reply time-out. Either way the handoff goes back to the queue with a
// note, the agent is excluded from it (lapsed_by: the router does not give it to them again,
// though they can still take it from the queue), and it is routed to the next agent.

// lapsedSelect finds assigned handoffs whose agent has not written since taking them.
const lapsedSelect = `
SELECT h.id, h.conversation_id, h.claimed_by, ` + agentName + ` FROM handoffs h JOIN users u ON u.id = h.claimed_by
WHERE h.status = 'assigned' AND h.claimed_at < now() - make_interval(secs => $1)
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = h.conversation_id
                  AND m.sender = 'agent' AND m.created_at >= h.claimed_at)
ORDER BY h.claimed_at
LIMIT 100
FOR UPDATE OF h SKIP LOCKED`

// unacceptedSelect finds offers their agent has not accepted in time.
const unacceptedSelect = `
SELECT h.id, h.conversation_id, h.claimed_by, ` + agentName + ` FROM handoffs h JOIN users u ON u.id = h.claimed_by
WHERE h.status = 'assigned' AND h.accepted_at IS NULL AND h.claimed_at < now() - make_interval(secs => $1)
ORDER BY h.claimed_at
LIMIT 100
FOR UPDATE OF h SKIP LOCKED`

// agentName is how a users row u is named to customers and colleagues.
const agentName = `COALESCE(NULLIF(u.name, ''), split_part(u.email, '@', 1))`

var reassignTexts = map[string][2]string{ // [en, zh]
	"note":     {"Reassigned: the previous agent did not reply within %s.", "已转派：上一位客服在 %s 内未回复。"},
	"offer":    {"Offered to %s, who did not accept it within %s; offered to the next agent.", "已分配给 %s，但其 %s 内未接受；已转给下一位客服。"},
	"declined": {"Declined by %s; offered to the next agent.", "%s 已拒绝；已转给下一位客服。"},
	"customer": {"Sorry for the wait — we are finding another agent for you.", "抱歉久等，正在为您转接其他客服。"},
}

// ReassignLapsed returns to the queue every assignment its agent left unanswered for timeout,
// noting why, and routes each to another agent. Running it in several processes at once is safe:
// each handoff is taken by one of them (SKIP LOCKED) and is no longer lapsed afterwards.
func (s *Store) ReassignLapsed(ctx context.Context, timeout time.Duration) (int, error) {
	return s.requeueWhere(ctx, lapsedSelect, []any{timeout.Seconds()}, func(lang int, _ string) (string, string) {
		return fmt.Sprintf(reassignTexts["note"][lang], timeout.Round(time.Second)), reassignTexts["customer"][lang]
	})
}

// ReassignUnaccepted moves every offer not accepted within timeout to the next eligible agent.
// The customer, who never heard that anyone joined, is not told; the agents see the note.
func (s *Store) ReassignUnaccepted(ctx context.Context, timeout time.Duration) (int, error) {
	return s.requeueWhere(ctx, unacceptedSelect, []any{timeout.Seconds()}, func(lang int, agent string) (string, string) {
		return fmt.Sprintf(reassignTexts["offer"][lang], agent, timeout.Round(time.Second)), ""
	})
}

// declineSelect finds the offer of conversation $1 to agent $2.
const declineSelect = `
SELECT h.id, h.conversation_id, h.claimed_by, ` + agentName + ` FROM handoffs h JOIN users u ON u.id = h.claimed_by
WHERE h.conversation_id = $1 AND h.status = 'assigned' AND h.claimed_by = $2 AND h.accepted_at IS NULL
FOR UPDATE OF h`

// Decline hands back the offer of a conversation to u: it goes to the next eligible agent (or
// waits in the queue, where u can still take it). ErrNotOffered when it is no offer to u.
func (s *Store) Decline(ctx context.Context, convID string, u auth.User) error {
	n, err := s.requeue(ctx, convID, declineSelect, []any{convID, u.ID}, func(lang int, agent string) (string, string) {
		return fmt.Sprintf(reassignTexts["declined"][lang], agent), ""
	})
	switch {
	case errors.Is(err, conversation.ErrNotFound):
		return ErrNotFound
	case err == nil && n == 0:
		return ErrNotOffered
	}
	return err
}

// reofferSelect finds handoffs still queued an offer time-out ($1) after their last lapse or
// decline, in auto-assigning teams: everyone who had them is eligible again, in a new round.
const reofferSelect = `
SELECT h.conversation_id FROM handoffs h
WHERE h.status = 'queued' AND cardinality(h.lapsed_by) > 0 AND h.lapsed_at < now() - make_interval(secs => $1)
  AND COALESCE((SELECT t.mode FROM routing_teams t WHERE t.skill = h.skill), 'auto') = 'auto'
ORDER BY h.priority DESC, h.enqueued_at
LIMIT 100
FOR UPDATE OF h SKIP LOCKED`

// ReofferRounds starts a new round for handoffs nobody took an offer time-out after the last
// agent let them lapse or declined them: the agents who had them may be offered them again, in
// turn (least busy, then longest idle first). It returns how many were offered.
func (s *Store) ReofferRounds(ctx context.Context, timeout time.Duration) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, reofferSelect, timeout.Seconds())
		if err != nil {
			return fmt.Errorf("handoff: re-offer: %w", err)
		}
		convs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, c := range convs {
			if _, err := tx.Exec(ctx, `UPDATE handoffs SET lapsed_by = '{}', lapsed_at = NULL WHERE conversation_id = $1 AND status = 'queued'`, c); err != nil {
				return fmt.Errorf("handoff: re-offer: %w", err)
			}
			agent, err := RouteTx(ctx, tx, c)
			if err != nil {
				return err
			}
			if agent != 0 {
				n++
			}
		}
		if len(convs) > 0 {
			return events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"})
		}
		return nil
	})
	return n, err
}

// requeueWhere takes the handoffs query selects (id, conversation, agent, agent's name) back from
// their agents and routes them again, in one transaction. texts gives the note for agents and the
// message for the customer ("" for none) in the conversation's language (0 en, 1 zh).
func (s *Store) requeueWhere(ctx context.Context, query string, args []any, texts func(lang int, agent string) (string, string)) (int, error) {
	return s.requeue(ctx, "", query, args, texts)
}

// requeue is requeueWhere that first locks conversation conv ("" for none): an agent's own action
// on one conversation locks it before its handoff, as every other agent action does.
func (s *Store) requeue(ctx context.Context, conv, query string, args []any, texts func(lang int, agent string) (string, string)) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if conv != "" {
			if _, err := conversation.GetForUpdateTx(ctx, tx, conv); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("handoff: lapsed: %w", err)
		}
		type lapse struct {
			id    int64
			conv  string
			agent int64
			name  string
		}
		var ls []lapse
		for rows.Next() {
			var l lapse
			if err := rows.Scan(&l.id, &l.conv, &l.agent, &l.name); err != nil {
				rows.Close()
				return err
			}
			ls = append(ls, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, l := range ls {
			c, err := conversation.GetForUpdateTx(ctx, tx, l.conv)
			if err != nil {
				return err
			}
			lang := 0
			if c.Language == "zh" {
				lang = 1
			}
			note, toCustomer := texts(lang, l.name)
			if _, err := tx.Exec(ctx, `UPDATE handoffs SET status = 'queued', claimed_by = NULL, claimed_at = NULL,
				accepted_at = NULL, auto_assigned = false, lapsed_by = array_append(lapsed_by, $2), lapsed_at = now(), note = $3 WHERE id = $1`,
				l.id, l.agent, note); err != nil {
				return fmt.Errorf("handoff: requeue: %w", err)
			}
			if err := conversation.SetStatusTx(ctx, tx, l.conv, conversation.StatusQueued, c.HandoffReason, nil); err != nil {
				return err
			}
			if toCustomer != "" {
				if _, _, err := conversation.AppendTx(ctx, tx, l.conv, conversation.NewMessage{
					Sender: conversation.SenderSystem, Text: toCustomer, BotDone: true,
				}); err != nil {
					return err
				}
			}
			if _, err := RouteTx(ctx, tx, l.conv); err != nil {
				return err
			}
		}
		n = len(ls)
		if n > 0 {
			return events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"})
		}
		return nil
	})
	return n, err
}
