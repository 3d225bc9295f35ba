package channel

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/live"
)

// Live serves the conversation WebSocket.
type Live struct {
	Convs *conversation.Store
	Bus   *events.Bus
	Log   *slog.Logger
	// Done is closed at shutdown; open sockets then get a going-away close frame.
	Done <-chan struct{}
}

// authWait is how long a customer has to send its auth frame.
const authWait = 10 * time.Second

// ConversationWS streams a conversation's messages (everything after ?after=SEQ first, then live
// ones) and its status changes. Staff authenticate with their session; a customer sends
// {"type":"auth","token":"…"} as its first frame (or an Authorization header).
func (l *Live) ConversationWS(c *gin.Context) {
	ctx := c.Request.Context()
	after := int64(0)
	if s := c.Query("after"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			httpx.Error(c, http.StatusBadRequest, "after must be a non-negative integer")
			return
		}
		after = v
	}
	convID := c.Param("id")
	u, staff := auth.CurrentUser(c)
	if staff && !u.Can(auth.RoleAgent) {
		httpx.Errorf(c, http.StatusForbidden, "your role (%s) may not read conversations", u.Role)
		return
	}
	if staff && !auth.SameOrigin(c.Request) {
		httpx.Error(c, http.StatusForbidden, "cross-origin staff WebSocket refused")
		return
	}
	header := auth.BearerToken(c)
	conn, err := live.Upgrade(c.Writer, c.Request, !staff)
	if err != nil {
		return // the upgrader has answered
	}
	conv, ok := l.authorize(ctx, conn, convID, staff, header)
	if !ok {
		return
	}
	// Subscribe before reading the backlog, so nothing falls between the two.
	evs, unsubscribe := l.Bus.Subscribe(events.ConversationTopic(conv.ID))
	defer unsubscribe()
	if err := conn.Send(gin.H{"type": "ready", "conversation": conv}); err != nil {
		return
	}
	last, err := l.sendAfter(ctx, conn, conv.ID, after)
	if err != nil {
		conn.Close(live.CloseServerError, "internal error")
		return
	}
	ping := live.Ticker()
	defer ping.Stop()
	for {
		select {
		case ev := <-evs:
			if f, ok := liveFrame(ev, staff); ok && conn.Send(f) != nil {
				return
			}
			if ev.Kind == "status" || ev.Kind == "resync" {
				cv, err := l.Convs.Get(ctx, conv.ID)
				if err != nil || conn.Send(gin.H{"type": "conversation", "conversation": cv}) != nil {
					return
				}
			}
			if ev.Kind == "message" || ev.Kind == "resync" {
				if last, err = l.sendAfter(ctx, conn, conv.ID, last); err != nil {
					return
				}
			}
		case raw, ok := <-conn.Incoming:
			if !ok {
				return
			}
			if string(raw) != "" && frameType(raw) == "ping" {
				if conn.Send(gin.H{"type": "pong"}) != nil {
					return
				}
			}
		case <-ping.C:
			if conn.Ping() != nil {
				return
			}
		case <-l.Done:
			conn.Close(live.CloseGoingAway, "server shutting down")
			return
		case <-conn.Closed():
			return
		}
	}
}

func (l *Live) authorize(ctx context.Context, conn *live.Conn, convID string, staff bool, token string) (conversation.Conversation, bool) {
	conv, err := l.Convs.Get(ctx, convID)
	if errors.Is(err, conversation.ErrNotFound) {
		conn.Close(live.ClosePolicy, "conversation not found")
		return conv, false
	}
	if err != nil {
		conn.Close(live.CloseServerError, "internal error")
		return conv, false
	}
	if staff {
		return conv, true
	}
	if token == "" {
		f, _, ok := conn.WaitFrame(ctx, authWait)
		if !ok || f.Type != "auth" || f.Token == "" {
			conn.Close(live.ClosePolicy, "send {\"type\":\"auth\",\"token\":\"<customer_token>\"} first")
			return conv, false
		}
		token = f.Token
	}
	cust, err := l.Convs.CustomerByToken(ctx, token)
	if err != nil || cust.ID != conv.CustomerID {
		conn.Close(live.ClosePolicy, "this token does not give access to that conversation")
		return conv, false
	}
	return conv, true
}

// sendAfter sends every message after seq and returns the last seq sent.
func (l *Live) sendAfter(ctx context.Context, conn *live.Conn, convID string, after int64) (int64, error) {
	for {
		msgs, err := l.Convs.MessagesAfter(ctx, convID, after, 200)
		if err != nil {
			return after, err
		}
		for _, m := range msgs {
			if err := conn.Send(gin.H{"type": "message", "message": m}); err != nil {
				return after, err
			}
			after = m.Seq
		}
		if len(msgs) < 200 {
			return after, nil
		}
	}
}
