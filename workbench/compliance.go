package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Compliance serves GET /workbench/compliance: the banned-phrase rules and their recent hits.
// Admins change the rules; supervisors read them.
func (p *Pages) Compliance(c *gin.Context) {
	sess, ok := p.require(c, auth.RoleSupervisor)
	if !ok {
		return
	}
	v := p.newView(c, "comp.title")
	v.Nav, v.Script = "compliance", "compliance.js"
	v.Data = struct{ Manage bool }{sess.User.Role == auth.RoleAdmin}
	p.render(c, http.StatusOK, "compliance", v)
}
