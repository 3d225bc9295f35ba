// Package workbench is the staff web UI: sign-in, the agents' live queue and conversations, and
// the editors' knowledge-base and bot pages. Pages are server-rendered shells; small JS modules in static/
// fill them from the JSON API.
package workbench

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/assets"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/i18n"
)

//go:embed templates/*.html templates/partials/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// StaticFS holds the workbench's JS modules and CSS.
var StaticFS = mustSub(staticFiles, "static")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Pages renders the staff pages.
type Pages struct {
	auth         *auth.Service
	cookieSecure bool
	templates    map[string]*template.Template
}

// NewPages parses the templates (panicking on a broken one: they are compiled in).
func NewPages(a *assets.Assets, authSvc *auth.Service, cookieSecure bool) *Pages {
	return &Pages{auth: authSvc, cookieSecure: cookieSecure, templates: parseTemplates(a)}
}

// parseTemplates gives every page its own set: layout.html, the partials (pieces several pages
// share) and the page's file, which defines "content".
func parseTemplates(a *assets.Assets) map[string]*template.Template {
	funcs := template.FuncMap{"asset": a.URL, "importmap": a.ImportMap}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html"))
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		page := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if page == "layout" {
			continue
		}
		out[page] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, name))
	}
	return out
}

// view is what the layout and every page template see.
type view struct {
	i18n.Page
	Title  string // an i18n key
	Nav    string // the active nav entry: queue, kb, suggestions or bot
	Script string // the page's JS module, if any
	User   *auth.User
	CSRF   string
	Data   any
}

// Can reports whether the signed-in user has one of roles.
func (v *view) Can(roles ...string) bool { return v.User != nil && v.User.Can(roles...) }

func (p *Pages) newView(c *gin.Context, title string) *view {
	v := &view{Page: i18n.NewPage(c), Title: title}
	if sess, ok := auth.CurrentSession(c); ok {
		v.User, v.CSRF = &sess.User, sess.CSRFToken
	}
	return v
}

// render executes page into a buffer first, so a template error is a clean 500, not half a page.
func (p *Pages) render(c *gin.Context, status int, page string, v *view) {
	var buf bytes.Buffer
	if err := p.templates[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		_ = c.Error(err)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	h := c.Writer.Header()
	// Pages carry the CSRF token and the user's data: never store them.
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Language, Cookie")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
