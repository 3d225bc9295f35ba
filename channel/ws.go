package channel

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

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
	// Queue tells a waiting customer where they stand; nil sends no queue frames.
	Queue Waiting
	// MaxPerConversation and MaxPerIP cap the open conversation sockets (0: the defaults);
	// one more is refused with 429.
	MaxPerConversation, MaxPerIP int

	mu      sync.Mutex
	perConv map[string]int
	perIP   map[string]int
	// fetches shares one database read among the sockets of a conversation woken by the same
	// message event: they all ask for the same messages (see messagesAfter).
	fetches singleflight.Group
}

// Default caps on open conversation sockets: a customer's few tabs and the staff watching it fit
// easily; thousands opened on one conversation, or from one address, do not.
const (
	DefaultMaxPerConversation = 20
	DefaultMaxPerIP           = 100
)

// admit counts a socket on conv from ip, or says why it is refused; release uncounts it. ip ""
// is not counted (staff: a whole office may share one address).
func (l *Live) admit(conv, ip string) (release func(), refused string) {
	maxConv, maxIP := l.MaxPerConversation, l.MaxPerIP
	if maxConv <= 0 {
		maxConv = DefaultMaxPerConversation
	}
	if maxIP <= 0 {
		maxIP = DefaultMaxPerIP
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.perConv == nil {
		l.perConv, l.perIP = map[string]int{}, map[string]int{}
	}
	if l.perConv[conv] >= maxConv {
		return nil, "too many open connections to this conversation; close another tab first"
	}
	if ip != "" && l.perIP[ip] >= maxIP {
		return nil, "too many open connections from your address"
	}
	l.perConv[conv]++
	if ip != "" {
		l.perIP[ip]++
	}
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.perConv[conv]--; l.perConv[conv] <= 0 {
			delete(l.perConv, conv)
		}
		if ip == "" {
			return
		}
		if l.perIP[ip]--; l.perIP[ip] <= 0 {
			delete(l.perIP, ip)
		}
	}, ""
}

// sharedRead runs read once for every caller asking for key at the same time. It does not end
// with any one caller's request.
func (l *Live) sharedRead(key string, read func(ctx context.Context) (any, error)) (any, error) {
	v, err, _ := l.fetches.Do(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return read(ctx)
	})
	return v, err
}

// messagesAfter reads up to 200 messages after seq after. With atLeast > 0 (the seq of the message
// event being handled) the read is shared among the conversation's sockets, and a shared result
// that started before that message was stored (it ends below atLeast) is read again alone, so no
// socket misses what it was woken for. atLeast 0 reads alone.
func (l *Live) messagesAfter(ctx context.Context, convID string, after, atLeast int64) ([]conversation.Message, error) {
	if atLeast > 0 {
		v, err := l.sharedRead("m/"+convID+"/"+strconv.FormatInt(after, 10), func(ctx context.Context) (any, error) {
			return l.Convs.MessagesAfter(ctx, convID, after, 200)
		})
		if err != nil {
			return nil, err
		}
		msgs := v.([]conversation.Message)
		if len(msgs) == 200 || (len(msgs) > 0 && msgs[len(msgs)-1].Seq >= atLeast) {
			return msgs, nil
		}
	}
	return l.Convs.MessagesAfter(ctx, convID, after, 200)
}

// queueCoalesce gathers a burst of queue changes into one recomputation of a customer's place;
// queueRefresh recomputes it now and then anyway (business hours start, agents come and go).
const (
	queueCoalesce = 500 * time.Millisecond
	queueRefresh  = 30 * time.Second
)

// authWait is how long a customer has to send its auth frame.
const authWait = 10 * time.Second

