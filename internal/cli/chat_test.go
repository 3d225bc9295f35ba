package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/internal/demo"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// run executes baton with args against the test database, feeding stdin.
func run(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	root.SetArgs(append(args, "--database-url", dbtest.URL(t)))
	root.SetIn(strings.NewReader(stdin))
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestChatDebugShowsIntentConfidenceAndSlots(t *testing.T) {
	dbtest.New(t)
	out, err := run(t, "我的快递到哪了\nA1234567\n转人工\n/quit\n", "chat", "--debug")
	require.NoError(t, err, out)
	require.Contains(t, out, `Bot "demo-shop" v1`, "with no definition stored, chat loads the demo")
	require.Contains(t, out, "intent=track_order")
	require.Contains(t, out, "asking=order_id")
	require.Contains(t, out, "slots{order_id=A1234567}")
	require.Contains(t, out, "运单号", "the demo order service answered")
	require.Contains(t, out, "handoff=human_request")
	require.Contains(t, out, "(handed off: human_request")
}

// A terminal chat says which database it writes to, tracks orders with a stored definition too
// (no --demo: the definition baton serve stored), and keeps its handoffs out of the live queue
// unless --queue.
func TestChatSaysItsDatabaseAndKeepsOutOfTheQueue(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	out, err := run(t, "/quit\n", "chat", "--demo")
	require.NoError(t, err, out)

	out, err = run(t, "我的快递到哪了\nA1234567\n转人工\n/quit\n", "chat")
	require.NoError(t, err, out)
	require.Regexp(t, `(?m)^Database: \S+:\d+/\S+ \(DATABASE_URL\)$`, out)
	require.NotContains(t, out, "password")
	require.Contains(t, out, "运单号", "the order was tracked without --demo")
	require.Contains(t, out, "not queued")
	var queued int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs`).Scan(&queued))
	require.Zero(t, queued, "nothing reached the live queue")

	out, err = run(t, "转人工\n/quit\n", "chat", "--queue")
	require.NoError(t, err, out)
	require.Contains(t, out, "waits in the queue")
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM handoffs WHERE status = 'queued'`).Scan(&queued))
	require.Equal(t, 1, queued)
}

func TestIntentLoad(t *testing.T) {
	dbtest.New(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "bot.yaml")
	require.NoError(t, os.WriteFile(good, demo.BotDefinition(), 0o600))
	out, err := run(t, "", "intent", "load", good)
	require.NoError(t, err, out)
	require.Contains(t, out, "saved as version 1")
	require.Contains(t, out, "track_order")
	out, err = run(t, "", "intent", "load", good)
	require.NoError(t, err, out)
	require.Contains(t, out, "unchanged: version 1")

	bad := filepath.Join(dir, "bad.yaml")
	src := strings.Replace(string(demo.BotDefinition()), "    label: {zh: 查询订单物流", "    lable: x\n    label: {zh: 查询订单物流", 1)
	require.NoError(t, os.WriteFile(bad, []byte(src), 0o600))
	_, err = run(t, "", "intent", "load", bad)
	require.Error(t, err)
	line := strings.Count(src[:strings.Index(src, "lable")], "\n") + 1
	require.Contains(t, err.Error(), "line "+itoa(line)+`: unknown key "lable"`)

	out, err = run(t, "", "intent", "load", "--dry-run", good)
	require.NoError(t, err, out)
	require.NotContains(t, out, "saved as version")
}

func itoa(n int) string { return strconv.Itoa(n) }
