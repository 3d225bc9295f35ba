package csat

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// Validate trims the comment and checks the score and comment length; it returns the error to
// show the customer, "" when in is fine.
func (in *Input) Validate() string {
	in.Comment = strings.TrimSpace(in.Comment)
	switch {
	case in.Score < 1 || in.Score > 5:
		return "score must be a whole number from 1 to 5"
	case utf8.RuneCountInString(in.Comment) > MaxComment:
		return fmt.Sprintf("comment must be at most %d characters", MaxComment)
	case in.TicketID != nil && *in.TicketID <= 0:
		return "ticket_id must be a positive ticket number"
	}
	return ""
}

// API serves the staff's view of the ratings.
type API struct {
	Store *Store
}

// List answers GET /api/v1/csat: the newest ratings and their averages, filtered by ?team=,
// ?agent_id=, ?bot=true|false, ?from= and ?to= (dates YYYY-MM-DD, UTC, both inclusive, or RFC 3339
// times, to exclusive) and ?limit= (1–500, default 50).
func (a *API) List(c *gin.Context) {
	var f Filter
	f.Team = strings.TrimSpace(c.Query("team"))
	if s := c.Query("agent_id"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v <= 0 {
			httpx.Error(c, http.StatusBadRequest, "agent_id must be a user id")
			return
		}
		f.AgentID = v
	}
	switch s := c.Query("bot"); s {
	case "":
	case "true", "false":
		b := s == "true"
		f.ByBot = &b
	default:
		httpx.Error(c, http.StatusBadRequest, `bot must be "true" or "false"`)
		return
	}
	for _, p := range []struct {
		name string
		dst  **time.Time
		end  bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		s := c.Query(p.name)
		if s == "" {
			continue
		}
		t, err := parseWhen(s, p.end)
		if err != nil {
			httpx.Errorf(c, http.StatusBadRequest, "%s must be a date (YYYY-MM-DD) or an RFC 3339 time", p.name)
			return
		}
		*p.dst = &t
	}
	f.Limit = 50
	if s := c.Query("limit"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 500 {
			httpx.Error(c, http.StatusBadRequest, "limit must be between 1 and 500")
			return
		}
		f.Limit = v
	}
	ratings, sum, err := a.Store.List(c.Request.Context(), f)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"ratings": ratings, "summary": sum})
}

// parseWhen reads a date or time; a date that ends a range means the end of that day.
func parseWhen(s string, end bool) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return time.Parse(time.RFC3339, s)
}
