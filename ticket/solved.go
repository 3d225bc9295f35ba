package ticket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/conversation"
)

// SolvedMeta is the meta of the message that tells a customer their ticket is solved. Other
// parts (the chat's satisfaction rating) recognise the message by it: keep its shape.
type SolvedMeta struct {
	Kind         string `json:"kind"` // "ticket_solved"
	TicketID     int64  `json:"ticket_id"`
	TicketNumber string `json:"ticket_number"`
}

var solvedTexts = map[string]string{
	"en": "Your ticket %s has been solved: %s",
	"zh": "您的工单 %s 已解决：%s",
}

// SolvedText is what the customer reads when ticket number is solved, in lang.
func SolvedText(lang, number, summary string) string {
	f, ok := solvedTexts[lang]
	if !ok {
		f = solvedTexts["en"]
	}
	return fmt.Sprintf(f, number, summary)
}

// notifySolvedTx tells the customer in the ticket's conversation (live, like every message) that
// it is solved, in the conversation's language, and records that they were told.
func notifySolvedTx(ctx context.Context, tx pgx.Tx, t Ticket, by int64) error {
	if t.ConversationID == "" {
		return nil
	}
	var lang string
	err := tx.QueryRow(ctx, `SELECT language FROM conversations WHERE id = $1`, t.ConversationID).Scan(&lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	meta, _ := json.Marshal(SolvedMeta{Kind: "ticket_solved", TicketID: t.ID, TicketNumber: Number(t.ID)})
	m, _, err := conversation.AppendTx(ctx, tx, t.ConversationID, conversation.NewMessage{
		Sender: conversation.SenderSystem, Text: SolvedText(lang, Number(t.ID), t.Subject), Meta: meta, BotDone: true,
	})
	if err != nil {
		return err
	}
	return addEvent(ctx, tx, t.ID, by, "customer_notified", "", map[string]any{
		"conversation_id": t.ConversationID, "message_id": m.ID, "language": lang})
}
