package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// BATON_CHANNEL_PRIORITY puts one channel's customers ahead in the queue: the same request for a
// person from the API channel outranks the web chat's, though it came later.
func TestChannelPriority(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true, channelPriority: map[string]int{"api": 15}})
	agent := ta.user("agent@x.test", "agent")

	web, webTok := ta.customer("en")
	ta.say(web, webTok, "I want to talk to a human")
	var out convOut
	ta.do("POST", "/api/v1/conversations", "", map[string]any{"channel": "api", "customer": map[string]string{"name": "App user", "language": "en"}}, 201, &out)
	ta.say(out.Conversation.ID, out.CustomerToken, "I want to talk to a human")

	var q struct {
		Items []struct {
			ConversationID string `json:"conversation_id"`
			Priority       int    `json:"priority"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/queue", agent, nil, 200, &q)
	require.Len(t, q.Items, 2)
	require.Equal(t, out.Conversation.ID, q.Items[0].ConversationID, "the API customer first")
	require.Equal(t, 25, q.Items[0].Priority, "a request for a person (10) plus the channel's 15")
	require.Equal(t, web, q.Items[1].ConversationID)
	require.Equal(t, 10, q.Items[1].Priority)
}
