package handoff

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

var superviseTexts = map[string][2]string{ // [en, zh]
	"to_agent": {"Reassigned by %s to %s.", "由 %s 转派给 %s。"},
	"to_queue": {"Returned to the queue by %s.", "由 %s 退回队列。"},
}

// Reassign moves a waiting or held conversation to another agent (toAgent > 0) or back to the
// queue (toAgent == 0), as a supervisor decides. The new agent must have room (skills and
// presence are the supervisor's call); a conversation sent back to the queue is routed again at
// once, never to the agent it was taken from. Locks are taken in the router's order — the agent's
// row, then the conversation's — so this is safe against concurrent claims and drains.
func (s *Store) Reassign(ctx context.Context, convID string, toAgent int64, by auth.User) (conversation.Conversation, error) {
	var conv conversation.Conversation
	var freed *int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var target agentState
		if toAgent != 0 {
			var role string
			err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, toAgent).Scan(&role)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("%w: no such agent", ErrInvalid)
			}
			if err != nil {
				return err
			}
			if !slices.Contains([]string{auth.RoleAgent, auth.RoleSupervisor, auth.RoleAdmin}, role) {
				return fmt.Errorf("%w: a %s cannot take conversations", ErrInvalid, role)
			}
			if target, err = lockAgentTx(ctx, tx, toAgent); err != nil {
				return err
			}
		}
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		if c.Status != conversation.StatusQueued && c.Status != conversation.StatusAssigned {
			return ErrNotQueued
		}
		var hid int64
		var prev *int64
		if err := tx.QueryRow(ctx, `SELECT id, claimed_by FROM handoffs WHERE conversation_id = $1 AND status <> 'resolved'
			FOR UPDATE`, convID).Scan(&hid, &prev); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotQueued
			}
			return err
		}
		held := c.Status == conversation.StatusAssigned
		switch {
		case toAgent != 0 && held && prev != nil && *prev == toAgent, toAgent == 0 && !held:
			conv = c // already where the supervisor wants it
			return nil
		case toAgent != 0 && target.Free <= 0:
			return ErrAtCapacity
		}
		lang := 0
		if c.Language == "zh" {
			lang = 1
		}
		who := by.Name
		if who == "" {
			who = by.Email
		}
		note := fmt.Sprintf(superviseTexts["to_queue"][lang], who)
		if toAgent != 0 {
			note = fmt.Sprintf(superviseTexts["to_agent"][lang], who, target.Name)
		}
		// Back in the queue first (the agent it leaves is excluded from routing it again when it
		// goes back to the queue), then to the chosen agent or the router.
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET status = 'queued', claimed_by = NULL, claimed_at = NULL,
			auto_assigned = false, note = $2,
			lapsed_by = CASE WHEN $3::bigint IS NULL OR $4 THEN lapsed_by ELSE array_append(lapsed_by, $3::bigint) END
			WHERE id = $1`, hid, note, prev, toAgent != 0); err != nil {
			return fmt.Errorf("handoff: reassign: %w", err)
		}
		if held {
			freed = prev
			if err := conversation.SetStatusTx(ctx, tx, convID, conversation.StatusQueued, c.HandoffReason, nil); err != nil {
				return err
			}
		}
		if toAgent != 0 {
			if err := assignTx(ctx, tx, hid, toAgent, false); err != nil {
				return err
			}
		} else {
			if _, _, err := conversation.AppendTx(ctx, tx, convID, conversation.NewMessage{
				Sender: conversation.SenderSystem, Text: reassignTexts["customer"][lang], BotDone: true,
			}); err != nil {
				return err
			}
			if _, err := RouteTx(ctx, tx, convID); err != nil {
				return err
			}
			if err := events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"}); err != nil {
				return err
			}
		}
		conv, err = conversation.GetForUpdateTx(ctx, tx, convID)
		return err
	})
	if err != nil {
		return conversation.Conversation{}, known("reassign", err)
	}
	// The agent it was taken from has room again.
	if freed != nil && (toAgent == 0 || *freed != toAgent) {
		if _, err := s.DrainAgent(ctx, *freed); err != nil {
			return conv, fmt.Errorf("handoff: drain after reassign: %w", err)
		}
	}
	return conv, nil
}
