package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
)

type auditOut struct {
	Items      []audit.Entry `json:"items"`
	NextBefore int64         `json:"next_before"`
}

// auditEntries reads the log through the admin API with the given query.
func (ta *testApp) auditEntries(admin, query string) []audit.Entry {
	ta.t.Helper()
	var out auditOut
	ta.do("GET", "/api/v1/audit?"+query, admin, nil, 200, &out)
	return out.Items
}

func (ta *testApp) auditRows(action string) int {
	ta.t.Helper()
	var n int
	require.NoError(ta.t, ta.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n))
	return n
}

// A staff change is recorded after it happened — who, their role, from where, on what, how it
// went — and nothing of what they sent: a note's text never reaches the log.
func TestAuditRecordsAStaffChangeWithoutItsBody(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@example.com", "agent", "general")
	admin := ta.user("admin@example.com", "admin")
	conv, _ := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	secret := "call her on 13812345678, password hunter2"
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", agent, map[string]string{"text": secret}, 201, nil)

	entries := ta.auditEntries(admin, "action=conversation.note")
	require.Len(t, entries, 1)
	e := entries[0]
	require.Equal(t, "agent@example.com", e.ActorEmail)
	require.Equal(t, "agent", e.ActorRole)
	require.NotNil(t, e.ActorID)
	require.Equal(t, ta.userID(agent), *e.ActorID)
	require.Equal(t, "conversation", e.TargetType)
	require.Equal(t, conv, e.TargetID)
	require.Equal(t, "127.0.0.1", e.IP)
	require.Equal(t, 201, e.Status)
	require.Contains(t, e.UserAgent, "Go-http-client")

	var raw string
	require.NoError(t, ta.DB.Pool.QueryRow(context.Background(), `SELECT string_agg(a::text, ' ') FROM audit_log a`).Scan(&raw))
	require.NotContains(t, raw, "13812345678")
	require.NotContains(t, raw, "hunter2")

	// The claim was recorded too; the reads of the queue were not.
	require.Len(t, ta.auditEntries(admin, "action=conversation.claim&target=conversation:"+conv), 1)
	require.Zero(t, ta.auditRows("GET /api/v1/queue"))
	// Only admins read the log.
	ta.do("GET", "/api/v1/audit", agent, nil, 403, nil)
	ta.do("GET", "/api/v1/audit", "", nil, 401, nil)
}

// The log is append-only: the database itself refuses to change or remove an entry.
func TestAuditLogIsAppendOnly(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ctx := context.Background()
	require.NoError(t, ta.Audit.Write(ctx, audit.Entry{Action: "test.entry", ActorEmail: "a@example.com"}))
	_, err := ta.DB.Pool.Exec(ctx, `UPDATE audit_log SET actor_email = 'someone-else@example.com'`)
	require.ErrorContains(t, err, "append-only")
	_, err = ta.DB.Pool.Exec(ctx, `DELETE FROM audit_log`)
	require.ErrorContains(t, err, "append-only")
	_, err = ta.DB.Pool.Exec(ctx, `TRUNCATE audit_log`)
	require.ErrorContains(t, err, "append-only")
	require.Equal(t, 1, ta.auditRows("test.entry"))
}

// Every staff route that changes something records an entry, whoever added it: the test walks
// the whole route table, sends each non-GET staff route a request as an admin, and finds its entry.
func TestAuditCoversEveryStaffRoute(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	_, err := ta.Users.EnsureUser(context.Background(), adminSpec("walker@example.com"))
	require.NoError(t, err)
	h, err := ta.Routes()
	require.NoError(t, err)
	engine := h.(*gin.Engine)
	param := regexp.MustCompile(`[:*][^/]+`)
	checked := 0
	for _, r := range engine.Routes() {
		if r.Method == "GET" || r.Method == "HEAD" || r.Method == "OPTIONS" || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		if r.Path == "/api/v1/auth/login" {
			continue // sign-ins: TestAuditSignIns
		}
		path := param.ReplaceAllString(r.Path, "00000000-0000-4000-8000-000000000000")
		// A staff route answers 401 to a request without a session.
		status, body := ta.raw(r.Method, path, "", "{")
		if status != http.StatusUnauthorized || !strings.Contains(string(body), "sign in first") {
			continue
		}
		token, _, err := ta.Users.Login(context.Background(), "walker@example.com", "password-123")
		require.NoError(t, err)
		action := audit.ActionFor(r.Method, r.Path)
		before := ta.auditRows(action)
		status, _ = ta.raw(r.Method, path, token, "{") // a broken body: nothing is really changed
		require.Equal(t, before+1, ta.auditRows(action), "%s %s (answered %d) left no audit entry %q", r.Method, r.Path, status, action)
		var got int
		require.NoError(t, ta.DB.Pool.QueryRow(context.Background(),
			`SELECT status FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`, action).Scan(&got))
		require.Equal(t, status, got, "%s %s", r.Method, r.Path)
		checked++
	}
	require.Greater(t, checked, 40, "the walk found too few staff routes")
}

