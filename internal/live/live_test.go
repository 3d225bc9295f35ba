package live

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// serve runs handler on an upgraded socket and returns the server's URL (ws://) and the
// connections it made.
func serve(t *testing.T, handler func(*Conn)) (string, <-chan *Conn) {
	t.Helper()
	conns := make(chan *Conn, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Upgrade(w, r, true)
		if err != nil {
			return
		}
		defer c.Close(CloseNormal, "")
		conns <- c
		handler(c)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), conns
}

// Every socket answers the client's {"type":"ping"} with {"type":"pong"}, whatever its handler
// does, and does not pass the ping on.
func TestClientPingIsAnswered(t *testing.T) {
	seen := make(chan string, 4)
	url, _ := serve(t, func(c *Conn) {
		for raw := range c.Incoming {
			seen <- string(raw)
		}
	})
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	defer ws.Close()
	require.NoError(t, ws.WriteJSON(map[string]string{"type": "ping"}))
	var f map[string]string
	require.NoError(t, ws.SetReadDeadline(time.Now().Add(5*time.Second)))
	require.NoError(t, ws.ReadJSON(&f))
	require.Equal(t, "pong", f["type"])
	require.NoError(t, ws.WriteJSON(map[string]string{"type": "hello"}))
	require.Equal(t, `{"type":"hello"}`, strings.TrimSpace(<-seen))
}

// A client that stops reading (a frozen tab, a dead network path) makes a write time out; the
// server then closes the socket instead of keeping it half-open while the client's pings keep
// its read side alive.
func TestFailedWriteClosesTheSocket(t *testing.T) {
	old := writeWait
	writeWait = 200 * time.Millisecond
	defer func() { writeWait = old }()
	sendErr := make(chan error, 1)
	url, conns := serve(t, func(c *Conn) {
		big := strings.Repeat("x", 64<<10)
		for {
			if err := c.Send(map[string]string{"type": "message", "text": big}); err != nil {
				sendErr <- err
				<-c.Closed() // the handler would return here; Closed must fire by itself
				return
			}
		}
	})
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	defer ws.Close()
	c := <-conns
	// The client never reads, but keeps sending frames (a browser cannot send control pings).
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				_ = ws.SetWriteDeadline(time.Now().Add(time.Second))
				_ = ws.WriteJSON(map[string]string{"type": "typing"})
			}
		}
	}()
	select {
	case err := <-sendErr:
		require.Error(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("the write never timed out")
	}
	select {
	case <-c.Closed():
	case <-time.After(5 * time.Second):
		t.Fatal("the socket stayed open after a failed write")
	}
}