// ConversationWS streams a conversation's messages (everything after ?after=SEQ first, then live
// ones) and its status changes. For a customer, the ready and conversation frames also carry
// "queue" (their place and estimated wait while they wait for a person, else null), and
// {"type":"queue"} frames follow whenever that changes. Staff authenticate with their session; a customer sends
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
	ip := c.ClientIP()
	if staff {
		ip = "" // signed-in staff are not capped per address
	}
	release, refused := l.admit(convID, ip)
	if refused != "" {
		httpx.Error(c, http.StatusTooManyRequests, refused)
		return
	}
	defer release()
	conn, err := live.Upgrade(c.Writer, c.Request, !staff)
	if err != nil {
		return // the upgrader has answered
	}
	defer conn.Close(live.CloseNormal, "")
	conv, ok := l.authorize(ctx, conn, convID, staff, header)
	if !ok {
		return
	}
	// Subscribe before reading the backlog, so nothing falls between the two.
	evs, unsubscribe := l.Bus.Subscribe(events.ConversationTopic(conv.ID))
	defer unsubscribe()
	var queueEvs <-chan events.Event
	if !staff && l.Queue != nil {
		ch, unsubscribeQueue := l.Bus.Subscribe(events.QueueTopic)
		defer unsubscribeQueue()
		queueEvs = ch
	}
	w := &waitFrames{l: l, conn: conn, conv: conv, last: "null"}
	if err := conn.Send(w.withQueue(ctx, queueEvs != nil, gin.H{"type": "ready", "conversation": conv})); err != nil {
		return
	}
	last, err := l.sendAfter(ctx, conn, conv.ID, after, 0)
	if err != nil {
		conn.Close(live.CloseServerError, "internal error")
		return
	}
	ping := live.Ticker()
	defer ping.Stop()
	refresh := time.NewTicker(queueRefresh)
	defer refresh.Stop()
	for {
		select {
		case ev := <-evs:
			if f, ok := liveFrame(ev, staff); ok && conn.Send(f) != nil {
				return
			}
			if ev.Kind == "status" || ev.Kind == "resync" {
				cv, err := l.Convs.Get(ctx, conv.ID)
				if err != nil {
					return
				}
				w.conv = cv
				if conn.Send(w.withQueue(ctx, queueEvs != nil, gin.H{"type": "conversation", "conversation": cv})) != nil {
					return
				}
			}
			if ev.Kind == "message" || ev.Kind == "resync" {
				seq := ev.Seq
				if ev.Kind != "message" {
					seq = 0 // a resync reads alone
				}
				if last, err = l.sendAfter(ctx, conn, conv.ID, last, seq); err != nil {
					return
				}
			}
		case _, ok := <-conn.Incoming: // pings are answered by live; nothing else is expected
			if !ok {
				return
			}
		case <-queueEvs:
			if w.waiting() {
				w.soon()
			}
		case <-refresh.C:
			if queueEvs != nil && w.waiting() {
				w.soon()
			}
		case <-w.due:
			w.due = nil
			if w.send(ctx) != nil {
				return
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

// sendAfter sends every message after seq after and returns the last seq sent; atLeast is the seq
// of the message event that woke the socket (0: none; see messagesAfter).
func (l *Live) sendAfter(ctx context.Context, conn *live.Conn, convID string, after, atLeast int64) (int64, error) {
	for {
		msgs, err := l.messagesAfter(ctx, convID, after, atLeast)
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

// waitFrames sends a customer's queue frames, only when what they say changes.
type waitFrames struct {
	l    *Live
	conn *live.Conn
	conv conversation.Conversation
	last string           // the JSON of the last queue sent ("null": none)
	due  <-chan time.Time // a recomputation is scheduled
}

// waiting reports whether the customer may be waiting for a person: queued, or assigned while
// the last frame still showed an offer.
func (w *waitFrames) waiting() bool {
	return w.conv.Status == conversation.StatusQueued || (w.conv.Status == conversation.StatusAssigned && w.last != "null")
}

// soon schedules a recomputation, gathering the changes that arrive meanwhile.
func (w *waitFrames) soon() {
	if w.due == nil {
		w.due = time.After(queueCoalesce)
	}
}

// withQueue adds the customer's queue information to a ready or conversation frame, so the
// status and where the customer stands arrive together.
func (w *waitFrames) withQueue(ctx context.Context, on bool, frame gin.H) gin.H {
	if !on {
		return frame
	}
	q, err := queueInfo(ctx, w.l.Queue, w.conv)
	if err != nil {
		w.l.Log.Warn("channel: queue info", "err", err)
		return frame
	}
	b, _ := json.Marshal(q)
	w.last = string(b)
	frame["queue"] = q
	return frame
}

// send sends a queue frame when the customer's place or wait changed.
func (w *waitFrames) send(ctx context.Context) error {
	q, err := queueInfo(ctx, w.l.Queue, w.conv)
	if err != nil {
		w.l.Log.Warn("channel: queue info", "err", err)
		return nil // the next change tries again
	}
	b, _ := json.Marshal(q)
	if string(b) == w.last {
		return nil
	}
	w.last = string(b)
	return w.conn.Send(gin.H{"type": "queue", "queue": q})
}
