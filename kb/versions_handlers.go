package kb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// articleUpdate is PUT /articles/:id's body: the article plus the version the editor started from.
type articleUpdate struct {
	ArticleInput
	// Version is the article's version the editor's form was loaded from; when given, a save over a
	// newer version is refused with 409.
	Version int `json:"version"`
}

// change is the signed-in editor's change from base.
func (a *API) change(c *gin.Context, base int) Change {
	return Change{By: userID(c), BaseVersion: base, Source: "manual"}
}

// baseVersion reads an optional {"version": n} body (the version the editor started from).
func baseVersion(c *gin.Context) (int, bool) {
	var body struct {
		Version int `json:"version"`
	}
	if c.Request.ContentLength != 0 {
		if !httpx.BindJSON(c, &body, 1<<10) {
			return 0, false
		}
	}
	if body.Version < 0 {
		httpx.Error(c, http.StatusBadRequest, "version must be the article's version you started from")
		return 0, false
	}
	return body.Version, true
}

// failChange answers a refused change: a stale save is 409 with code "stale", the article's
// current version and who made it, so the editor can be told what happened.
func (a *API) failChange(c *gin.Context, err error) {
	var stale *StaleError
	if errors.As(err, &stale) {
		out := gin.H{
			"error":           strings.TrimPrefix(stale.Error(), ErrConflict.Error()+": "),
			"code":            "stale",
			"your_version":    stale.Base,
			"current_version": stale.Current.Version,
		}
		if stale.Latest.Version != 0 {
			out["latest"] = stale.Latest
		}
		c.AbortWithStatusJSON(http.StatusConflict, out)
		return
	}
	a.fail(c, err)
}

func versionParam(c *gin.Context) (int, bool) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n <= 0 {
		httpx.Error(c, http.StatusNotFound, "not found")
		return 0, false
	}
	return n, true
}

// ListVersions lists an article's history, newest first, without the bodies.
func (a *API) ListVersions(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	items, err := a.Store.ArticleVersions(c.Request.Context(), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// GetVersion returns one version of an article in full.
func (a *API) GetVersion(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	n, ok := versionParam(c)
	if !ok {
		return
	}
	v, err := a.Store.ArticleVersion(c.Request.Context(), id, n)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"version": v})
}

// RestoreVersion brings back an earlier version's content as a new version (the status stays).
// An optional {"version": n} body is the version the editor was looking at, checked like a save.
func (a *API) RestoreVersion(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	n, ok := versionParam(c)
	if !ok {
		return
	}
	base, ok := baseVersion(c)
	if !ok {
		return
	}
	warnings := []FieldHit{}
	if a.Compliance != nil { // restoring a published article publishes the old text
		cur, err := a.Store.ArticleGet(c.Request.Context(), id)
		if err != nil {
			a.fail(c, err)
			return
		}
		if cur.Status == StatusPublished {
			v, err := a.Store.ArticleVersion(c.Request.Context(), id, n)
			if err != nil {
				a.fail(c, err)
				return
			}
			if warnings, ok = a.screenPublished(c, v.Title, v.Body, v.Language); !ok {
				return
			}
		}
	}
	art, restored, err := a.Store.ArticleRestore(c.Request.Context(), id, n, a.change(c, base))
	if err != nil {
		a.failChange(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"article": art, "restored": restored, "warnings": warnings})
}

// ListTags lists the tags in use with how many articles carry each, for the list's filter.
func (a *API) ListTags(c *gin.Context) {
	tags, err := a.Store.ArticleTags(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": tags})
}

// Preview renders an article body's Markdown as safe HTML (no raw HTML, no script links).
func (a *API) Preview(c *gin.Context) {
	var in struct {
		Body string `json:"body"`
	}
	if !httpx.BindJSON(c, &in, 256<<10) {
		return
	}
	if len([]rune(in.Body)) > MaxBodyLen {
		httpx.Errorf(c, http.StatusBadRequest, "body is longer than %d characters", MaxBodyLen)
		return
	}
	html, err := RenderMarkdown(in.Body)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"html": html})
}
