package compliance

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/httpx"
)

// API serves the rules to admins (who change them) and supervisors (who read them), and the
// log of hits.
type API struct {
	Store   *Store
	Checker *Checker
}

func ruleID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.Error(c, http.StatusNotFound, "no such rule")
		return 0, false
	}
	return id, true
}

func (a *API) changed() {
	if a.Checker != nil {
		a.Checker.Invalidate() // this process at once; the others on the event
	}
}

// ListRules lists every rule.
func (a *API) ListRules(c *gin.Context) {
	rules, err := a.Store.Rules(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rules})
}

// CreateRule adds a rule.
func (a *API) CreateRule(c *gin.Context) {
	var in RuleInput
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	if err := in.Normalize(); err != nil {
		httpx.Error(c, http.StatusBadRequest, err.Error())
		return
	}
	var by *int64
	if u, ok := auth.CurrentUser(c); ok {
		by = &u.ID
	}
	r, err := a.Store.RuleCreate(c.Request.Context(), in, by)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	a.changed()
	audit.Target(c, "compliance_rule", strconv.FormatInt(r.ID, 10))
	c.JSON(http.StatusCreated, gin.H{"rule": r})
}

// UpdateRule replaces a rule.
func (a *API) UpdateRule(c *gin.Context) {
	id, ok := ruleID(c)
	if !ok {
		return
	}
	var in RuleInput
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	if err := in.Normalize(); err != nil {
		httpx.Error(c, http.StatusBadRequest, err.Error())
		return
	}
	r, err := a.Store.RuleUpdate(c.Request.Context(), id, in)
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "no such rule")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	a.changed()
	c.JSON(http.StatusOK, gin.H{"rule": r})
}

// DeleteRule removes a rule.
func (a *API) DeleteRule(c *gin.Context) {
	id, ok := ruleID(c)
	if !ok {
		return
	}
	err := a.Store.RuleDelete(c.Request.Context(), id)
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "no such rule")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	a.changed()
	c.Status(http.StatusNoContent)
}

// ListHits lists recent hits, filtered by ?source=, ?outcome=, ?rule_id=, ?user_id=, ?since=
// (RFC 3339) and ?limit= (1-500, default 100).
func (a *API) ListHits(c *gin.Context) {
	f := HitFilter{Source: c.Query("source"), Outcome: c.Query("outcome")}
	switch f.Source {
	case "", SourceAgentReply, SourceBotAnswer, SourceBotTemplate, SourceKBArticle:
	default:
		httpx.Error(c, http.StatusBadRequest, "source must be agent_reply, bot_answer, bot_template or kb_article")
		return
	}
	switch f.Outcome {
	case "", OutcomeBlocked, OutcomeWarned, OutcomeSentAfterWarning:
	default:
		httpx.Error(c, http.StatusBadRequest, "outcome must be blocked, warned or sent_after_warning")
		return
	}
	for name, dst := range map[string]*int64{"rule_id": &f.RuleID, "user_id": &f.UserID} {
		if s := c.Query(name); s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v <= 0 {
				httpx.Errorf(c, http.StatusBadRequest, "%s must be a positive number", name)
				return
			}
			*dst = v
		}
	}
	if s := c.Query("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			httpx.Error(c, http.StatusBadRequest, "since must be a time such as 2026-01-02T15:04:05Z")
			return
		}
		f.Since = t
	}
	if s := c.Query("limit"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 500 {
			httpx.Error(c, http.StatusBadRequest, "limit must be between 1 and 500")
			return
		}
		f.Limit = v
	}
	hits, err := a.Store.Hits(c.Request.Context(), f)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"hits": hits})
}
