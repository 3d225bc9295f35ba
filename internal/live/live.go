// Package live runs Baton's WebSockets: it upgrades the request, keeps the connection alive with
// pings, reads client frames, and serialises all writes through one goroutine.
package live

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

var (
	writeWait  = 10 * time.Second // a variable for tests
	pongWait   = 60 * time.Second
	pingPeriod = 25 * time.Second
)

const maxFrame = 8 << 10

// Conn is an upgraded WebSocket with a read loop feeding Incoming. Writes may come from any
// goroutine. A write that fails (the client stopped reading: the write deadline passed) closes
// the connection at once, so nothing lingers half-open; the handler that upgraded it must still
// defer Close, which is safe to call more than once.
type Conn struct {
	ws        *websocket.Conn
	Incoming  <-chan json.RawMessage
	closed    chan struct{}
	wmu       sync.Mutex
	closeOnce sync.Once
}

// Upgrade turns the request into a WebSocket. checkOrigin decides cross-origin access: cookie
// sessions must be same-origin; token-authenticated customers may come from any page. A client
// frame {"type":"ping"} is answered {"type":"pong"} here and not passed on, so every socket lets
// its client tell a live connection from a dead one.
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
		defer c.abort() // the client is gone, or sent garbage: release the socket now
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			_ = ws.SetReadDeadline(time.Now().Add(pongWait))
			if FrameType(data) == "ping" {
				if c.Send(pong) != nil {
					return
				}
				continue
			}
			select {
			case in <- data:
			default: // a client flooding frames loses them
			}
		}
	}()
	return c, nil
}

var pong = map[string]string{"type": "pong"}

// FrameType is the "type" of a JSON frame ("" when it has none).
func FrameType(raw []byte) string {
	var f struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &f)
	return f.Type
}

// Closed is closed when the client goes away (or the connection was closed).
func (c *Conn) Closed() <-chan struct{} { return c.closed }

// write runs one write under the write lock; a failure closes the connection.
func (c *Conn) write(f func() error) error {
	c.wmu.Lock()
	err := f()
	c.wmu.Unlock()
	if err != nil {
		c.abort()
	}
	return err
}

// abort closes the connection without a close frame.
func (c *Conn) abort() {
	c.closeOnce.Do(func() { _ = c.ws.Close() })
}

// Send writes one JSON frame.
func (c *Conn) Send(v any) error {
	return c.write(func() error {
		_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		return c.ws.WriteJSON(v)
	})
}

// Ping keeps intermediaries from dropping an idle connection.
func (c *Conn) Ping() error {
	return c.write(func() error {
		return c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
	})
}

// Close sends a close frame with a reason (waiting at most a second) and closes the connection.
// Only the first call (or failed write) closes; later calls do nothing.
func (c *Conn) Close(code int, reason string) {
	c.closeOnce.Do(func() {
		c.wmu.Lock()
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		c.wmu.Unlock()
		_ = c.ws.Close()
	})
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
