package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/report"
)

// Reports serves GET /workbench/reports (supervisors and admins): filters, headline tiles, and a
// chart (Chart.js, vendored under static/vendor) and a table with a CSV link per section. The page
// is a shell; reports.js fills it from /api/v1/reports.
func (p *Pages) Reports(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleSupervisor); !ok {
		return
	}
	v := p.newView(c, "rep.title")
	v.Nav, v.Script = "reports", "reports.js"
	v.Data = report.Sections
	p.render(c, http.StatusOK, "reports", v)
}
