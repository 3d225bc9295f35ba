package audit

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/pii"
)

// parseFilter reads the listing's query: actor, action, target (type:id, or an id), target_type,
// target_id, from and to (RFC 3339, or a date: "to" a date includes that day), before, limit.
func parseFilter(c *gin.Context) (Filter, string) {
	f := Filter{Actor: c.Query("actor"), Action: c.Query("action"), TargetType: c.Query("target_type"), TargetID: c.Query("target_id")}
	if t := strings.TrimSpace(c.Query("target")); t != "" {
		if typ, id, ok := strings.Cut(t, ":"); ok {
			f.TargetType, f.TargetID = typ, id
		} else {
			f.TargetID = t
		}
	}
	for _, p := range []struct {
		name string
		dst  **time.Time
		end  bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		v := strings.TrimSpace(c.Query(p.name))
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			d, derr := time.ParseInLocation("2006-01-02", v, time.UTC)
			if derr != nil {
				return f, p.name + " must be a date (2006-01-02) or an RFC 3339 time"
			}
			if p.end {
				d = d.AddDate(0, 0, 1)
			}
			t = d
		}
		*p.dst = &t
	}
	for _, p := range []struct {
		name string
		dst  any
	}{{"before", &f.Before}, {"limit", &f.Limit}} {
		v := c.Query(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return f, p.name + " must be a positive number"
		}
		switch d := p.dst.(type) {
		case *int64:
			*d = n
		case *int:
			if n < 1 || n > 500 {
				return f, "limit must be 1-500"
			}
			*d = int(n)
		}
	}
	return f, ""
}

// List is GET /api/v1/audit: a page of entries, newest first; next_before pages on.
func (l *Log) List(c *gin.Context) {
	f, msg := parseFilter(c)
	if msg != "" {
		httpx.Error(c, http.StatusBadRequest, msg)
		return
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	entries, err := l.ListEntries(c.Request.Context(), f)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	out := gin.H{"items": entries}
	if len(entries) == f.Limit {
		out["next_before"] = entries[len(entries)-1].ID
	}
	c.JSON(http.StatusOK, out)
}

// ExportCSV is GET /api/v1/audit.csv: every entry the filters match (up to 100,000), newest
// first, UTF-8 with a byte-order mark so spreadsheet programs read Chinese right. Personal data
// in an entry's detail (an erase reason may quote a customer) is masked.
func (l *Log) ExportCSV(c *gin.Context) {
	f, msg := parseFilter(c)
	if msg != "" {
		httpx.Error(c, http.StatusBadRequest, msg)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="baton-audit-`+time.Now().UTC().Format("20060102")+`.csv"`)
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString("\uFEFF")
	w := csv.NewWriter(c.Writer)
	_ = w.Write([]string{"id", "at", "actor_id", "actor_email", "actor_role", "action", "target_type", "target_id",
		"ip", "user_agent", "status", "detail"})
	f.Limit = 500
	for total := 0; total < 100000; {
		entries, err := l.ListEntries(c.Request.Context(), f)
		if err != nil {
			_ = c.Error(err)
			return
		}
		for _, e := range entries {
			actor := ""
			if e.ActorID != nil {
				actor = strconv.FormatInt(*e.ActorID, 10)
			}
			detail, _ := json.Marshal(e.Detail)
			_ = w.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), actor, csvSafe(e.ActorEmail),
				e.ActorRole, csvSafe(e.Action), e.TargetType, csvSafe(e.TargetID), e.IP, csvSafe(e.UserAgent),
				strconv.Itoa(e.Status), csvSafe(pii.Mask(string(detail)))})
		}
		total += len(entries)
		if len(entries) < f.Limit {
			break
		}
		f.Before = entries[len(entries)-1].ID
	}
	w.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
