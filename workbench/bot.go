package workbench

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/i18n"
)

// botPage is what the bot page's template needs besides the strings: the languages a test
// message may be read in.
type botPage struct {
	Languages []string
}

// Bot serves GET /workbench/bot: the active bot definition, a box to try messages on it, and the
// YAML editor with its version history. The page is a shell; bot.js fills it from /api/v1/bot.
func (p *Pages) Bot(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleEditor); !ok {
		return
	}
	v := p.newView(c, "bot.title")
	v.Nav, v.Script, v.Data = "bot", "bot.js", botPage{Languages: i18n.Languages}
	p.render(c, http.StatusOK, "bot", v)
}
