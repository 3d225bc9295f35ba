package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Evals serves GET /workbench/evals for evaluators: start a run of the built-in suites, follow
// it, open its report, and compare two runs side by side. evals.js fills it from /api/v1/eval.
func (p *Pages) Evals(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleEvaluator); !ok {
		return
	}
	v := p.newView(c, "evals.title")
	v.Nav, v.Script = "evals", "evals.js"
	p.render(c, http.StatusOK, "evals", v)
}
