package workbench

import (
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// Queue serves GET /workbench: the live queue and the agent's own conversations. Editors, who have
// no queue, go to the knowledge base instead.
func (p *Pages) Queue(c *gin.Context) {
	if sess, ok := auth.CurrentSession(c); ok && sess.User.Role == auth.RoleEditor {
		c.Redirect(http.StatusSeeOther, "/workbench/kb")
		return
	}
	if _, ok := p.require(c, auth.RoleAgent); !ok {
		return
	}
	v := p.newView(c, "queue.title")
	v.Nav, v.Script = "queue", "queue.js"
	p.render(c, http.StatusOK, "queue", v)
}

// conversationID is the shape of a conversation id; anything else is a 404 before any JS runs.
var conversationID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Conversation serves GET /workbench/conversations/:id: the context card and live transcript.
func (p *Pages) Conversation(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleAgent); !ok {
		return
	}
	id := c.Param("id")
	if !conversationID.MatchString(id) {
		p.problem(c, http.StatusNotFound, "notfound.title", "notfound.body")
		return
	}
	v := p.newView(c, "conv.title")
	v.Nav, v.Script = "queue", "conversation.js"
	v.Data = struct{ ID string }{id}
	p.render(c, http.StatusOK, "conversation", v)
}
