package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/demo"
)

type cannedOut struct {
	ID       int64  `json:"id"`
	Shortcut string `json:"shortcut"`
	Title    string `json:"title"`
	Language string `json:"language"`
	Body     string `json:"body"`
	Personal bool   `json:"personal"`
}

type cannedEnvelope struct {
	CannedResponse cannedOut `json:"canned_response"`
}

type cannedList struct {
	Items []cannedOut `json:"items"`
}

func shortcuts(l cannedList) []string {
	out := []string{}
	for _, r := range l.Items {
		out = append(out, r.Shortcut+"/"+r.Language)
	}
	return out
}

// Editors keep the shared canned responses, agents their personal ones; agents see and use both;
// nobody else's personal ones show, and roles without a reply box have no business here.
func TestCannedResponsesManagement(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	editor := ta.user("editor@x.test", "editor")
	agent := ta.user("agent@x.test", "agent")
	other := ta.user("other@x.test", "agent")
	evaluator := ta.user("eval@x.test", "evaluator")

	refund := map[string]any{"shortcut": "/refund", "title": "Refund", "language": "en",
		"body": "Hi {{customer.name}}, your refund for {{slots.order_id}} is on its way. — {{agent.name}}"}
	var created cannedEnvelope
	ta.do("POST", "/api/v1/canned-responses", editor, refund, 201, &created)
	require.Equal(t, "refund", created.CannedResponse.Shortcut, "stored without the slash")
	require.False(t, created.CannedResponse.Personal)
	ta.do("POST", "/api/v1/canned-responses", editor, refund, 409, nil)
	refund["language"] = "zh"
	ta.do("POST", "/api/v1/canned-responses", editor, refund, 201, nil) // same shortcut, other language
	ta.do("POST", "/api/v1/canned-responses", editor, map[string]any{"shortcut": "退货", "title": "退货", "language": "zh",
		"body": "{{customer.name}}您好"}, 201, nil)
	ta.do("POST", "/api/v1/canned-responses", editor, map[string]any{"shortcut": "x", "title": "x", "language": "en",
		"body": "{{customer.password}}"}, 400, nil)
	ta.do("POST", "/api/v1/canned-responses", editor, map[string]any{"shortcut": "x", "title": "x", "language": "en"}, 400, nil)
	ta.do("POST", "/api/v1/canned-responses", editor, `{"shortcut": "x"`, 400, nil)

	// Agents may not touch shared ones, but keep their own.
	ta.do("POST", "/api/v1/canned-responses", agent, map[string]any{"shortcut": "mine", "title": "t", "language": "en", "body": "b"}, 403, nil)
	var mine cannedEnvelope
	ta.do("POST", "/api/v1/canned-responses", agent, map[string]any{"shortcut": "refund", "title": "My refund", "language": "en",
		"body": "Refund done!", "personal": true}, 201, &mine)
	require.True(t, mine.CannedResponse.Personal)
	shared := fmt.Sprint("/api/v1/canned-responses/", created.CannedResponse.ID)
	ta.do("PUT", shared, agent, map[string]any{"shortcut": "refund", "title": "t", "language": "en", "body": "hacked"}, 403, nil)
	ta.do("DELETE", shared, agent, nil, 403, nil)

	var l cannedList
	ta.do("GET", "/api/v1/canned-responses", agent, nil, 200, &l)
	require.ElementsMatch(t, []string{"refund/en", "refund/en", "refund/zh", "退货/zh"}, shortcuts(l))
	ta.do("GET", "/api/v1/canned-responses", editor, nil, 200, &l)
	require.ElementsMatch(t, []string{"refund/en", "refund/zh", "退货/zh"}, shortcuts(l), "another agent's personal one stays private")
	ta.do("GET", "/api/v1/canned-responses", other, nil, 200, &l)
	require.Len(t, l.Items, 3)
	personal := fmt.Sprint("/api/v1/canned-responses/", mine.CannedResponse.ID)
	ta.do("GET", personal, other, nil, 404, nil)
	ta.do("PUT", personal, other, map[string]any{"shortcut": "a", "title": "t", "language": "en", "body": "b"}, 404, nil)
	ta.do("DELETE", personal, editor, nil, 404, nil)

	// Filters: shortcut prefix (with or without the slash) or words of the title, and language.
	ta.do("GET", "/api/v1/canned-responses?q=%2F%E9%80%80", agent, nil, 200, &l) // "/退"
	require.Equal(t, []string{"退货/zh"}, shortcuts(l))
	ta.do("GET", "/api/v1/canned-responses?q=REF&language=zh", agent, nil, 200, &l)
	require.Equal(t, []string{"refund/zh"}, shortcuts(l))
	ta.do("GET", "/api/v1/canned-responses?q=%25", agent, nil, 200, &l) // "%" is not a wildcard
	require.Empty(t, l.Items)
	ta.do("GET", "/api/v1/canned-responses?language=fr", agent, nil, 400, nil)

	// Editing and deleting.
	var updated cannedEnvelope
	ta.do("PUT", shared, editor, map[string]any{"shortcut": "refund", "title": "Refund (updated)", "language": "en",
		"body": "Hello {{customer.name}}"}, 200, &updated)
	require.Equal(t, "Refund (updated)", updated.CannedResponse.Title)
	var thanks cannedEnvelope
	ta.do("POST", "/api/v1/canned-responses", agent, map[string]any{"shortcut": "thanks", "title": "t", "language": "en",
		"body": "Thanks!", "personal": true}, 201, &thanks)
	ta.do("PUT", fmt.Sprint("/api/v1/canned-responses/", thanks.CannedResponse.ID), agent, map[string]any{"shortcut": "REFUND",
		"title": "t", "language": "en", "body": "b"}, 409, nil) // shortcuts ignore case
	ta.do("DELETE", personal, agent, nil, 204, nil)
	ta.do("GET", personal, agent, nil, 404, nil)
	ta.do("GET", "/api/v1/canned-responses/abc", agent, nil, 404, nil)

	// Roles and sign-in.
	ta.do("GET", "/api/v1/canned-responses", "", nil, 401, nil)
	ta.do("GET", "/api/v1/canned-responses", evaluator, nil, 403, nil)
	ta.do("POST", "/api/v1/canned-responses", evaluator, map[string]any{"shortcut": "e", "title": "t", "language": "en", "body": "b", "personal": true}, 403, nil)
}

