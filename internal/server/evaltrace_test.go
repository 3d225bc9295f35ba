package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// An evaluator reads the trace of the conversations they made, never a real customer's: its slot
// values (order numbers, addresses) are not theirs to see.
func TestEvalTraceOnlyForEvalConversations(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	ev := ta.user("eval@x.test", "evaluator")
	agent := ta.user("agent@x.test", "agent")

	var made struct {
		Conversation struct {
			ID string `json:"id"`
		} `json:"conversation"`
		CustomerToken string `json:"customer_token"`
	}
	ta.do("POST", "/api/v1/eval/conversations", ev, map[string]any{"language": "en"}, 201, &made)
	ta.say(made.Conversation.ID, made.CustomerToken, "I want to return order A1234567")
	var tr struct {
		Status string `json:"status"`
		Task   *struct {
			Intent string            `json:"intent"`
			Slots  map[string]string `json:"slots"`
		} `json:"task"`
	}
	ta.do("GET", "/api/v1/eval/conversations/"+made.Conversation.ID+"/trace", ev, nil, 200, &tr)
	require.NotNil(t, tr.Task, "the evaluation conversation's task")
	require.Equal(t, "A1234567", tr.Task.Slots["order_id"])
	ta.do("GET", "/api/v1/eval/conversations/"+made.Conversation.ID+"/trace", agent, nil, 403, nil)

	// A real customer in the middle of the same task: the evaluator gets 404, and no slot value.
	conv, tok := ta.customer("en")
	ta.say(conv, tok, "I want to return order A7654321")
	body := ta.do("GET", "/api/v1/eval/conversations/"+conv+"/trace", ev, nil, 404, nil)
	require.NotContains(t, string(body), "A7654321")
}
