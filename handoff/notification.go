package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/events"
)

// Notification kinds.
const (
	NotifyMention  = "mention"
	NotifyTransfer = "transfer"
	// Tickets file these two (see the ticket package); they carry a ticket id.
	NotifyTicketEscalated = "ticket_escalated"
	NotifyTicketAssigned  = "ticket_assigned"
)

// NotificationKind is the user-topic event kind of a new notification; NotificationsReadKind
// says some were marked read (so other tabs update their badge).
const (
	NotificationKind      = "notification"
	NotificationsReadKind = "notifications_read"
)

// Notification tells a staff member that a colleague needs them on a conversation.
type Notification struct {
	ID             int64  `json:"id"`
	Kind           string `json:"kind"`
	ConversationID string `json:"conversation_id"`
	// TicketID and TicketNumber name the ticket a ticket notification is about.
	TicketID     *int64     `json:"ticket_id,omitempty"`
	TicketNumber string     `json:"ticket_number,omitempty"`
	Actor        *Person    `json:"actor,omitempty"`
	Text         string     `json:"text"`
	CustomerName string     `json:"customer_name"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at,omitempty"`
}

// notificationExcerpt is how much of a note a notification carries.
const notificationExcerpt = 280

var notificationSelect = `
SELECT n.id, n.kind, COALESCE(n.conversation_id::text, ''), n.ticket_id, n.actor_id, ` + fmt.Sprintf(staffName, "a") + `,
  left(COALESCE(t.text, tk.subject, ''), ` + fmt.Sprint(notificationExcerpt) + `), COALESCE(cu.name, tcu.name, ''), n.created_at, n.read_at
FROM notifications n
LEFT JOIN users a ON a.id = n.actor_id
LEFT JOIN conversation_timeline t ON t.id = n.entry_id
LEFT JOIN conversations c ON c.id = n.conversation_id
LEFT JOIN customers cu ON cu.id = c.customer_id
LEFT JOIN tickets tk ON tk.id = n.ticket_id
LEFT JOIN customers tcu ON tcu.id = tk.customer_id`

func scanNotification(row pgx.Row) (Notification, error) {
	var n Notification
	var actorID *int64
	var actorName *string
	err := row.Scan(&n.ID, &n.Kind, &n.ConversationID, &n.TicketID, &actorID, &actorName, &n.Text, &n.CustomerName, &n.CreatedAt, &n.ReadAt)
	if actorID != nil && actorName != nil {
		n.Actor = &Person{ID: *actorID, Name: *actorName}
	}
	if n.TicketID != nil {
		n.TicketNumber = fmt.Sprintf("T%d", *n.TicketID)
	}
	return n, err
}

// notifyTx files a notification for userID and wakes their workbench.
func notifyTx(ctx context.Context, tx pgx.Tx, userID int64, kind, convID string, entryID, actorID int64) error {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO notifications (user_id, kind, conversation_id, entry_id, actor_id)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, userID, kind, convID, entryID, actorID).Scan(&id); err != nil {
		return fmt.Errorf("handoff: notify: %w", err)
	}
	return events.Notify(ctx, tx, events.Event{Topic: events.UserTopic(userID), Kind: NotificationKind, Seq: id})
}

// Notifications lists a user's latest notifications, newest first, and how many are unread.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, int, error) {
	rows, err := s.pool.Query(ctx, notificationSelect+` WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("handoff: notifications: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) { return scanNotification(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("handoff: notifications: %w", err)
	}
	if list == nil {
		list = []Notification{}
	}
	unread, err := s.UnreadNotifications(ctx, userID)
	return list, unread, err
}

// Notification returns one of the user's notifications.
func (s *Store) Notification(ctx context.Context, userID, id int64) (Notification, error) {
	n, err := scanNotification(s.pool.QueryRow(ctx, notificationSelect+` WHERE n.user_id = $1 AND n.id = $2`, userID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return n, ErrNotFound
	}
	if err != nil {
		return n, fmt.Errorf("handoff: notification: %w", err)
	}
	return n, nil
}

// UnreadNotifications counts a user's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("handoff: unread notifications: %w", err)
	}
	return n, nil
}

// NotificationsRead marks the user's notifications read: one (id > 0), those about one
// conversation (convID != ""), or all. It returns how many changed; an id that is not the
// user's is ErrNotFound.
func (s *Store) NotificationsRead(ctx context.Context, userID, id int64, convID string) (int, error) {
	var changed int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if id > 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2)`, id, userID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return ErrNotFound
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE notifications SET read_at = now()
			WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint = 0 OR id = $2) AND ($3::text = '' OR conversation_id::text = $3)`,
			userID, id, convID)
		if err != nil {
			return err
		}
		changed = tag.RowsAffected()
		if changed == 0 {
			return nil
		}
		return events.Notify(ctx, tx, events.Event{Topic: events.UserTopic(userID), Kind: NotificationsReadKind})
	})
	if err != nil {
		return 0, known("read notifications", err)
	}
	return int(changed), nil
}
