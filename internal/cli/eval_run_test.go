package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const tinyBot = `name: tiny-shop
settings: {default_skill: general, max_low_confidence: 2}
out_of_scope:
  en: [what payment methods do you accept, tell me a joke, what's the weather like, how do I reset my password,
       do you ship abroad, where is my refund, I want to return this, how much is shipping, is this in stock, write me a poem]
  zh: [支持什么付款方式, 讲个笑话, 今天天气怎么样, 怎么改密码, 能寄到国外吗, 退款到哪了, 我要退货, 运费多少, 有货吗, 写首诗]
intents:
  - name: greeting
    label: {zh: 打招呼, en: greeting}
    examples:
      en: [hi, hello, hey there, good morning, hello there, hi there, hey, good evening]
      zh: [你好, 您好, 在吗, 早上好, 哈喽, 嗨, 有人吗, 晚上好]
    action:
      reply: {zh: 您好！, en: "Hello from the tiny shop!"}
  - name: pickup
    label: {zh: 自提, en: pickup}
    kb: true
    examples:
      en: [can I pick up my order, self pickup, collect in person, do you have a pickup point, can I collect it myself, pickup hours, where can I collect my parcel, store pickup]
      zh: [可以自提吗, 自提点在哪, 能到店取货吗, 自提时间, 可以自己去拿吗, 门店自取, 到哪里自提, 自提地址]
  - name: human_request
    label: {zh: 转人工, en: human}
    examples:
      en: [talk to a human, real person please, agent, connect me to an agent, human please, a person please, let me talk to someone, operator]
      zh: [转人工, 人工客服, 找真人, 我要人工, 转接人工, 真人客服, 人工服务, 找个人]
    handoff: {always: true, reason: human_request, skill: pickup_desk}
`

const tinyKB = `{"title":"Self pickup at the Hangzhou store","body":"You can collect orders in person at our Hangzhou store, Monday to Friday 10:00-18:00. Bring your order number.","language":"en","questions":["Can I pick up my order myself?"]}
{"title":"Gift wrapping","body":"Gift wrapping costs 5 yuan per item and can be chosen at checkout.","language":"en"}
`

// A suite with its own bot and knowledge base runs on an isolated Baton: the tiny bot answers
// from the tiny KB (the demo KB is absent), hands off to its own queue, and the reports are written.
func TestEvalRunIsolatedSuite(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	write("tiny.yaml", tinyBot)
	write("tiny.jsonl", tinyKB)
	suite := write("suite.yaml", `name: tiny
bot: tiny.yaml
kb: tiny.jsonl
language: en
cases:
  - name: pickup answered from the suite's KB
    turns:
      - user: can I collect my order in person
        expect: {intent: pickup, cites: Self pickup at the Hangzhou store, answer_contains: [Hangzhou], handoff: false}
    expect_end: {resolved_by_bot: true}
  - name: the demo KB is not there
    turns:
      - user: how long do refunds take to reach alipay
        expect: {kind: dont_know}
  - name: a person, on the tiny bot's queue
    customer: {vip: true}
    turns:
      - user: hello there
        expect: {intent: greeting, answer_contains: tiny shop}
      - user: talk to a human
        expect: {handoff: {reason: human_request, skill: pickup_desk}}
    expect_end: {resolved_by_bot: false, status: queued}
  - name: a failing expectation
    tags: [broken]
    turns:
      - user: hi
        expect: {intent: pickup}
`)
	jsonOut, junit, html := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.html")
	code := Execute([]string{"eval", "run", suite, "--json", jsonOut, "--junit", junit, "--html", html, "--parallel", "2"})
	require.Equal(t, 0, code, "failing cases alone do not fail the command")

	var rep map[string]any
	b, err := os.ReadFile(jsonOut)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rep))
	for _, k := range []string{"cases", "passed", "failed", "intent_accuracy", "slot_joint_accuracy", "handoff_precision",
		"handoff_recall", "containment_rate", "wrong_answer_rate", "latency_p50_ms", "latency_p95_ms"} {
		require.Contains(t, rep, k)
	}
	require.EqualValues(t, 4, rep["cases"])
	require.EqualValues(t, 3, rep["passed"], string(b))
	require.EqualValues(t, 1, rep["failed"])
	require.InDelta(t, 2.0/3, rep["intent_accuracy"], 1e-3)
	require.EqualValues(t, 1, rep["handoff_precision"])
	require.EqualValues(t, 0.75, rep["containment_rate"])

	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	var ju struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(x, &ju))
	require.Equal(t, 4, ju.Tests)
	require.Equal(t, 1, ju.Failures)
	h, err := os.ReadFile(html)
	require.NoError(t, err)
	require.Contains(t, string(h), "a failing expectation")

	// The gate: against its own result nothing regresses; against a baseline in which the broken
	// case passed, the command exits 3 and names the case.
	require.Equal(t, 0, Execute([]string{"eval", "run", suite, "--tags", "broken", "--baseline", jsonOut, "--fail-on-regression", "--json", filepath.Join(dir, "again.json")}))
	var base map[string]any
	require.NoError(t, json.Unmarshal(b, &base))
	for _, r := range base["results"].([]any) {
		r.(map[string]any)["passed"] = true
	}
	fake, _ := json.Marshal(base)
	write("base.json", string(fake))
	var stdout strings.Builder
	root := newRoot()
	root.SetArgs([]string{"eval", "run", suite, "--tags", "broken", "--baseline", filepath.Join(dir, "base.json"), "--fail-on-regression"})
	root.SetOut(&stdout)
	root.SetErr(&stdout)
	err = root.Execute()
	var re regressionError
	require.ErrorAs(t, err, &re)
	require.Contains(t, err.Error(), "case tiny / a failing expectation: passed in the baseline, fails now")
	require.Contains(t, stdout.String(), "REGRESSION")

	// Usage errors.
	require.Equal(t, 2, Execute([]string{"eval", "run", suite, "--fail-on-regression"}))
	require.Equal(t, 1, Execute([]string{"eval", "run", write("bad.yaml", "name: x\ncases:\n  - name: a\n    turns:\n      - usr: hi\n")}))
}
