package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

type frame struct {
	Type         string          `json:"type"`
	Message      msgOut          `json:"message"`
	Conversation json.RawMessage `json:"conversation"`
}

func (ta *testApp) dialConv(conv, token string, after int64) *websocket.Conn {
	ta.t.Helper()
	u := "ws" + strings.TrimPrefix(ta.URL, "http") + "/api/v1/conversations/" + conv + "/ws?after=" + itoa(after)
	ws, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Origin": {"https://customer-site.example"}})
	require.NoError(ta.t, err)
	resp.Body.Close()
	require.NoError(ta.t, ws.WriteJSON(map[string]string{"type": "auth", "token": token}))
	f := readFrame(ta.t, ws)
	require.Equal(ta.t, "ready", f.Type)
	return ws
}

func readFrame(t *testing.T, ws *websocket.Conn) frame {
	t.Helper()
	require.NoError(t, ws.SetReadDeadline(time.Now().Add(10*time.Second)))
	var f frame
	require.NoError(t, ws.ReadJSON(&f))
	return f
}

// nextMessage reads frames until a message frame arrives.
func nextMessage(t *testing.T, ws *websocket.Conn) msgOut {
	t.Helper()
	for {
		if f := readFrame(t, ws); f.Type == "message" {
			return f.Message
		}
	}
}

// A customer's socket gets the agent's messages live, and reconnecting with the last seen seq
// delivers exactly what was missed.
func TestWebSocketLiveAndResume(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("agent@x.test", "agent")
	conv, tok := ta.customer("en")
	ta.say(conv, tok, "talk to a human") // seq 1 customer, seq 2 bot

	ws := ta.dialConv(conv, tok, 0)
	require.Equal(t, int64(1), nextMessage(t, ws).Seq)
	require.Equal(t, int64(2), nextMessage(t, ws).Seq)

	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil) // seq 3 system "joined"
	m := nextMessage(t, ws)
	require.Equal(t, "system", m.Sender)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Hi, I'm here."}, 201, nil)
	m = nextMessage(t, ws)
	require.Equal(t, "agent", m.Sender)
	require.Equal(t, "Hi, I'm here.", m.Text)
	lastSeen := m.Seq
	ws.Close()

	// While the customer is away the agent writes twice.
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "one"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "two"}, 201, nil)
	ws = ta.dialConv(conv, tok, lastSeen)
	defer ws.Close()
	require.Equal(t, "one", nextMessage(t, ws).Text)
	require.Equal(t, "two", nextMessage(t, ws).Text)
}

// A socket without the right customer token is closed with a reason.
func TestWebSocketRefusesOtherCustomer(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	conv, _ := ta.customer("en")
	_, other := ta.customer("en")
	u := "ws" + strings.TrimPrefix(ta.URL, "http") + "/api/v1/conversations/" + conv + "/ws"
	ws, resp, err := websocket.DefaultDialer.Dial(u, nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer ws.Close()
	require.NoError(t, ws.WriteJSON(map[string]string{"type": "auth", "token": other}))
	require.NoError(t, ws.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, websocket.ClosePolicyViolation, ce.Code)
}
