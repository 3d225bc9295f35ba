package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type ticketOut struct {
	Ticket struct {
		ID          int64  `json:"id"`
		Number      string `json:"number"`
		Status      string `json:"status"`
		PendingOn   string `json:"pending_on"`
		CustomerID  string `json:"customer_id"`
		Language    string `json:"language"`
		OrderNumber string `json:"order_number"`
		Assignee    *struct {
			ID int64 `json:"id"`
		} `json:"assignee"`
	} `json:"ticket"`
	Events []struct {
		Kind string `json:"kind"`
		Body string `json:"body"`
	} `json:"events"`
}

// Who may do what with tickets, and bad input answered 4xx with an error.
func TestTicketAPIAccess(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("tk-agent@example.com", "agent", "billing")
	editor := ta.user("tk-editor@example.com", "editor")
	evaluator := ta.user("tk-eval@example.com", "evaluator")
	conv, _ := ta.customer("en")

	ta.do("GET", "/api/v1/tickets", "", nil, 401, nil)
	ta.do("GET", "/api/v1/tickets", evaluator, nil, 403, nil)
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "from nowhere"}, 400, nil)
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "x", "conversation_id": conv, "priority": "asap"}, 400, nil)
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "x", "conversation_id": conv, "bogus": 1}, 400, nil)
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "x", "conversation_id": conv,
		"attachments": []map[string]string{{"url": "javascript:alert(1)"}}}, 400, nil)
	var scratch ticketOut
	ta.do("POST", "/api/v1/tickets", editor, map[string]any{"subject": "Update the returns page", "type": "task"}, 201, &scratch)
	require.Equal(t, "T10001", scratch.Ticket.Number)
	// The audit log names the ticket a create made (it has no id in its route).
	var target string
	require.Eventually(t, func() bool {
		return ta.DB.Pool.QueryRow(context.Background(), `SELECT target_type || ':' || target_id FROM audit_log
			WHERE action = 'ticket.create' AND status = 201`).Scan(&target) == nil
	}, 5*time.Second, 50*time.Millisecond)
	require.Equal(t, "ticket:10001", target)
	ta.do("PATCH", "/api/v1/tickets/T10001", editor, map[string]any{"status": "open"}, 403, nil)
	ta.do("GET", "/api/v1/tickets/T10001", editor, nil, 200, nil)
	ta.do("GET", "/api/v1/tickets/nonsense", agent, nil, 404, nil)
	ta.do("GET", "/api/v1/tickets/999999", agent, nil, 404, nil)
	ta.do("GET", "/api/v1/tickets?status=lost", agent, nil, 400, nil)
	ta.do("GET", "/api/v1/tickets?customer=1", agent, nil, 400, nil)
	ta.do("GET", "/api/v1/tickets?q="+strings.Repeat("x", 201), agent, nil, 400, nil)
	ta.do("PATCH", "/api/v1/tickets/T10001", editor, map[string]any{"due_at": "0001-01-01T00:00:00Z"}, 403, nil)
	ta.do("PATCH", "/api/v1/tickets/T10001", agent, map[string]any{"status": "solved"}, 200, nil)
	ta.do("PATCH", "/api/v1/tickets/T10001", agent, map[string]any{"status": "pending"}, 409, nil)
	ta.do("POST", "/api/v1/tickets/T10001/comments", agent, map[string]any{"body": "  "}, 400, nil)
	ta.do("PUT", "/api/v1/ticket-sla", agent, map[string]any{"targets": []map[string]any{{"priority": "urgent", "due_minutes": 60}}}, 403, nil)
}

// An agent opens a ticket from a customer's conversation and works it; the customer asks the
// chat for its status (another customer asking the same number learns nothing) and is told in
// the chat when it is solved.
func TestTicketFromChat(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("tk-agent@example.com", "agent", "billing")
	admin := ta.user("tk-admin@example.com", "admin")
	conv, tok := ta.customer("en")
	other, otherTok := ta.customer("en")

	ta.do("PUT", "/api/v1/ticket-sla", admin, map[string]any{"targets": []map[string]any{{"priority": "high", "due_minutes": 120}}}, 200, nil)
	var tk ticketOut
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "Kettle arrived broken", "conversation_id": conv,
		"priority": "high", "team": "billing", "order_number": "A1234567"}, 201, &tk)
	num := tk.Ticket.Number
	require.Equal(t, "new", tk.Ticket.Status)
	require.NotEmpty(t, tk.Ticket.CustomerID)

	var list struct {
		Tickets []struct {
			Number string `json:"number"`
		} `json:"tickets"`
	}
	ta.do("GET", "/api/v1/tickets?scope=teams&status=active", agent, nil, 200, &list)
	require.Len(t, list.Tickets, 1)
	ta.do("GET", "/api/v1/tickets?conversation="+other, agent, nil, 200, &list)
	require.Empty(t, list.Tickets)
	ta.do("GET", "/api/v1/tickets?q=A1234567", agent, nil, 200, &list)
	require.Len(t, list.Tickets, 1)

	out := ta.say(conv, tok, "Any news on my ticket "+num+"?")
	require.Len(t, out.Replies, 1)
	require.Contains(t, out.Replies[0].Text, "Kettle arrived broken")
	require.Contains(t, out.Replies[0].Text, "waiting for our team")
	out = ta.say(other, otherTok, num)
	require.Len(t, out.Replies, 1)
	require.Equal(t, fmt.Sprintf("I couldn't find ticket %s for you. Please check the number.", num), out.Replies[0].Text)

	ta.do("PATCH", "/api/v1/tickets/"+num, agent, map[string]any{"status": "pending", "pending_on": "customer"}, 200, &tk)
	require.Equal(t, "customer", tk.Ticket.PendingOn)
	ta.do("POST", "/api/v1/tickets/"+num+"/comments", agent, map[string]any{"body": "Asked for a photo"}, 201, nil)
	out = ta.say(conv, tok, "status of "+num+" please")
	require.Contains(t, out.Replies[0].Text, "waiting for information from you")

	ta.do("PATCH", "/api/v1/tickets/"+num, agent, map[string]any{"status": "solved"}, 200, &tk)
	var msgs struct {
		Messages []msgOut `json:"messages"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, &msgs)
	last := msgs.Messages[len(msgs.Messages)-1]
	require.Equal(t, "system", last.Sender)
	require.Equal(t, "Your ticket "+num+" has been solved: Kettle arrived broken", last.Text)
	require.Equal(t, "ticket_solved", last.Meta.Kind)
	kinds := []string{}
	for _, e := range tk.Events {
		kinds = append(kinds, e.Kind)
	}
	require.Equal(t, []string{"created", "status", "comment", "status", "customer_notified"}, kinds)
	ta.do("GET", "/api/v1/conversations/"+other+"/messages", otherTok, nil, 200, &msgs)
	for _, m := range msgs.Messages {
		require.NotContains(t, m.Text, "Kettle")
	}
}