// Sign-ins are recorded, failed ones with the address tried (never the password); signing out too.
func TestAuditSignIns(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@example.com", "admin")
	ta.user("agent@example.com", "agent")
	ta.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "agent@example.com", "password": "wrong-password-9"}, 401, nil)
	var login struct {
		Token string `json:"token"`
	}
	ta.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "agent@example.com", "password": "password-123"}, 200, &login)
	ta.do("POST", "/api/v1/auth/logout", login.Token, nil, 204, nil)

	failed := ta.auditEntries(admin, "action=auth.login_failed")
	require.Len(t, failed, 1)
	require.Equal(t, "agent@example.com", failed[0].ActorEmail)
	require.Nil(t, failed[0].ActorID)
	require.Equal(t, 401, failed[0].Status)
	ok := ta.auditEntries(admin, "action=auth.login&actor=agent@")
	require.Len(t, ok, 1)
	require.Equal(t, "agent", ok[0].ActorRole)
	require.Len(t, ta.auditEntries(admin, "action=auth.logout"), 1)
	var raw string
	require.NoError(t, ta.DB.Pool.QueryRow(context.Background(), `SELECT string_agg(a::text, ' ') FROM audit_log a`).Scan(&raw))
	require.NotContains(t, raw, "wrong-password-9")
	require.NotContains(t, raw, "password-123")

	// The web form too.
	form := url.Values{"email": {"agent@example.com"}, "password": {"nope-nope-1"}}
	resp, err := http.PostForm(ta.URL+"/login", form)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 401, resp.StatusCode)
	// A large page reaches the client while its entry is being written.
	require.Eventually(t, func() bool { return len(ta.auditEntries(admin, "action=auth.login_failed")) == 2 }, 5*time.Second, 20*time.Millisecond)
}

// The admin's listing filters by actor, action, target and time and pages by id; the CSV export
// starts with a byte-order mark and masks personal data in the details.
func TestAuditListingAndExport(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@example.com", "admin")
	ctx := context.Background()
	for i := range 5 {
		require.NoError(t, ta.Audit.Write(ctx, audit.Entry{Action: "ticket.update", ActorEmail: "ann@example.com", ActorRole: "agent",
			TargetType: "ticket", TargetID: fmt.Sprint(10001 + i), Status: 200, Detail: map[string]any{"note": "客户电话 13812345678"}}))
	}
	require.NoError(t, ta.Audit.Write(ctx, audit.Entry{Action: "customer.read", ActorEmail: "bob@example.com", TargetType: "customer", TargetID: "c1"}))

	require.Len(t, ta.auditEntries(admin, "actor=ann"), 5)
	require.Len(t, ta.auditEntries(admin, "action=ticket."), 5)
	require.Len(t, ta.auditEntries(admin, "target=ticket:10003"), 1)
	require.Len(t, ta.auditEntries(admin, "target=c1"), 1)
	require.Empty(t, ta.auditEntries(admin, "from=2999-01-01"))
	require.Len(t, ta.auditEntries(admin, "to=2999-01-01&actor=ann"), 5)
	var page auditOut
	ta.do("GET", "/api/v1/audit?actor=ann&limit=2", admin, nil, 200, &page)
	require.Len(t, page.Items, 2)
	require.NotZero(t, page.NextBefore)
	require.Equal(t, "10004", page.Items[1].TargetID)
	var next auditOut
	ta.do("GET", fmt.Sprintf("/api/v1/audit?actor=ann&limit=2&before=%d", page.NextBefore), admin, nil, 200, &next)
	require.Equal(t, "10003", next.Items[0].TargetID)
	ta.do("GET", "/api/v1/audit?from=yesterday", admin, nil, 400, nil)
	ta.do("GET", "/api/v1/audit?limit=9999", admin, nil, 400, nil)

	status, body := ta.raw("GET", "/api/v1/audit.csv?actor=ann", admin, nil)
	require.Equal(t, 200, status)
	require.True(t, bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")), "UTF-8 byte-order mark")
	records, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 6)
	require.Equal(t, "action", records[0][5])
	require.Equal(t, "ticket.update", records[1][5])
	require.Contains(t, records[1][11], "客户电话 138****5678")
	require.NotContains(t, string(body), "13812345678")
	// The export itself is recorded.
	require.Len(t, ta.auditEntries(admin, "action=audit.export"), 1)
}