// Rendering fills the customer's name, any slot the bot collected and the agent's name; what is
// unknown stays a visible blank and is listed; values go in literally.
func TestCannedResponseRendering(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	editor := ta.user("editor@x.test", "editor")
	agent := ta.namedUser("lily@x.test", "Lily", "agent")
	var r cannedEnvelope
	ta.do("POST", "/api/v1/canned-responses", editor, map[string]any{"shortcut": "refund", "title": "Refund", "language": "en",
		"body": "Hi {{customer.name}}, return of {{slots.order_id}} noted ({{slots.tracking_no}}). Mail: {{customer.email}} — {{agent.name}}"}, 201, &r)
	render := fmt.Sprint("/api/v1/canned-responses/", r.CannedResponse.ID, "/render")

	// The customer's name looks like markup and like a variable: both come back as typed.
	name := `Ada <b>Lovelace</b> {{agent.email}}`
	conv, tok := ta.newConversation("", "web", map[string]string{"name": name, "language": "en"})
	ta.say(conv, tok, "I want to return order A1234567")
	ta.say(conv, tok, "talk to a human")

	var out struct {
		Text    string   `json:"text"`
		Missing []string `json:"missing"`
	}
	ta.do("POST", render, agent, map[string]string{"conversation_id": conv}, 200, &out)
	require.Equal(t, "Hi "+name+", return of A1234567 noted (____). Mail: ____ — Lily", out.Text)
	require.Equal(t, []string{"slots.tracking_no", "customer.email"}, out.Missing)

	ta.do("POST", render, agent, map[string]string{"conversation_id": "00000000-0000-0000-0000-000000000000"}, 404, nil)
	ta.do("POST", render, agent, map[string]string{}, 400, nil)
	ta.do("POST", render, editor, map[string]string{"conversation_id": conv}, 403, nil)
	ta.do("POST", render, "", map[string]string{"conversation_id": conv}, 401, nil)
	ta.do("POST", "/api/v1/canned-responses/999999/render", agent, map[string]string{"conversation_id": conv}, 404, nil)
}

// Demo mode brings a few shared canned responses in both languages, once.
func TestDemoCannedResponses(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ctx := context.Background()
	require.NoError(t, demo.EnsureCanned(ctx, ta.Canned, ta.Log))
	require.NoError(t, demo.EnsureCanned(ctx, ta.Canned, ta.Log))
	agent := ta.user("agent@x.test", "agent")
	var l cannedList
	ta.do("GET", "/api/v1/canned-responses", agent, nil, 200, &l)
	got := shortcuts(l)
	require.Contains(t, got, "退货/zh")
	require.Contains(t, got, "refund/en")
	require.Len(t, got, len(l.Items))
	seen := map[string]bool{}
	for _, s := range got {
		require.False(t, seen[s], "loaded twice: %s", s)
		seen[s] = true
	}
}
