// Package live runs Baton's WebSockets: it upgrades the request, keeps the connection alive with
// pings, reads client frames, and serialises all writes through one goroutine.
package live

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = 25 * time.Second
	maxFrame   = 8 << 10
)

// Conn is an upgraded WebSocket with a read loop feeding Incoming.
type Conn struct {
	ws       *websocket.Conn
	Incoming <-chan json.RawMessage
	closed   chan struct{}
}

// Upgrade turns the request into a WebSocket. checkOrigin decides cross-origin access: cookie
// sessions must be same-origin; token-authenticated customers may come from any page.
func Upgrade(w http.ResponseWriter, r *http.Request, anyOrigin bool) (*Conn, error) {
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
	if anyOrigin {
		up.CheckOrigin = func(*http.Request) bool { return true }
	}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(maxFrame)
	_ = ws.SetReadDeadline(time.Now().Add(pongWait))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(pongWait)) })
	in := make(chan json.RawMessage, 8)
	c := &Conn{ws: ws, Incoming: in, closed: make(chan struct{})}
	go func() {
		defer close(c.closed)
		defer close(in)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			_ = ws.SetReadDeadline(time.Now().Add(pongWait))
			select {
			case in <- data:
			default: // a client flooding frames loses them
			}
		}
	}()
	return c, nil
}

// Closed is closed when the client goes away.
func (c *Conn) Closed() <-chan struct{} { return c.closed }

// Send writes one JSON frame. Only the goroutine that owns the connection may call it.
func (c *Conn) Send(v any) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return c.ws.WriteJSON(v)
}

// Ping keeps intermediaries from dropping an idle connection.
func (c *Conn) Ping() error {
	return c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
}

// Close sends a close frame with a reason and closes the connection.
func (c *Conn) Close(code int, reason string) {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

// Close codes used by Baton.
const (
	CloseNormal      = websocket.CloseNormalClosure
	CloseGoingAway   = websocket.CloseGoingAway
	ClosePolicy      = websocket.ClosePolicyViolation
	CloseServerError = websocket.CloseInternalServerErr
)

// Ticker returns the ping ticker a handler's loop should select on.
func Ticker() *time.Ticker { return time.NewTicker(pingPeriod) }

// Frame is the envelope of client frames.
type Frame struct {
	Type  string `json:"type"`
	Token string `json:"token,omitempty"`
}

// WaitFrame reads the next client frame or gives up after d or when ctx ends.
func (c *Conn) WaitFrame(ctx context.Context, d time.Duration) (Frame, json.RawMessage, bool) {
	select {
	case raw, ok := <-c.Incoming:
		if !ok {
			return Frame{}, nil, false
		}
		var f Frame
		if json.Unmarshal(raw, &f) != nil {
			return Frame{}, raw, true
		}
		return f, raw, true
	case <-time.After(d):
	case <-ctx.Done():
	}
	return Frame{}, nil, false
}