// With the admin's privacy setting on, an agent sees a customer's e-mail and phone masked in the
// context card and the customer 360, and reveals them with a call that is audited; a supervisor
// sees them in full.
func TestAgentsSeeMaskedContactsAndRevealsAreAudited(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@example.com", "agent", "general")
	supervisor := ta.user("sup@example.com", "supervisor", "general")
	admin := ta.user("admin@example.com", "admin")
	conv, _ := ta.newConversation("", "web", map[string]string{"name": "Li Lei", "email": "lilei@example.com", "phone": "13812345678"})
	cust := ta.customerID(conv, agent)

	type view struct {
		Customer struct {
			Email string `json:"email"`
			Phone string `json:"phone"`
		} `json:"customer"`
		ContactMasked bool `json:"contact_masked"`
	}
	var v view
	ta.do("GET", "/api/v1/customers/"+cust, agent, nil, 200, &v)
	require.Equal(t, "lilei@example.com", v.Customer.Email, "off by default")

	var s audit.Settings
	ta.do("PUT", "/api/v1/privacy", agent, map[string]bool{"mask_contacts_for_agents": true}, 403, nil)
	ta.do("PUT", "/api/v1/privacy", admin, map[string]any{}, 400, nil)
	ta.do("PUT", "/api/v1/privacy", admin, map[string]bool{"mask_contacts_for_agents": true}, 200, &s)
	require.True(t, s.MaskContactsForAgents)
	updates := ta.auditEntries(admin, "action=privacy.update")
	require.Len(t, updates, 3, "refused tries are recorded too")
	require.Equal(t, 200, updates[0].Status)
	require.Equal(t, true, updates[0].Detail["mask_contacts_for_agents"])
	require.Equal(t, 403, updates[2].Status)

	ta.do("GET", "/api/v1/customers/"+cust, agent, nil, 200, &v)
	require.Equal(t, "l***@example.com", v.Customer.Email)
	require.Equal(t, "138****5678", v.Customer.Phone)
	require.True(t, v.ContactMasked)
	var card view
	ta.do("GET", "/api/v1/conversations/"+conv+"/context", agent, nil, 200, &card)
	require.Equal(t, "l***@example.com", card.Customer.Email)
	require.True(t, card.ContactMasked)

	v = view{}
	ta.do("GET", "/api/v1/customers/"+cust, supervisor, nil, 200, &v)
	require.Equal(t, "lilei@example.com", v.Customer.Email)
	require.Equal(t, "13812345678", v.Customer.Phone)
	require.False(t, v.ContactMasked)

	var full struct{ Email, Phone string }
	ta.do("GET", "/api/v1/customers/"+cust+"/contact", agent, nil, 200, &full)
	require.Equal(t, "lilei@example.com", full.Email)
	require.Equal(t, "13812345678", full.Phone)
	// Neither an empty update nor a canned response reads them either.
	var updated struct{ Customer struct{ Email, Phone string } }
	ta.do("PUT", "/api/v1/customers/"+cust, agent, map[string]any{}, 200, &updated)
	require.Equal(t, "l***@example.com", updated.Customer.Email)
	require.Equal(t, "138****5678", updated.Customer.Phone)
	editor := ta.user("editor@example.com", "editor")
	var canned struct {
		CannedResponse struct{ ID int64 } `json:"canned_response"`
	}
	ta.do("POST", "/api/v1/canned-responses", editor, map[string]any{"shortcut": "mail", "title": "Mail", "language": "en",
		"body": "We write to {{customer.email}} or call {{customer.phone}}"}, 201, &canned)
	var rendered struct{ Text string }
	ta.do("POST", fmt.Sprint("/api/v1/canned-responses/", canned.CannedResponse.ID, "/render"), agent,
		map[string]string{"conversation_id": conv}, 200, &rendered)
	require.Equal(t, "We write to l***@example.com or call 138****5678", rendered.Text)

	reveals := ta.auditEntries(admin, "action=customer.reveal")
	require.Len(t, reveals, 1)
	require.Equal(t, "agent@example.com", reveals[0].ActorEmail)
	require.Equal(t, "customer", reveals[0].TargetType)
	require.Equal(t, cust, reveals[0].TargetID)
	// Each read of the 360 is a read of the full record.
	require.Len(t, ta.auditEntries(admin, "action=customer.read&target=customer:"+cust), 3)
}

