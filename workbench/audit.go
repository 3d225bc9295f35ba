package workbench

import (
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Audit serves GET /workbench/audit (admins): the audit log with its filters and CSV export, and
// the privacy setting that masks customers' contact details for agents. audit.js fills it.
func (p *Pages) Audit(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleAdmin); !ok {
		return
	}
	v := p.newView(c, "audit.title")
	v.Nav, v.Script = "audit", "audit.js"
	p.render(c, http.StatusOK, "audit", v)
}

var customerIDShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Customer serves GET /workbench/customers/:id (admins): one customer's profile and
// conversations, their data-subject export, and erasure (anonymise or delete) behind a
// confirmation that types the customer's id. customer-admin.js fills it.
func (p *Pages) Customer(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleAdmin); !ok {
		return
	}
	id := c.Param("id")
	if !customerIDShape.MatchString(id) {
		p.problem(c, http.StatusNotFound, "notfound.title", "dsr.not_found")
		return
	}
	v := p.newView(c, "dsr.title")
	v.Nav, v.Script = "audit", "customer-admin.js"
	v.Data = struct{ ID string }{id}
	p.render(c, http.StatusOK, "customer_admin", v)
}
