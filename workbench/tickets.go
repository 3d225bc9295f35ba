package workbench

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Tickets serves GET /workbench/tickets: a team's ticket queue with filters (my teams, mine,
// all; status; search), due times and overdue/escalated badges. Editors, supervisors and admins
// may open a ticket from scratch here. tickets.js fills the page from /api/v1/tickets.
func (p *Pages) Tickets(c *gin.Context) {
	sess, ok := p.require(c, auth.RoleAgent, auth.RoleEditor)
	if !ok {
		return
	}
	v := p.newView(c, "tk.title")
	v.Nav, v.Script = "tickets", "tickets.js"
	u := sess.User
	v.Data = struct{ CreateFromScratch, Works bool }{u.Role != auth.RoleAgent, u.Can(auth.RoleAgent)}
	p.render(c, http.StatusOK, "tickets", v)
}

// Ticket serves GET /workbench/tickets/:id (an id or a number such as T10023): the ticket with its
// details to edit, state buttons, assignment, internal comments and timeline (ticket.js).
func (p *Pages) Ticket(c *gin.Context) {
	sess, ok := p.require(c, auth.RoleAgent, auth.RoleEditor)
	if !ok {
		return
	}
	raw := strings.TrimPrefix(strings.TrimPrefix(c.Param("id"), "T"), "t")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		p.problem(c, http.StatusNotFound, "notfound.title", "notfound.body")
		return
	}
	v := p.newView(c, "tk.title")
	v.Nav, v.Script = "tickets", "ticket.js"
	v.Data = struct {
		ID    int64
		Works bool
	}{id, sess.User.Can(auth.RoleAgent)}
	p.render(c, http.StatusOK, "ticket", v)
}
