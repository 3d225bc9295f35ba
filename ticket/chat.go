package ticket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// ticketRef finds a ticket number in a customer's message: "T10023" (5 or 6 digits, so an
// order number such as T1234567 is not taken for one), or any number after "ticket" or "工单"
// ("ticket 10023", "ticket #10023", "工单10023", "工单号：T10023").
var ticketRef = regexp.MustCompile(`(?i)(?:\bT(\d{5,6})\b|(?:\bticket|工单)\s*(?:no\.?|number|号)?\s*[:：#]?\s*T?(\d{1,12})\b)`)

// orderBefore is "order" or 订单 (and "no.", "number", 号, a colon) just before a match: a bare
// T-number there is an order's ("订单T123456", "order no. T12345").
var orderBefore = regexp.MustCompile(`(?i)(?:\border|订单)\s*(?:no\.?|number|号)?\s*[:：#]?\s*$`)

// FindNumber returns the ticket id a message names, if any. Ticket ids start at 10001, so a
// smaller number after "ticket" ("a ticket: 2 adults", "工单2个") is not one.
func FindNumber(text string) (int64, bool) {
	m := ticketRef.FindStringSubmatchIndex(text)
	if m == nil {
		return 0, false
	}
	var digits string
	if m[2] >= 0 {
		if orderBefore.MatchString(text[:m[0]]) {
			return 0, false
		}
		digits = text[m[2]:m[3]]
	} else {
		digits = text[m[4]:m[5]]
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	return id, err == nil && id >= firstID
}

// firstID is the first ticket's id (migration 0023 starts the sequence there).
const firstID = 10001

var statusTexts = map[string]map[string]string{
	"en": {
		StatusNew:          "Ticket %s (“%s”) has been received and is waiting for our team.",
		StatusOpen:         "Ticket %s (“%s”) is being worked on by our team.",
		"pending:customer": "Ticket %s (“%s”) is waiting for information from you. Please reply here with what we asked for.",
		"pending:team":     "Ticket %s (“%s”) is waiting on another team; we will update you.",
		StatusSolved:       "Ticket %s (“%s”) has been solved.",
		StatusClosed:       "Ticket %s (“%s”) is closed.",
		"not_found":        "I couldn't find ticket %s for you. Please check the number.",
		"due":              " We aim to finish it by %s (UTC).",
	},
	"zh": {
		StatusNew:          "工单 %s（%s）已受理，正在等待处理。",
		StatusOpen:         "工单 %s（%s）正在处理中。",
		"pending:customer": "工单 %s（%s）正在等待您补充信息，请在这里回复我们需要的内容。",
		"pending:team":     "工单 %s（%s）正在等待其他团队处理，有进展会通知您。",
		StatusSolved:       "工单 %s（%s）已解决。",
		StatusClosed:       "工单 %s（%s）已关闭。",
		"not_found":        "没有找到您的工单 %s，请核对工单号。",
		"due":              "预计在 %s（UTC）前完成。",
	},
}

// StatusMeta marks the bot's answer about a ticket's status.
type StatusMeta struct {
	Kind         string `json:"kind"` // "ticket_status"
	TicketNumber string `json:"ticket_number"`
	Found        bool   `json:"found"`
}

// ChatAnswer answers a customer's message that names a ticket number with that ticket's status,
// in lang (Chinese when the message is) — but only for a ticket of this customer: any other number, whether it exists or not,
// gets the same "cannot find it". ok is false when the message names no ticket (one regexp, no
// query: the bot goes on as usual).
func (s *Store) ChatAnswer(ctx context.Context, customerID, lang, text string) (string, json.RawMessage, bool, error) {
	id, ok := FindNumber(text)
	if !ok {
		return "", nil, false, nil
	}
	if hasHan(text) {
		lang = "zh" // asked in Chinese, answered in Chinese
	}
	texts, ok := statusTexts[lang]
	if !ok {
		texts = statusTexts["en"]
	}
	number := Number(id)
	var status, pendingOn, subject string
	var dueAhead bool
	var due string
	err := s.pool.QueryRow(ctx, `SELECT t.status, COALESCE(t.pending_on, ''), t.subject,
		t.status IN ('new', 'open', 'pending') AND t.due_at > now(), to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
		FROM tickets t WHERE t.id = $1 AND t.customer_id IS NOT NULL AND t.customer_id::text = $2`, id, customerID).
		Scan(&status, &pendingOn, &subject, &dueAhead, &due)
	meta := StatusMeta{Kind: "ticket_status", TicketNumber: number}
	if errors.Is(err, pgx.ErrNoRows) {
		b, _ := json.Marshal(meta)
		return fmt.Sprintf(texts["not_found"], number), b, true, nil
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("ticket: chat status: %w", err)
	}
	key := status
	if status == StatusPending {
		key = "pending:" + pendingOn
		if pendingOn == "" {
			key = "pending:customer"
		}
	}
	reply := fmt.Sprintf(texts[key], number, subject)
	if dueAhead && (status == StatusNew || status == StatusOpen) {
		reply += fmt.Sprintf(texts["due"], due)
	}
	meta.Found = true
	b, _ := json.Marshal(meta)
	return reply, b, true, nil
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
