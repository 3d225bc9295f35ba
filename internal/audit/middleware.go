package audit

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Actions names the routes whose entries read better than "METHOD /pattern". A route missing
// here (one added later) is still recorded, under its method and pattern.
var Actions = map[string]string{
	"POST /api/v1/auth/logout":                           "auth.logout",
	"POST /logout":                                       "auth.logout",
	"POST /api/v1/conversations/:id/claim":               "conversation.claim",
	"POST /api/v1/conversations/:id/agent-messages":      "conversation.reply",
	"POST /api/v1/conversations/:id/resolve":             "conversation.resolve",
	"POST /api/v1/queue/next":                            "conversation.claim_next",
	"POST /api/v1/conversations/:id/accept":              "conversation.accept",
	"POST /api/v1/conversations/:id/decline":             "conversation.decline",
	"POST /api/v1/conversations/:id/notes":               "conversation.note",
	"POST /api/v1/conversations/:id/transfer":            "conversation.transfer",
	"POST /api/v1/conversations/:id/read":                "conversation.mark_read",
	"POST /api/v1/supervisor/conversations/:id/reassign": "conversation.reassign",
	"POST /api/v1/agent/presence":                        "agent.presence",
	"POST /api/v1/agent/heartbeat":                       "agent.heartbeat",
	"PUT /api/v1/agents/:id/profile":                     "agent.profile_update",
	"PUT /api/v1/teams/:skill":                           "team.update",
	"PUT /api/v1/sla":                                    "sla.update",
	"PUT /api/v1/dispositions":                           "dispositions.update",
	"POST /api/v1/notifications/read-all":                "notification.read_all",
	"POST /api/v1/notifications/:nid/read":               "notification.read",
	"POST /api/v1/webhooks":                              "webhook.create",
	"DELETE /api/v1/webhooks/:id":                        "webhook.delete",
	"POST /api/v1/channels":                              "channel.create",
	"DELETE /api/v1/channels/:name":                      "channel.delete",
	"POST /api/v1/kb/articles":                           "kb.article_create",
	"PUT /api/v1/kb/articles/:id":                        "kb.article_update",
	"POST /api/v1/kb/articles/:id/publish":               "kb.article_publish",
	"POST /api/v1/kb/articles/:id/archive":               "kb.article_archive",
	"POST /api/v1/kb/articles/:id/versions/:n/restore":   "kb.article_restore",
	"POST /api/v1/kb/import":                             "kb.import",
	"POST /api/v1/kb/suggestions/:id/approve":            "kb.suggestion_approve",
	"POST /api/v1/kb/suggestions/:id/dismiss":            "kb.suggestion_dismiss",
	"POST /api/v1/kb/suggestions/:id/merge":              "kb.suggestion_merge",
	"POST /api/v1/kb/preview":                            "kb.preview",
	"POST /api/v1/kb/answer-preview":                     "kb.answer_preview",
	"PUT /api/v1/bot/definition":                         "bot.definition_update",
	"POST /api/v1/bot/definition/validate":               "bot.definition_validate",
	"POST /api/v1/bot/definitions/:version/activate":     "bot.definition_activate",
	"POST /api/v1/bot/predict":                           "bot.predict",
	"POST /api/v1/eval/conversations":                    "eval.conversation_create",
	"POST /api/v1/eval/runs":                             "eval.run_start",
	"PUT /api/v1/customers/:id":                          "customer.update",
	"POST /api/v1/customers/:id/erase":                   "customer.erase",
	"POST /api/v1/canned-responses":                      "canned.create",
	"PUT /api/v1/canned-responses/:id":                   "canned.update",
	"DELETE /api/v1/canned-responses/:id":                "canned.delete",
	"POST /api/v1/canned-responses/:id/render":           "canned.render",
	"PUT /api/v1/privacy":                                "privacy.update",
	"POST /api/v1/tickets":                               "ticket.create",
	"PATCH /api/v1/tickets/:id":                          "ticket.update",
	"POST /api/v1/tickets/:id/comments":                  "ticket.comment",
	"PUT /api/v1/ticket-sla":                             "ticket.sla_update",
	"POST /api/v1/compliance/rules":                      "compliance.rule_create",
	"PUT /api/v1/compliance/rules/:id":                   "compliance.rule_update",
	"DELETE /api/v1/compliance/rules/:id":                "compliance.rule_delete",
	"GET /api/v1/customers/:id":                          "customer.read",
	"GET /api/v1/customers/:id/export":                   "customer.export",
	"GET /api/v1/customers/:id/contact":                  "customer.reveal",
	"POST /api/v1/auth/login":                            "auth.login",
	"POST /login":                                        "auth.login",
	"GET /api/v1/audit.csv":                              "audit.export",
}

