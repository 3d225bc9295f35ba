package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/config"
)

// runOK executes baton with args and returns stdout, failing the test on an error.
func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	require.NoError(t, root.ExecuteContext(context.Background()), errOut.String())
	return out.Bytes()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// Both commands start scratch databases of their own; DATABASE_URL must not point them elsewhere.
func init() { os.Unsetenv("DATABASE_URL") }

// `baton eval retrieval --json` on a tiny knowledge base prints the figures, off-topic included.
func TestEvalRetrievalCommand(t *testing.T) {
	t.Parallel()
	kbFile := writeFile(t, "kb.jsonl", `{"title":"Refund timelines","body":"Refunds reach Alipay in 1–3 days and cards in 3–7 days.","language":"en"}
{"title":"Tracking your parcel","body":"Open My Orders and choose View logistics to follow the courier.","language":"en"}
{"title":"怎么查物流","body":"在「我的订单」里点「查看物流」，可以看到快递的每一条记录。","language":"zh"}
`)
	queries := writeFile(t, "q.jsonl", `{"query":"how many days for a refund to my card","article":"Refund timelines"}
{"query":"where is my parcel, the courier","article":"Tracking your parcel"}
{"query":"我的快递到哪了 查物流","article":"怎么查物流","language":"zh"}
{"query":"what's the capital of peru","article":""}
`)
	var rep map[string]any
	require.NoError(t, json.Unmarshal(runOK(t, "eval", "retrieval", "--kb", kbFile, "--queries", queries, "--json"), &rep))
	for _, k := range []string{"hit_at_1", "hit_at_5", "mrr", "no_result_rate", "offtopic_no_result_rate", "by_language", "misses", "threshold_sweep"} {
		require.Contains(t, rep, k)
	}
	require.Equal(t, 1.0, rep["hit_at_1"])
	require.Equal(t, 1.0, rep["mrr"])
	require.Equal(t, 4.0, rep["queries"])
	require.Equal(t, 3.0, rep["answerable"])
	require.Equal(t, config.DefaultAnswerThreshold, rep["threshold"])
	nr := rep["no_result_rate"].(float64)
	require.True(t, nr >= 0 && nr <= 1)
	require.Equal(t, 1.0, rep["offtopic_no_result_rate"])
	require.Contains(t, rep["by_language"], "zh")
	require.Contains(t, rep, "model", "the classifier and calibration it answered with")

	// A saved baseline passes the gate; one no run can match fails it with exit 3.
	base := filepath.Join(t.TempDir(), "base.json")
	runOK(t, "eval", "retrieval", "--kb", kbFile, "--queries", queries, "--save-baseline", base)
	runOK(t, "eval", "retrieval", "--kb", kbFile, "--queries", queries, "--baseline", base, "--fail-on-regression")
	var b map[string]any
	raw, err := os.ReadFile(base)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &b))
	require.Nil(t, b["misses"], "a baseline keeps the figures, not every miss")
	b["wrong_answer_rate"] = -1.0
	better, err := json.Marshal(b)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(base, better, 0o600))
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs([]string{"eval", "retrieval", "--kb", kbFile, "--queries", queries, "--baseline", base, "--fail-on-regression"})
	err = root.ExecuteContext(context.Background())
	var re regressionError
	require.ErrorAs(t, err, &re, errOut.String())
	require.Contains(t, errOut.String(), "wrong_answer_rate")
	require.Contains(t, errOut.String(), "REGRESSION")
}

// `baton bench kb` on a few chunks runs end to end and reports sane figures.
func TestBenchKBCommand(t *testing.T) {
	t.Parallel()
	var rep map[string]any
	require.NoError(t, json.Unmarshal(runOK(t, "bench", "kb", "--chunks", "300", "--queries", "20", "--ef-search", "10", "--json"), &rep))
	require.Equal(t, 300.0, rep["chunks"])
	require.Equal(t, 30.0, rep["articles"])
	for _, k := range []string{"search_p50_ms", "search_p99_ms", "ann_p50_ms", "ann_p99_ms", "build_seconds", "index_build_seconds"} {
		require.Greater(t, rep[k].(float64), 0.0, k)
	}
	require.GreaterOrEqual(t, rep["search_p99_ms"].(float64), rep["search_p50_ms"].(float64))
	recall := rep["recall_at_10"].(float64)
	require.True(t, recall > 0.5 && recall <= 1, recall)
	require.Len(t, rep["ann_sweep"], 2) // the store's ef_search and --ef-search 10
}

// `baton bench turns` talks to a real server over HTTP: every turn is answered, and the figures
// are consistent.
func TestBenchTurnsCommand(t *testing.T) {
	t.Parallel()
	var rep struct {
		Customers      int            `json:"customers"`
		Turns          int            `json:"turns"`
		Errors         int            `json:"errors"`
		TurnsPerSecond float64        `json:"turns_per_second"`
		P50            float64        `json:"latency_p50_ms"`
		P99            float64        `json:"latency_p99_ms"`
		Queries        float64        `json:"db_queries_per_turn"`
		ByScript       map[string]int `json:"turns_by_script"`
	}
	require.NoError(t, json.Unmarshal(runOK(t, "bench", "turns", "--customers", "4", "--turns", "40", "--json"), &rep))
	require.Equal(t, 4, rep.Customers)
	require.Equal(t, 0, rep.Errors)
	require.Equal(t, 40, rep.Turns)
	require.Greater(t, rep.TurnsPerSecond, 0.0)
	require.Greater(t, rep.P50, 0.0)
	require.GreaterOrEqual(t, rep.P99, rep.P50)
	require.Greater(t, rep.Queries, 1.0, "a turn reads and writes the database")
	n := 0
	for _, k := range rep.ByScript {
		n += k
	}
	require.Equal(t, 40, n)
}
