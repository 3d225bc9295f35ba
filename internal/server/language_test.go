package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A customer who started in Chinese and chose English hears who joined, and the closing line, in
// English; a language Baton does not speak is refused; only the customer may set it.
func TestSystemMessagesFollowTheChosenLanguage(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("zh")
	ta.say(conv, tok, "转人工")

	var out convOut
	ta.do("PUT", "/api/v1/conversations/"+conv+"/language", tok, map[string]string{"language": "en"}, 200, &out)
	require.Equal(t, "en", out.Conversation.Language)
	ta.do("PUT", "/api/v1/conversations/"+conv+"/language", tok, map[string]string{"language": "fr"}, 400, nil)
	ta.do("PUT", "/api/v1/conversations/"+conv+"/language", "", map[string]string{"language": "zh"}, 401, nil)

	agent := ta.user("agent@x.test", "admin")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Hi"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)

	var msgs struct {
		Messages []msgOut `json:"messages"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages?after=0", tok, nil, 200, &msgs)
	var system []string
	for _, m := range msgs.Messages {
		if m.Sender == "system" {
			system = append(system, m.Text)
		}
	}
	require.Len(t, system, 2, "joined and resolved: %v", system)
	require.Contains(t, system[0], "joined the conversation")
	require.Contains(t, system[1], "marked as resolved")
}
