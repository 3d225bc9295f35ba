package kb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// failSaying is fail with the error's own words for a 404 ("no article 7").
func (a *API) failSaying(c *gin.Context, err error) {
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, strings.TrimPrefix(err.Error(), ErrNotFound.Error()+": "))
		return
	}
	a.fail(c, err)
}

// suggestionStatus reads ?status= for the suggestion list: open by default, "all" for every one.
func suggestionStatus(c *gin.Context) (string, bool) {
	switch status := c.DefaultQuery("status", SuggestionOpen); status {
	case "all":
		return "", true
	case SuggestionOpen, SuggestionApproved, SuggestionMerged, SuggestionDismissed:
		return status, true
	default:
		httpx.Error(c, http.StatusBadRequest, "status must be open, approved, merged, dismissed or all")
		return "", false
	}
}

// languageParam reads an optional ?language= (zh or en).
func languageParam(c *gin.Context) (string, bool) {
	lang := c.Query("language")
	if lang != "" && lang != "zh" && lang != "en" {
		httpx.Error(c, http.StatusBadRequest, "language must be zh or en")
		return "", false
	}
	return lang, true
}

// intParam reads an optional integer query parameter between lo and hi.
func intParam(c *gin.Context, name string, def, lo, hi int) (int, bool) {
	s := c.Query(name)
	if s == "" {
		return def, true
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		httpx.Errorf(c, http.StatusBadRequest, "%s must be between %d and %d", name, lo, hi)
		return 0, false
	}
	return v, true
}

// GetSuggestion returns the group of one suggestion.
func (a *API) GetSuggestion(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	g, err := a.Store.SuggestionGroupGet(c.Request.Context(), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"group": g})
}

// MergeSuggestion adds a suggestion group's phrasings to an existing article as alternative
// questions: {article_id, append_answer?}.
func (a *API) MergeSuggestion(c *gin.Context) {
	id, ok := idParam(c)
	if !ok {
		return
	}
	var m MergeRequest
	if !httpx.BindJSON(c, &m, 256<<10) {
		return
	}
	if m.ArticleID <= 0 {
		httpx.Error(c, http.StatusBadRequest, "article_id is required")
		return
	}
	u := userID(c)
	if u == nil {
		httpx.Error(c, http.StatusUnauthorized, "sign in first")
		return
	}
	res, err := a.Store.SuggestionMerge(c.Request.Context(), id, m, *u)
	if err != nil {
		a.failSaying(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// Unanswered reports the questions the bot could not answer, grouped, most frequent first:
// ?days= (1-365, default 30), ?language=, ?limit= (1-200, default 50).
func (a *API) Unanswered(c *gin.Context) {
	days, ok := intParam(c, "days", 30, 1, 365)
	if !ok {
		return
	}
	limit, ok := intParam(c, "limit", 50, 1, 200)
	if !ok {
		return
	}
	lang, ok := languageParam(c)
	if !ok {
		return
	}
	items, err := a.Store.UnansweredReport(c.Request.Context(), UnansweredFilter{Days: days, Language: lang, Limit: limit})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "days": days, "covered_threshold": CoveredThreshold})
}
