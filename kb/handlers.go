package kb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/httpx"
)

// API serves the knowledge-base endpoints.
type API struct {
	Store *Store
	// Compliance checks articles as they are published (nil: no check).
	Compliance *compliance.Checker
}

func (a *API) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		httpx.Error(c, http.StatusNotFound, "not found")
	case errors.Is(err, ErrConflict):
		httpx.Error(c, http.StatusConflict, strings.TrimPrefix(err.Error(), ErrConflict.Error()+": "))
	case errors.Is(err, ErrInvalid):
		httpx.Error(c, http.StatusBadRequest, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	default:
		httpx.Internal(c, err)
	}
}

func userID(c *gin.Context) *int64 {
	if u, ok := auth.CurrentUser(c); ok {
		return &u.ID
	}
	return nil
}

func idParam(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.Error(c, http.StatusNotFound, "not found")
		return 0, false
	}
	return id, true
}

// CreateArticle adds an article (a draft unless status says otherwise).
func (a *API) CreateArticle(c *gin.Context) {
	var in ArticleInput
	if !httpx.BindJSON(c, &in, 256<<10) {
		return
	}
	if err := in.Normalize(); err != nil {
		httpx.Error(c, http.StatusBadRequest, err.Error())
		return
	}
	warnings := []FieldHit{}
	if in.Status == StatusPublished {
		var ok bool
		if warnings, ok = a.screenPublished(c, in.Title, in.Body, in.Language); !ok {
			return
		}
	}
	art, err := a.Store.ArticleCreate(c.Request.Context(), in, "manual", userID(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"article": art, "warnings": warnings})
}

// UpdateArticle replaces an article's content.
func (a *API) UpdateArticle(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	var req articleUpdate
	if !httpx.BindJSON(c, &req, 256<<10) {
		return
	}
	in := req.ArticleInput
	if err := in.Normalize(); err != nil {
		httpx.Error(c, http.StatusBadRequest, err.Error())
		return
	}
	if req.Version < 0 {
		httpx.Error(c, http.StatusBadRequest, "version must be the article's version you started from")
		return
	}
	warnings := []FieldHit{}
	if in.Status == StatusPublished {
		var ok bool
		if warnings, ok = a.screenPublished(c, in.Title, in.Body, in.Language); !ok {
			return
		}
	}
	art, err := a.Store.ArticleUpdate(c.Request.Context(), id, in, a.change(c, req.Version))
	if err != nil {
		a.failChange(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"article": art, "warnings": warnings})
}

// GetArticle returns one article.
func (a *API) GetArticle(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	art, err := a.Store.ArticleGet(c.Request.Context(), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"article": art})
}

// ListArticles lists articles filtered by ?status=, ?language=, ?tag= and ?q= (words of the
// title, body or alternative questions).
func (a *API) ListArticles(c *gin.Context) {
	f := ArticleFilter{Status: c.Query("status"), Language: c.Query("language"), Query: c.Query("q"), Tag: c.Query("tag")}
	if len(f.Query) > 500 || len(f.Tag) > 100 {
		httpx.Error(c, http.StatusBadRequest, "q must be at most 500 bytes and tag at most 100")
		return
	}
	if f.Status != "" && f.Status != StatusDraft && f.Status != StatusPublished && f.Status != StatusArchived {
		httpx.Error(c, http.StatusBadRequest, "status must be draft, published or archived")
		return
	}
	items, err := a.Store.ArticleList(c.Request.Context(), f)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// PublishArticle makes an article answerable by the bot.
func (a *API) PublishArticle(c *gin.Context) { a.setStatus(c, StatusPublished) }

// ArchiveArticle takes an article out of the bot's answers.
func (a *API) ArchiveArticle(c *gin.Context) { a.setStatus(c, StatusArchived) }

func (a *API) setStatus(c *gin.Context, status string) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	base, ok := baseVersion(c)
	if !ok {
		return
	}
	warnings := []FieldHit{}
	if status == StatusPublished && a.Compliance != nil {
		cur, err := a.Store.ArticleGet(c.Request.Context(), id)
		if err != nil {
			a.fail(c, err)
			return
		}
		if warnings, ok = a.screenPublished(c, cur.Title, cur.Body, cur.Language); !ok {
			return
		}
	}
	art, err := a.Store.ArticleSetStatus(c.Request.Context(), id, status, a.change(c, base))
	if err != nil {
		a.failChange(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"article": art, "warnings": warnings})
}

// Search returns the best published articles for ?q=.
func (a *API) Search(c *gin.Context) {
	q := c.Query("q")
	if q == "" {
		httpx.Error(c, http.StatusBadRequest, "q is required")
		return
	}
	if len(q) > 2000 {
		httpx.Error(c, http.StatusBadRequest, "q must be at most 2000 bytes")
		return
	}
	k := 5
	if s := c.Query("k"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 50 {
			httpx.Error(c, http.StatusBadRequest, "k must be between 1 and 50")
			return
		}
		k = v
	}
	lang := c.Query("language")
	if lang != "" && lang != "zh" && lang != "en" {
		httpx.Error(c, http.StatusBadRequest, "language must be zh or en")
		return
	}
	res, err := a.Store.Search(c.Request.Context(), q, SearchOptions{Language: lang, K: k})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"results": res})
}

// ListSuggestions lists suggestion groups with ?status= (open by default; "all" for every one)
// and ?language=, open ones most asked first (see SuggestionGroups).
func (a *API) ListSuggestions(c *gin.Context) {
	status, ok := suggestionStatus(c)
	if !ok {
		return
	}
	lang, ok := languageParam(c)
	if !ok {
		return
	}
	items, err := a.Store.SuggestionGroups(c.Request.Context(), SuggestionFilter{Status: status, Language: lang})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// ApproveSuggestion publishes a suggestion as an article, optionally with an edited title and answer.
func (a *API) ApproveSuggestion(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	var ap Approval
	if c.Request.ContentLength != 0 {
		if !httpx.BindJSON(c, &ap, 256<<10) {
			return
		}
	}
	sg, art, err := a.Store.SuggestionApprove(c.Request.Context(), id, ap, *userID(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"suggestion": sg, "article": art})
}

// DismissSuggestion closes a suggestion without publishing it.
func (a *API) DismissSuggestion(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	sg, err := a.Store.SuggestionDismiss(c.Request.Context(), id, *userID(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"suggestion": sg})
}
