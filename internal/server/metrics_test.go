package server

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// /metrics is off by default; with BATON_METRICS_TOKEN it serves Prometheus metrics to that bearer
// token only, and they count what customers did.
func TestMetrics(t *testing.T) {
	off := newTestApp(t, appOptions{})
	off.do("GET", "/metrics", "", nil, 404, nil)

	ta := newTestApp(t, appOptions{demo: true, metricsToken: "scrape-secret"})
	scrape := func(token string) (int, string) {
		req, err := http.NewRequest("GET", ta.URL+"/metrics", nil)
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	status, _ := scrape("")
	require.Equal(t, 401, status)
	status, _ = scrape("wrong")
	require.Equal(t, 401, status)

	conv, tok := ta.customer("en")
	ta.say(conv, tok, "How long does a refund take?")
	ta.say(conv, tok, "I want to talk to a human")
	other, otherTok := ta.customer("en")
	ta.say(other, otherTok, "what is the capital of mongolia")

	status, body := scrape("scrape-secret")
	require.Equal(t, 200, status)
	value := func(series string) float64 {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` ([0-9.e+]+)$`).FindStringSubmatch(body)
		require.NotNil(t, m, "no %s in\n%s", series, body)
		v, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		return v
	}
	require.Equal(t, 3.0, value("baton_turns_total"))
	require.Equal(t, 3.0, value("baton_turn_duration_seconds_count"))
	require.Equal(t, 1.0, value(`baton_bot_replies_total{kind="answer"}`))
	require.Equal(t, 1.0, value(`baton_bot_replies_total{kind="dont_know"}`))
	require.Equal(t, 1.0, value(`baton_handoffs_total{reason="human_request"}`))
	require.Equal(t, 1.0, value(`baton_queue_length{skill="general"}`))
	require.Equal(t, 0.0, value("baton_claims_total"))
	require.Equal(t, 3.0, value(`baton_http_request_duration_seconds_count{method="POST",route="/api/v1/conversations/:id/messages",status="201"}`))
	require.Greater(t, value("baton_db_pool_acquires_total"), 0.0)
	require.Equal(t, 0.0, value("baton_metrics_db_errors"))
	require.NotContains(t, body, conv, "no conversation id in a label")
	require.NotContains(t, body, "refund", "no message text")
}
