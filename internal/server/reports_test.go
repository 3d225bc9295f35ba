package server

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
)

type reportOut struct {
	Filter struct {
		From, To, Team, TZ string
	} `json:"filter"`
	Teams   []string `json:"teams"`
	Summary struct {
		Conversations int64 `json:"conversations"`
	} `json:"summary"`
	Sections map[string]struct {
		Columns      []string `json:"columns"`
		Rows         [][]any  `json:"rows"`
		TeamFiltered bool     `json:"team_filtered"`
	} `json:"sections"`
}

func TestReportsAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	sup := ta.user("sup@example.com", auth.RoleSupervisor, "billing")
	agent := ta.user("agent@example.com", auth.RoleAgent)

	// Staff only, and of the right role.
	ta.do("GET", "/api/v1/reports", "", nil, http.StatusUnauthorized, nil)
	ta.do("GET", "/api/v1/reports", agent, nil, http.StatusForbidden, nil)
	ta.do("GET", "/api/v1/reports/days.csv", agent, nil, http.StatusForbidden, nil)

	for q, want := range map[string]string{
		"from=2026-02-30":                  "from must be a date",
		"to=yesterday":                     "to must be a date",
		"from=2026-03-05&to=2026-03-04":    "is after to",
		"from=2025-01-01&to=2026-01-02":    "at most 366",
		"tz=Mars/Olympus":                  "unknown time zone",
		"team=" + strings.Repeat("x", 101): "team is too long",
	} {
		var e struct{ Error string }
		ta.do("GET", "/api/v1/reports?"+q, sup, nil, http.StatusBadRequest, &e)
		require.Contains(t, e.Error, want, q)
		ta.do("GET", "/api/v1/reports/days.csv?"+q, sup, nil, http.StatusBadRequest, nil)
	}
	ta.do("GET", "/api/v1/reports/nope.csv", sup, nil, http.StatusNotFound, nil)
	ta.do("GET", "/api/v1/reports/days", sup, nil, http.StatusNotFound, nil)

	// A conversation started now is in today's report; an evaluator's is not.
	ta.customer("zh")
	var r reportOut
	ta.do("GET", "/api/v1/reports?tz=Asia/Shanghai", sup, nil, http.StatusOK, &r)
	require.Equal(t, int64(1), r.Summary.Conversations)
	require.Equal(t, "Asia/Shanghai", r.Filter.TZ)
	require.Equal(t, time.Now().In(mustLoc(t, "Asia/Shanghai")).Format(time.DateOnly), r.Filter.To)
	require.Len(t, r.Sections["days"].Rows, 7)
	require.Equal(t, []any{"zh", float64(1)}, r.Sections["languages"].Rows[0])
	require.Contains(t, r.Teams, "billing")
	ta.do("GET", "/api/v1/reports?team=billing", sup, nil, http.StatusOK, &r)
	require.True(t, r.Sections["times"].TeamFiltered)
	require.False(t, r.Sections["days"].TeamFiltered)

	// CSV: BOM, header, Chinese intact, personal data masked, a file name.
	ctx := context.Background()
	_, err := ta.DB.Pool.Exec(ctx, `
WITH c AS (SELECT id FROM conversations LIMIT 1),
m AS (INSERT INTO messages (conversation_id, seq, sender, text) SELECT id, 100, 'customer', 'x' FROM c RETURNING id, conversation_id)
INSERT INTO kb_unanswered (message_id, conversation_id, question, language, reason, asked_at)
SELECT id, conversation_id, '我的快递到哪了？电话 13812345678', 'zh', 'dont_know', now() FROM m`)
	require.NoError(t, err)
	req, err := http.NewRequest("GET", ta.URL+"/api/v1/reports/unanswered.csv?team=billing&from=2020-01-01&to=2020-01-02", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+sup)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	// unanswered is not narrowed by team, so the name leaves the team out.
	require.Equal(t, `attachment; filename=baton-unanswered-2020-01-01-to-2020-01-02.csv`, resp.Header.Get("Content-Disposition"))
	require.Equal(t, "\uFEFFquestion,times,language,last_asked\n", string(body), "an empty range is the header alone")

	req.URL.RawQuery = ""
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.True(t, strings.HasPrefix(string(body), "\uFEFF"))
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	require.Equal(t, []string{"我的快递到哪了？电话 138****5678", "1", "zh"}, recs[1][:3])
}

func mustLoc(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}
