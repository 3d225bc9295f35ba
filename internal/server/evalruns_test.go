package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type runOut struct {
	Run struct {
		ID         int64    `json:"id"`
		Status     string   `json:"status"`
		Error      string   `json:"error"`
		Suites     []string `json:"suites"`
		Cases      int      `json:"cases"`
		Passed     int      `json:"passed"`
		TotalCases int      `json:"total_cases"`
		DoneCases  int      `json:"done_cases"`
		CreatedBy  string   `json:"created_by"`
	} `json:"run"`
}

// An evaluator starts runs of the built-in suites from the workbench API; they are played on an
// isolated Baton, stored with their reports, listed, and compared side by side.
func TestEvalRunsFromTheWorkbench(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ev := ta.user("eval@x.test", "evaluator")
	agent := ta.user("agent@x.test", "agent")

	var suites struct {
		Suites []struct {
			Name  string
			Cases int
		}
	}
	ta.do("GET", "/api/v1/eval/suites", ev, nil, 200, &suites)
	names := map[string]int{}
	for _, s := range suites.Suites {
		names[s.Name] = s.Cases
	}
	require.Greater(t, names["smalltalk-mixed"], 5)
	require.Contains(t, names, "faq-zh")

	ta.do("GET", "/api/v1/eval/suites", agent, nil, 403, nil)
	ta.do("POST", "/api/v1/eval/runs", agent, map[string]any{"suites": []string{"oos"}}, 403, nil)
	ta.do("POST", "/api/v1/eval/runs", ev, map[string]any{"suites": []string{"nope"}}, 400, nil)
	ta.do("POST", "/api/v1/eval/runs", ev, map[string]any{"suites": []string{"oos"}, "tags": []string{"no-such-tag"}}, 400, nil)

	start := func() runOut {
		var r runOut
		ta.do("POST", "/api/v1/eval/runs", ev, map[string]any{"suites": []string{"smalltalk-mixed"}, "tags": []string{"typo"}}, 202, &r)
		require.Equal(t, "running", r.Run.Status)
		require.Equal(t, []string{"smalltalk-mixed"}, r.Run.Suites)
		require.Equal(t, 4, r.Run.TotalCases, "the typo cases of the suite")
		require.NotEmpty(t, r.Run.CreatedBy, "who started it")
		return r
	}
	wait := func(id int64) runOut {
		var r runOut
		deadline := time.Now().Add(3 * time.Minute)
		for time.Now().Before(deadline) {
			ta.do("GET", fmt.Sprintf("/api/v1/eval/runs/%d", id), ev, nil, 200, &r)
			if r.Run.Status != "running" {
				return r
			}
			time.Sleep(300 * time.Millisecond)
		}
		t.Fatalf("run %d still running after 3 minutes", id)
		return r
	}
	first := start()
	ta.do("POST", "/api/v1/eval/runs", ev, map[string]any{"suites": []string{"oos"}}, 409, nil)
	ta.do("GET", fmt.Sprintf("/api/v1/eval/runs/%d/report", first.Run.ID), ev, nil, 409, nil)
	done := wait(first.Run.ID)
	require.Equal(t, "done", done.Run.Status, done.Run.Error)
	require.Equal(t, 4, done.Run.Cases)
	require.Equal(t, 4, done.Run.DoneCases)

	var rep struct {
		Cases   int `json:"cases"`
		Results []struct {
			Case   string `json:"case"`
			Passed bool   `json:"passed"`
		} `json:"results"`
	}
	ta.do("GET", fmt.Sprintf("/api/v1/eval/runs/%d/report", first.Run.ID), ev, nil, 200, &rep)
	require.Equal(t, 4, rep.Cases)
	require.Len(t, rep.Results, 4)
	html := string(ta.do("GET", fmt.Sprintf("/api/v1/eval/runs/%d/report?format=html", first.Run.ID), ev, nil, 200, nil))
	require.Contains(t, html, "<svg")
	require.Contains(t, html, "Baton evaluation")

	second := wait(start().Run.ID)
	require.Equal(t, done.Run.Passed, second.Run.Passed, "runs are deterministic")

	var list struct{ Runs []struct{ ID int64 } }
	ta.do("GET", "/api/v1/eval/runs", ev, nil, 200, &list)
	require.Len(t, list.Runs, 2)
	require.Equal(t, second.Run.ID, list.Runs[0].ID, "newest first")

	var cmp struct {
		Comparison struct {
			Regressions []string `json:"regressions"`
			Metrics     []struct {
				Metric string `json:"metric"`
			} `json:"metrics"`
		} `json:"comparison"`
	}
	ta.do("GET", fmt.Sprintf("/api/v1/eval/compare?base=%d&run=%d", first.Run.ID, second.Run.ID), ev, nil, 200, &cmp)
	require.Empty(t, cmp.Comparison.Regressions)
	require.NotEmpty(t, cmp.Comparison.Metrics)
	ta.do("GET", "/api/v1/eval/compare?base=x&run=1", ev, nil, 400, nil)
	ta.do("GET", fmt.Sprintf("/api/v1/eval/compare?base=%d&run=999", first.Run.ID), ev, nil, 404, nil)
}
