package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Home serves GET /: a landing page pointing customers to /chat and staff to the workbench.
func (p *Pages) Home(c *gin.Context) {
	p.render(c, http.StatusOK, "home", p.newView(c, "home.title"))
}
