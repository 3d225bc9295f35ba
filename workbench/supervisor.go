package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Supervisor serves GET /workbench/supervisor: every queue with its waiting times and SLA
// breaches, every agent's presence and load, and the open conversations to reassign. The page
// is a shell; supervisor.js fills it from /api/v1/supervisor and keeps it live.
func (p *Pages) Supervisor(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleSupervisor); !ok {
		return
	}
	v := p.newView(c, "sup.title")
	v.Nav, v.Script = "supervisor", "supervisor.js"
	p.render(c, http.StatusOK, "supervisor", v)
}