// Reads are the GET routes that read a customer's full record (or the log itself, in bulk): they
// are recorded like changes.
var Reads = map[string]bool{
	"GET /api/v1/customers/:id":         true,
	"GET /api/v1/customers/:id/export":  true,
	"GET /api/v1/customers/:id/contact": true,
	"GET /api/v1/audit.csv":             true,
}

// signIns are the sign-in routes: recorded whether or not they succeed.
var signIns = map[string]bool{"POST /api/v1/auth/login": true, "POST /login": true}

// webForms are the page routes that change something for a signed-in user (outside Require).
var webForms = map[string]bool{"POST /logout": true}

const ctxNote = "baton.audit"

// note is what a handler adds to its request's entry.
type note struct {
	action, targetType, targetID string
	detail                       map[string]any
}

func notes(c *gin.Context) *note {
	if v, ok := c.Get(ctxNote); ok {
		return v.(*note)
	}
	n := &note{}
	c.Set(ctxNote, n)
	return n
}

// Target names what the request acted on when the route's parameters do not (a created row).
func Target(c *gin.Context, targetType, targetID string) {
	n := notes(c)
	n.targetType, n.targetID = targetType, targetID
}

// Detail adds a fact to the request's entry (never a message text or a password).
func Detail(c *gin.Context, key string, value any) {
	n := notes(c)
	if n.detail == nil {
		n.detail = map[string]any{}
	}
	n.detail[key] = value
}

// Action renames the request's entry.
func Action(c *gin.Context, action string) { notes(c).action = action }

// ActionFor names a route: its entry in Actions, else "METHOD /pattern".
func ActionFor(method, pattern string) string {
	if a, ok := Actions[method+" "+pattern]; ok {
		return a
	}
	return method + " " + pattern
}

// Middleware records, after the handler ran, every request a signed-in staff user makes to a
// staff route that is not a read; the reads in Reads; and every sign-in. Failing to write is
// logged, never shown to the user, whose action has happened.
func (l *Log) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		key := c.Request.Method + " " + c.FullPath()
		if c.FullPath() == "" {
			return
		}
		e := Entry{Action: ActionFor(c.Request.Method, c.FullPath()), IP: c.ClientIP(),
			UserAgent: c.Request.UserAgent(), Status: c.Writer.Status()}
		switch {
		case signIns[key]:
			if e.Status == http.StatusTooManyRequests {
				return // turned away before any password was checked: no attempt, and no way to flood the log
			}
			email, sess, ok := auth.SignInAttempt(c)
			if ok {
				e.ActorID, e.ActorEmail, e.ActorRole = &sess.User.ID, sess.User.Email, sess.User.Role
			} else {
				if email == "" {
					return // not an attempt: a malformed request
				}
				e.Action = "auth.login_failed"
				if len(email) <= 200 && strings.Contains(email, "@") {
					e.ActorEmail = email // only what looks like an address: never a mistyped password
				}
			}
		default:
			u, signedIn := auth.CurrentUser(c)
			if !signedIn {
				return
			}
			_, noted := c.Get(ctxNote)
			safe := c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead || c.Request.Method == http.MethodOptions
			switch {
			case Reads[key]:
			case noted && safe: // a handler asked for its read to be recorded
			case safe:
				return
			case !auth.StaffRoute(c) && !webForms[key]:
				return // a public route that happened to get a staff cookie
			}
			e.ActorID, e.ActorEmail, e.ActorRole = &u.ID, u.Email, u.Role
		}
		e.TargetType, e.TargetID = targetFromRoute(c)
		if v, ok := c.Get(ctxNote); ok {
			n := v.(*note)
			if n.action != "" {
				e.Action = n.action
			}
			if n.targetType != "" {
				e.TargetType, e.TargetID = n.targetType, n.targetID
			}
			e.Detail = n.detail
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
		defer cancel()
		if err := l.Write(ctx, e); err != nil && l.Log != nil {
			l.Log.Error("audit entry not written", "action", e.Action, "actor", e.ActorEmail, "status", e.Status, "err", err)
		}
	}
}

// targetFromRoute is the route's first parameter and the kind of thing it names: the path
// segment before it, singular ("/api/v1/conversations/:id/claim" → conversation, the id).
func targetFromRoute(c *gin.Context) (string, string) {
	segs := strings.Split(strings.Trim(c.FullPath(), "/"), "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") && !strings.HasPrefix(s, "*") {
			continue
		}
		kind := "resource"
		if i > 0 {
			kind = singular(segs[i-1])
		}
		return kind, c.Param(s[1:])
	}
	return "", ""
}

func singular(s string) string {
	s = strings.ReplaceAll(s, "-", "_")
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "ss"):
		return s
	case strings.HasSuffix(s, "s"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}