func adminSpec(email string) auth.UserSpec {
	return auth.UserSpec{Email: email, Password: "password-123", Role: "admin"}
}

func newCaptureLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// The data-subject export holds everything about the customer — profile, conversations with
// every message, handoffs, notes — unmasked, and no token hash; only admins get it, audited.
func TestCustomerExport(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@example.com", "agent", "general")
	admin := ta.user("admin@example.com", "admin")
	conv, tok := ta.newConversation("", "web", map[string]string{"name": "Han Meimei", "email": "han@example.com", "phone": "13912345678"})
	ta.say(conv, tok, "my card 6222020200112233445 was charged twice, I want a human")
	cust := ta.customerID(conv, agent)
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", agent, map[string]string{"text": "refund checked"}, 201, nil)
	other, _ := ta.newConversation("", "web", map[string]string{"name": "Someone Else"})

	ta.do("GET", "/api/v1/customers/"+cust+"/export", agent, nil, 403, nil)
	ta.do("GET", "/api/v1/customers/not-an-id/export", admin, nil, 404, nil)
	ta.do("GET", "/api/v1/customers/00000000-0000-4000-8000-000000000000/export", admin, nil, 404, nil)
	var doc struct {
		Format   string         `json:"format"`
		Customer map[string]any `json:"customer"`
		Tokens   struct {
			Count int `json:"count"`
		} `json:"tokens"`
		Conversations []struct {
			ID       string `json:"id"`
			Messages []struct {
				Sender, Text string
			} `json:"messages"`
			Handoffs []map[string]any        `json:"handoffs"`
			Notes    []struct{ Text string } `json:"notes"`
		} `json:"conversations"`
		Tickets []any `json:"tickets"`
		Ratings []any `json:"ratings"`
	}
	body := ta.do("GET", "/api/v1/customers/"+cust+"/export", admin, nil, 200, &doc)
	require.Equal(t, "baton-customer-export/1", doc.Format)
	require.Equal(t, "han@example.com", doc.Customer["email"])
	require.Equal(t, "13912345678", doc.Customer["phone"], "the subject's own export is not masked")
	require.NotContains(t, string(body), "token_hash")
	require.Equal(t, 1, doc.Tokens.Count)
	require.Len(t, doc.Conversations, 1)
	require.Equal(t, conv, doc.Conversations[0].ID)
	require.Equal(t, "customer", doc.Conversations[0].Messages[0].Sender)
	require.Contains(t, doc.Conversations[0].Messages[0].Text, "6222020200112233445")
	require.NotEmpty(t, doc.Conversations[0].Handoffs)
	require.Equal(t, "refund checked", doc.Conversations[0].Notes[0].Text)
	require.NotNil(t, doc.Tickets)
	require.NotNil(t, doc.Ratings)
	require.NotContains(t, string(body), other)

	exports := ta.auditEntries(admin, "action=customer.export&target=customer:"+cust)
	require.Len(t, exports, 2, "the agent's refused try and the export")
	require.Equal(t, cust, exports[0].TargetID)
	require.Equal(t, 200, exports[0].Status)
	require.Equal(t, "admin@example.com", exports[0].ActorEmail)
	require.Equal(t, 403, exports[1].Status)
}

