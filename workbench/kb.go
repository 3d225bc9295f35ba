package workbench

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/i18n"
)

// articleFilters are the list's search box and filters, kept in the URL so a link or a reload keeps them.
type articleFilters struct {
	Q, Status, Language, Tag string
	Statuses, Languages      []string
}

var articleStatuses = []string{"draft", "published", "archived"}

// Articles serves GET /workbench/kb: the article list with search and filters.
func (p *Pages) Articles(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleEditor); !ok {
		return
	}
	f := articleFilters{Q: c.Query("q"), Statuses: articleStatuses, Languages: i18n.Languages}
	if slices.Contains(articleStatuses, c.Query("status")) {
		f.Status = c.Query("status")
	}
	if slices.Contains(i18n.Languages, c.Query("language")) {
		f.Language = c.Query("language")
	}
	if tag := strings.TrimSpace(c.Query("tag")); len(tag) <= 100 {
		f.Tag = strings.ToLower(tag)
	}
	v := p.newView(c, "kb.title")
	v.Nav, v.Script, v.Data = "kb", "articles.js", f
	p.render(c, http.StatusOK, "articles", v)
}

// articleForm is the editor page: ID 0 for a new article.
type articleForm struct {
	ID                  int64
	Statuses, Languages []string
}

// ArticleEdit serves GET /workbench/kb/articles/new and /workbench/kb/articles/:id.
func (p *Pages) ArticleEdit(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleEditor); !ok {
		return
	}
	form := articleForm{Statuses: articleStatuses, Languages: i18n.Languages}
	title := "edit.new_title"
	if id := c.Param("id"); id != "" && id != "new" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			p.problem(c, http.StatusNotFound, "notfound.title", "notfound.body")
			return
		}
		form.ID, title = n, "edit.title"
	}
	v := p.newView(c, title)
	v.Nav, v.Script, v.Data = "kb", "article-edit.js", form
	p.render(c, http.StatusOK, "article_edit", v)
}

// Suggestions serves GET /workbench/kb/suggestions: agents' answers waiting to become articles.
func (p *Pages) Suggestions(c *gin.Context) {
	if _, ok := p.require(c, auth.RoleEditor); !ok {
		return
	}
	v := p.newView(c, "sug.title")
	v.Nav, v.Script = "suggestions", "suggestions.js"
	p.render(c, http.StatusOK, "suggestions", v)
}
