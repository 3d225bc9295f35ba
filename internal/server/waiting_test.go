package server

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

type queueOut struct {
	Position             int        `json:"position"`
	EstimatedWaitSeconds *int       `json:"estimated_wait_seconds"`
	AgentsOnline         int        `json:"agents_online"`
	Open                 bool       `json:"open"`
	OpensAt              *time.Time `json:"opens_at"`
	LeftMessage          bool       `json:"left_message"`
	Offered              bool       `json:"offered"`
}

type waitFrame struct {
	Type         string `json:"type"`
	Conversation struct {
		Status string `json:"status"`
	} `json:"conversation"`
	Queue   *queueOut `json:"queue"`
	Message msgOut    `json:"message"`
}

func readWaitFrame(t *testing.T, ws *websocket.Conn) waitFrame {
	t.Helper()
	require.NoError(t, ws.SetReadDeadline(time.Now().Add(10*time.Second)))
	var f waitFrame
	_, b, err := ws.ReadMessage()
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &f), string(b))
	return f
}

// waitQueue reads frames until one says where the customer stands (a queue frame, or a
// conversation frame, which carries it) and pred holds for it. A frame may also repeat what the
// socket already said: events only say "look again".
func waitQueue(t *testing.T, ws *websocket.Conn, pred func(f waitFrame) bool) waitFrame {
	t.Helper()
	for {
		if f := readWaitFrame(t, ws); (f.Type == "queue" || f.Type == "conversation") && pred(f) {
			return f
		}
	}
}

// A waiting customer sees their place in the queue over the API and live on the WebSocket: it
// moves up when the one ahead is taken, shows the offer when an agent gets it, and disappears
// once the agent accepts (by opening the conversation), when the customer hears who joined.
func TestWaitingCustomerSeesTheirPlaceLive(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("wait-agent@example.com", "agent")

	first, firstTok := ta.customer("en")
	ta.say(first, firstTok, "I want to talk to a human")
	second, secondTok := ta.customer("en")
	ta.say(second, secondTok, "I want to talk to a human")

	var got struct {
		Conversation struct {
			Status string `json:"status"`
		} `json:"conversation"`
		Queue *queueOut `json:"queue"`
	}
	ta.do("GET", "/api/v1/conversations/"+second, secondTok, nil, 200, &got)
	require.Equal(t, "queued", got.Conversation.Status)
	require.NotNil(t, got.Queue)
	require.Equal(t, 2, got.Queue.Position)
	require.Zero(t, got.Queue.AgentsOnline)
	require.Nil(t, got.Queue.EstimatedWaitSeconds, "nobody is online")
	require.True(t, got.Queue.Open)

	ws := ta.dialQueue(second, secondTok)
	defer ws.Close()

	// The agent takes the first customer: the second moves up, live.
	ta.do("POST", "/api/v1/conversations/"+first+"/claim", agent, nil, 200, nil)
	waitQueue(t, ws, func(f waitFrame) bool { return f.Queue != nil && f.Queue.Position == 1 })

	// The agent comes online with room for more: the second is offered to them at once.
	ta.do("POST", "/api/v1/agent/presence", agent, map[string]string{"presence": "online"}, 200, nil)
	f := waitQueue(t, ws, func(f waitFrame) bool { return f.Type == "conversation" && f.Conversation.Status == "assigned" })
	require.NotNil(t, f.Queue, "the status comes with where the customer stands")
	require.True(t, f.Queue.Offered)

	// Opening it in the workbench accepts it: no more queue, and the customer hears who joined.
	ta.do("GET", "/api/v1/conversations/"+second+"/context", agent, nil, 200, nil)
	sawNull, sawJoined := false, false
	for !sawNull || !sawJoined {
		f = readWaitFrame(t, ws)
		switch f.Type {
		case "queue":
			sawNull = f.Queue == nil
		case "message":
			require.Equal(t, "system", f.Message.Sender)
			require.Contains(t, f.Message.Text, "joined the conversation")
			sawJoined = true
		}
	}
	ta.do("GET", "/api/v1/conversations/"+second, secondTok, nil, 200, &got)
	require.Equal(t, "assigned", got.Conversation.Status)
	require.Nil(t, got.Queue)

	// Accepting belongs to the agent it was offered to.
	other := ta.user("wait-other@example.com", "agent")
	ta.do("POST", "/api/v1/conversations/"+second+"/accept", other, nil, 409, nil)
	ta.do("POST", "/api/v1/conversations/"+second+"/accept", agent, nil, 200, nil)
}