// Anonymising removes who the customer is and what they wrote, signs their chat out, keeps the
// conversations for counts, and leaves an audit entry with the mode and the reason.
func TestCustomerAnonymise(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@example.com", "agent", "general")
	admin := ta.user("admin@example.com", "admin")
	ctx := context.Background()
	// A CRM subscribed to everything: the outbox holds the question, the ticket, the rating.
	_, err := ta.DB.Pool.Exec(ctx, `INSERT INTO webhooks (url, secret, events) VALUES ('http://127.0.0.1:9/hook', 's',
		'{conversation.created,conversation.handed_off,ticket.created,ticket.updated,csat.rated}')`)
	require.NoError(t, err)
	conv, tok := ta.newConversation("", "web", map[string]string{"name": "Han Meimei", "email": "han@example.com", "phone": "13912345678"})
	ta.say(conv, tok, "I am Han Meimei, call me on 13912345678, I want a human")
	cust := ta.customerID(conv, agent)
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Hello Han Meimei"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", agent, map[string]string{"text": "Han Meimei is upset"}, 201, nil)
	_, err = ta.DB.Pool.Exec(ctx, `INSERT INTO csat_ratings (conversation_id, customer_id, score, comment) VALUES ($1, $2, 2, 'Han says slow')`, conv, cust)
	require.NoError(t, err)
	// What agents wrote on the handoff, and the slots the bot kept in its messages' meta.
	_, err = ta.DB.Pool.Exec(ctx, `UPDATE handoffs SET note = 'Han wants a callback', resolution_note = 'called Han' WHERE conversation_id = $1`, conv)
	require.NoError(t, err)
	_, err = ta.DB.Pool.Exec(ctx, `UPDATE messages SET meta = coalesce(meta, '{}') || '{"slots": {"phone": "13912345678"}}' WHERE conversation_id = $1 AND sender = 'bot'`, conv)
	require.NoError(t, err)
	_, err = ta.DB.Pool.Exec(ctx, `INSERT INTO tickets (subject, description, customer_id, conversation_id, due_at)
		VALUES ('Refund for Han', 'phone 13912345678', $1, $2, now())`, cust, conv)
	require.NoError(t, err)
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, nil)

	ta.do("POST", "/api/v1/customers/"+cust+"/erase", agent, map[string]string{"mode": "anonymise", "reason": "x"}, 403, nil)
	ta.do("POST", "/api/v1/customers/"+cust+"/erase", admin, map[string]string{"mode": "shred", "reason": "x"}, 400, nil)
	ta.do("POST", "/api/v1/customers/"+cust+"/erase", admin, map[string]string{"mode": "anonymise"}, 400, nil)
	var out struct {
		Erased struct{ Conversations, Messages, Tickets, Ratings int64 } `json:"erased"`
	}
	ta.do("POST", "/api/v1/customers/"+cust+"/erase", admin, map[string]string{"mode": "anonymise", "reason": "GDPR request #42"}, 200, &out)
	require.EqualValues(t, 1, out.Erased.Conversations)
	require.EqualValues(t, 1, out.Erased.Tickets)
	require.EqualValues(t, 1, out.Erased.Ratings)

	// The old chat can no longer read the conversation.
	status, _ := ta.raw("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil)
	require.Contains(t, []int{401, 403, 404}, status)
	// Nothing of theirs is left in the database, but the conversation still counts.
	var dump string
	require.NoError(t, ta.DB.Pool.QueryRow(ctx, `SELECT concat_ws(' ',
		(SELECT string_agg(c::text, ' ') FROM customers c), (SELECT string_agg(m.text, ' ') FROM messages m),
		(SELECT string_agg(h::text, ' ') FROM handoffs h), (SELECT string_agg(n::text, ' ') FROM conversation_timeline n),
		(SELECT string_agg(t::text, ' ') FROM tickets t), (SELECT string_agg(r::text, ' ') FROM csat_ratings r),
		(SELECT string_agg(cv.bot_state::text, ' ') FROM conversations cv), (SELECT string_agg(m.meta::text, ' ') FROM messages m),
		(SELECT string_agg(d.payload::text, ' ') FROM deliveries d))`).Scan(&dump))
	require.NotContains(t, dump, "Han")
	require.NotContains(t, dump, "han@example.com")
	require.NotContains(t, dump, "13912345678")
	var convs, msgs int
	require.NoError(t, ta.DB.Pool.QueryRow(ctx, `SELECT count(DISTINCT c.id), count(m.id) FROM conversations c JOIN messages m ON m.conversation_id = c.id
		WHERE c.customer_id = $1`, cust).Scan(&convs, &msgs))
	require.Equal(t, 1, convs)
	require.EqualValues(t, out.Erased.Messages, msgs)

	erased := ta.auditEntries(admin, "action=customer.erase")
	require.Len(t, erased, 4, "three refused tries and the erasure")
	require.Equal(t, 200, erased[0].Status)
	require.Equal(t, cust, erased[0].TargetID)
	require.Equal(t, "anonymise", erased[0].Detail["mode"])
	require.Equal(t, "GDPR request #42", erased[0].Detail["reason"])
	require.Equal(t, "admin@example.com", erased[0].ActorEmail)
}

