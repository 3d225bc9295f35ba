package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// An agent who goes online gets a waiting customer at once, and the next handoff too; an admin
// lowering their capacity stops further assignments, which then wait.
func TestOnlineAgentIsAssignedHandoffsAtOnce(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("router-agent@example.com", "agent")
	admin := ta.user("router-admin@example.com", "admin")

	first, firstTok := ta.customer("en")
	ta.say(first, firstTok, "I want to talk to a human")
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+first, firstTok, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status, "nobody is online yet")

	var prof struct {
		Profile struct {
			AgentID  int64  `json:"agent_id"`
			Presence string `json:"presence"`
			Load     int    `json:"load"`
		} `json:"profile"`
	}
	ta.do("POST", "/api/v1/agent/presence", agent, map[string]string{"presence": "online"}, 200, &prof)
	require.Equal(t, "online", prof.Profile.Presence)
	require.Equal(t, 1, prof.Profile.Load, "the waiting customer drained to the agent")
	ta.do("GET", "/api/v1/conversations/"+first, firstTok, nil, 200, &c)
	require.Equal(t, "assigned", c.Conversation.Status)

	ta.do("PUT", "/api/v1/agents/"+itoa(prof.Profile.AgentID)+"/profile", admin, map[string]any{"capacity": 1}, 200, nil)
	ta.do("PUT", "/api/v1/agents/"+itoa(prof.Profile.AgentID)+"/profile", agent, map[string]any{"capacity": 9}, 403, nil)
	second, secondTok := ta.customer("en")
	ta.say(second, secondTok, "I want to talk to a human")
	ta.do("GET", "/api/v1/conversations/"+second, secondTok, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status, "the agent is at capacity")
	ta.do("POST", "/api/v1/conversations/"+second+"/claim", agent, nil, 409, nil)
	ta.do("POST", "/api/v1/agent/presence", agent, map[string]string{"presence": "busy"}, 400, nil)

	ta.do("POST", "/api/v1/conversations/"+first+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)
	ta.do("GET", "/api/v1/conversations/"+second, secondTok, nil, 200, &c)
	require.Equal(t, "assigned", c.Conversation.Status, "resolving frees room that the queue fills at once")
}