func (ta *testApp) dialQueue(conv, token string) *websocket.Conn {
	ta.t.Helper()
	u := "ws" + ta.URL[len("http"):] + "/api/v1/conversations/" + conv + "/ws?after=0"
	ws, resp, err := websocket.DefaultDialer.Dial(u, nil)
	require.NoError(ta.t, err)
	resp.Body.Close()
	require.NoError(ta.t, ws.WriteJSON(map[string]string{"type": "auth", "token": token}))
	f := readWaitFrame(ta.t, ws)
	require.Equal(ta.t, "ready", f.Type)
	require.NotNil(ta.t, f.Queue, "the ready frame says where the customer stands")
	require.Equal(ta.t, 2, f.Queue.Position)
	return ws
}

// Admins set a team's business hours; outside them, with nobody online, the bot tells the
// customer when the team is back and the conversation waits as a left message, which the agent
// answers when back; the customer finds the answer in the conversation.
func TestBusinessHoursOverHTTP(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	admin := ta.user("hours-admin@example.com", "admin")
	agent := ta.user("hours-agent@example.com", "agent")

	ta.do("PUT", "/api/v1/teams/general", agent, map[string]any{"mode": "pull"}, 403, nil)
	ta.do("PUT", "/api/v1/teams/general", admin, map[string]any{"time_zone": "Mars/Base"}, 400, nil)
	ta.do("PUT", "/api/v1/teams/general", admin, map[string]any{"hours": map[string]any{"mon": []string{"18:00-09:00"}}}, 400, nil)
	ta.do("PUT", "/api/v1/teams/general", admin, map[string]any{"mode": "sometimes"}, 400, nil)
	ta.do("PUT", "/api/v1/teams/general", admin, `{"hours": 5}`, 400, nil)

	// Open only on a day three days from now: closed now in every time zone.
	days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	far := days[(int(time.Now().UTC().Weekday())+3)%7]
	var put struct {
		Team struct {
			Mode     string              `json:"mode"`
			TimeZone string              `json:"time_zone"`
			Hours    map[string][]string `json:"hours"`
			OpenNow  bool                `json:"open_now"`
			OpensAt  *time.Time          `json:"opens_at"`
		} `json:"team"`
	}
	ta.do("PUT", "/api/v1/teams/general", admin, map[string]any{"time_zone": "Asia/Shanghai",
		"hours": map[string][]string{far: {"09:00-18:00"}}}, 200, &put)
	require.Equal(t, "auto", put.Team.Mode, "fields left out stay as they are")
	require.Equal(t, "Asia/Shanghai", put.Team.TimeZone)
	require.False(t, put.Team.OpenNow)
	require.NotNil(t, put.Team.OpensAt)
	var list struct {
		Teams []struct {
			Skill    string `json:"skill"`
			TimeZone string `json:"time_zone"`
		} `json:"teams"`
	}
	ta.do("GET", "/api/v1/teams", agent, nil, 200, &list)
	require.Contains(t, list.Teams, struct {
		Skill    string `json:"skill"`
		TimeZone string `json:"time_zone"`
	}{"general", "Asia/Shanghai"})

	conv, tok := ta.customer("zh")
	out := ta.say(conv, tok, "我要转人工")
	last := out.Replies[len(out.Replies)-1]
	require.Equal(t, "bot", last.Sender)
	require.Contains(t, last.Text, "客服团队现在不在线，将于")
	require.Contains(t, last.Text, "Asia/Shanghai, UTC+8 时间")
	require.Contains(t, last.Text, "请在这里留言")
	var got struct {
		Queue *queueOut `json:"queue"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &got)
	require.NotNil(t, got.Queue)
	require.False(t, got.Queue.Open)
	require.True(t, got.Queue.LeftMessage)
	require.True(t, put.Team.OpensAt.Equal(*got.Queue.OpensAt))
	ta.say(conv, tok, "我的订单 1234 一直没有发货，请回复我")

	var queue struct {
		Items []struct {
			ConversationID string `json:"conversation_id"`
			LeftMessage    bool   `json:"left_message"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/queue", agent, nil, 200, &queue)
	require.Len(t, queue.Items, 1)
	require.True(t, queue.Items[0].LeftMessage)

	// The agent comes back, gets the left message, answers and resolves it.
	ta.do("POST", "/api/v1/agent/presence", agent, map[string]string{"presence": "online"}, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "您的订单已于今天发出。"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)

	// The customer comes back with their token: the reply is there.
	var msgs struct {
		Messages []msgOut `json:"messages"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, &msgs)
	var texts []string
	for _, m := range msgs.Messages {
		texts = append(texts, m.Sender+": "+m.Text)
	}
	require.Contains(t, texts, "customer: 我的订单 1234 一直没有发货，请回复我")
	require.Contains(t, texts, "agent: 您的订单已于今天发出。")
}