// Deleting removes the customer and everything hanging off them; the audit entries about them stay.
func TestCustomerDelete(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@example.com", "agent", "general")
	admin := ta.user("admin@example.com", "admin")
	conv, tok := ta.newConversation("", "web", map[string]string{"name": "Han Meimei", "email": "han@example.com"})
	ta.say(conv, tok, "I want a human")
	cust := ta.customerID(conv, agent)
	ta.do("GET", "/api/v1/customers/"+cust, admin, nil, 200, nil)
	ctx := context.Background()
	_, err := ta.DB.Pool.Exec(ctx, `INSERT INTO tickets (subject, customer_id, conversation_id, due_at) VALUES ('About Han', $1, $2, now())`, cust, conv)
	require.NoError(t, err)

	ta.do("POST", "/api/v1/customers/"+cust+"/erase", admin, map[string]string{"mode": "delete", "reason": "asked to be forgotten"}, 200, nil)
	ta.do("GET", "/api/v1/customers/"+cust, admin, nil, 404, nil)
	ta.do("POST", "/api/v1/customers/"+cust+"/erase", admin, map[string]string{"mode": "delete", "reason": "again"}, 404, nil)
	for _, q := range []string{
		`SELECT count(*) FROM customers WHERE id = '` + cust + `'`,
		`SELECT count(*) FROM conversations WHERE id = '` + conv + `'`,
		`SELECT count(*) FROM messages WHERE conversation_id = '` + conv + `'`,
		`SELECT count(*) FROM handoffs WHERE conversation_id = '` + conv + `'`,
		`SELECT count(*) FROM tickets`,
	} {
		var n int
		require.NoError(t, ta.DB.Pool.QueryRow(ctx, q).Scan(&n))
		require.Zero(t, n, q)
	}
	status, _ := ta.raw("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil)
	require.Contains(t, []int{401, 403, 404}, status)
	erased := ta.auditEntries(admin, "action=customer.erase&target=customer:"+cust)
	require.Len(t, erased, 2, "the erasure and the second try")
	require.Equal(t, 200, erased[1].Status)
	require.Equal(t, "delete", erased[1].Detail["mode"])
	require.Equal(t, "asked to be forgotten", erased[1].Detail["reason"])
	require.Equal(t, 404, erased[0].Status)
	require.Len(t, ta.auditEntries(admin, "action=customer.read&target=customer:"+cust), 2)
}

// A write to the log that fails is logged as an error, and the user's request still succeeds.
func TestAuditWriteFailureKeepsTheAction(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	var logged bytes.Buffer
	ta.Audit.Log = newCaptureLogger(&logged)
	admin := ta.user("admin@example.com", "admin")
	ctx := context.Background()
	_, err := ta.DB.Pool.Exec(ctx, `ALTER TABLE audit_log ADD CONSTRAINT audit_test_block CHECK (action <> 'sla.update') NOT VALID`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = ta.DB.Pool.Exec(context.Background(), `ALTER TABLE audit_log DROP CONSTRAINT audit_test_block`)
	})
	var sla json.RawMessage
	ta.do("GET", "/api/v1/sla", admin, nil, 200, &sla)
	var targets map[string]any
	require.NoError(t, json.Unmarshal(sla, &targets))
	status, body := ta.raw("PUT", "/api/v1/sla", admin, targets)
	require.Less(t, status, 500, string(body))
	require.Contains(t, logged.String(), "audit entry not written")
	require.Contains(t, logged.String(), "sla.update")
	_, _ = io.Copy(io.Discard, &logged)
}

// The audit and customer data pages are for admins: others get 403, strangers the sign-in page.
func TestAuditPagesAreForAdmins(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("agent@example.com", "agent")
	admin := ta.user("admin@example.com", "admin")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path, token string) (int, string) {
		req, err := http.NewRequest("GET", ta.URL+path, nil)
		require.NoError(t, err)
		if token != "" {
			req.AddCookie(&http.Cookie{Name: "baton_session", Value: token})
		}
		req.Header.Set("Accept-Language", "zh-CN")
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	cust := "/workbench/customers/00000000-0000-4000-8000-000000000000"
	for _, p := range []string{"/workbench/audit", cust} {
		status, _ := get(p, "")
		require.Equal(t, 303, status, p)
		status, _ = get(p, agent)
		require.Equal(t, 403, status, p)
	}
	status, body := get("/workbench/audit", admin)
	require.Equal(t, 200, status)
	require.Contains(t, body, "审计日志")
	require.Contains(t, body, `data-testid="nav-audit"`)
	status, body = get(cust, admin)
	require.Equal(t, 200, status)
	require.Contains(t, body, "客户数据请求")
	status, _ = get("/workbench/customers/<script>", admin)
	require.Equal(t, 404, status)
	_, body = get("/workbench", agent)
	require.NotContains(t, body, `data-testid="nav-audit"`)
}
