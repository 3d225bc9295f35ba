package handoff

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

// Offers are assignments: the router gives a handoff to an agent at once rather than waiting for
// them to accept. What an unaccepted offer would be is an assignment the agent has not answered:
// after the reply timeout it goes back to the queue with a note, the agent is excluded from it,
// and it is routed to the next agent.

// lapsedSelect finds assigned handoffs whose agent has not written since taking them.
const lapsedSelect = `
SELECT h.id, h.conversation_id, h.claimed_by FROM handoffs h
WHERE h.status = 'assigned' AND h.claimed_at < now() - make_interval(secs => $1)
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = h.conversation_id
                  AND m.sender = 'agent' AND m.created_at >= h.claimed_at)
ORDER BY h.claimed_at
LIMIT 100
FOR UPDATE OF h SKIP LOCKED`

var reassignTexts = map[string][2]string{ // [en, zh]
	"note":     {"Reassigned: the previous agent did not reply within %s.", "已转派：上一位客服在 %s 内未回复。"},
	"customer": {"Sorry for the wait — we are finding another agent for you.", "抱歉久等，正在为您转接其他客服。"},
}

// ReassignLapsed returns to the queue every assignment its agent left unanswered for timeout,
// noting why, and routes each to another agent. Running it in several processes at once is safe:
// each handoff is taken by one of them (SKIP LOCKED) and is no longer lapsed afterwards.
func (s *Store) ReassignLapsed(ctx context.Context, timeout time.Duration) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, lapsedSelect, timeout.Seconds())
		if err != nil {
			return fmt.Errorf("handoff: lapsed: %w", err)
		}
		type lapse struct {
			id    int64
			conv  string
			agent int64
		}
		var ls []lapse
		for rows.Next() {
			var l lapse
			if err := rows.Scan(&l.id, &l.conv, &l.agent); err != nil {
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
			note := fmt.Sprintf(reassignTexts["note"][lang], timeout.Round(time.Second))
			if _, err := tx.Exec(ctx, `UPDATE handoffs SET status = 'queued', claimed_by = NULL, claimed_at = NULL,
				auto_assigned = false, lapsed_by = array_append(lapsed_by, $2), note = $3 WHERE id = $1`, l.id, l.agent, note); err != nil {
				return fmt.Errorf("handoff: requeue: %w", err)
			}
			if err := conversation.SetStatusTx(ctx, tx, l.conv, conversation.StatusQueued, c.HandoffReason, nil); err != nil {
				return err
			}
			if _, _, err := conversation.AppendTx(ctx, tx, l.conv, conversation.NewMessage{
				Sender: conversation.SenderSystem, Text: reassignTexts["customer"][lang], BotDone: true,
			}); err != nil {
				return err
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
