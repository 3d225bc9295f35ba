package ticket

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/events"
)

// Notification kinds a ticket files for staff (shown by the workbench's bell).
const (
	NotifyEscalated = "ticket_escalated"
	NotifyAssigned  = "ticket_assigned"
)

// assignTx records an assignment change and tells the new assignee, unless they did it themselves.
func assignTx(ctx context.Context, tx pgx.Tx, id, by int64, before, after *int64) error {
	name := "" // the timeline names the new assignee as they were called then
	if after != nil {
		if err := tx.QueryRow(ctx, `SELECT `+fmt.Sprintf(staffName, "u")+` FROM users u WHERE u.id = $1`, *after).Scan(&name); err != nil {
			return fmt.Errorf("ticket: assignee: %w", err)
		}
	}
	if err := addEvent(ctx, tx, id, by, "assigned", name, change{before, after}); err != nil {
		return err
	}
	if after == nil || *after == by {
		return nil
	}
	return notifyTx(ctx, tx, *after, NotifyAssigned, id, by)
}

// notifyTx files a notification about ticket id for userID and wakes their workbench (the same
// user topic and event kind the handoff package's notifications use).
func notifyTx(ctx context.Context, tx pgx.Tx, userID int64, kind string, id, actor int64) error {
	var actorID *int64
	if actor != 0 {
		actorID = &actor
	}
	var nid int64
	if err := tx.QueryRow(ctx, `INSERT INTO notifications (user_id, kind, ticket_id, conversation_id, actor_id)
		SELECT $1, $2, t.id, t.conversation_id, $4 FROM tickets t WHERE t.id = $3 RETURNING id`,
		userID, kind, id, actorID).Scan(&nid); err != nil {
		return fmt.Errorf("ticket: notify: %w", err)
	}
	return events.Notify(ctx, tx, events.Event{Topic: events.UserTopic(userID), Kind: "notification", Seq: nid})
}
