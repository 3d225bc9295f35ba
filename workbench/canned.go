package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Canned serves GET /workbench/canned: the canned responses. Editors and admins keep the shared
// ones; agents see them and keep their personal ones.
func (p *Pages) Canned(c *gin.Context) {
	sess, ok := p.require(c, auth.RoleAgent, auth.RoleEditor)
	if !ok {
		return
	}
	v := p.newView(c, "canned.title")
	v.Nav, v.Script = "canned", "canned-admin.js"
	v.Data = struct{ ManageShared bool }{sess.User.Can(auth.RoleEditor)}
	p.render(c, http.StatusOK, "canned", v)
}
