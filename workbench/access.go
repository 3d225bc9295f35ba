package workbench

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// require returns the session when the user may see the page. Otherwise it has answered: a 303
// to /login (coming back here afterwards) without a session, a 403 page for the wrong role.
func (p *Pages) require(c *gin.Context, roles ...string) (auth.Session, bool) {
	sess, ok := auth.CurrentSession(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		return sess, false
	}
	if !sess.User.Can(roles...) {
		p.problem(c, http.StatusForbidden, "forbidden.title", "forbidden.body")
		return sess, false
	}
	return sess, true
}

// problem renders a short error page (403, 404) inside the normal layout.
func (p *Pages) problem(c *gin.Context, status int, title, body string) {
	v := p.newView(c, title)
	v.Data = struct{ Body string }{body}
	p.render(c, status, "problem", v)
}

// homeFor is where a user lands after signing in.
func homeFor(u auth.User) string {
	if u.Role == auth.RoleEditor {
		return "/workbench/kb"
	}
	if u.Role == auth.RoleEvaluator {
		return "/workbench/evals"
	}
	return "/workbench"
}

// safeNext accepts only a path on this site: "/x", never "//host", "/\host" or "https://host",
// so the login form cannot be used to send someone elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}
