package handoff

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/live"
)

// AgentWS is a staff member's own live channel, open on every workbench page. It sends
//
//	{"type":"ready","unread_notifications":N}
//	{"type":"notification","notification":{…},"unread_notifications":N}  a mention or a transfer to them
//	{"type":"notifications","unread_notifications":N}                    some were read (in any tab)
//	{"type":"assigned","conversation":{…}}                               a conversation is newly theirs
//	{"type":"mine_changed"}                                              their conversations changed (new
//	                                                                     customer message: unread counts)
//
// and, like the queue socket, keeps their presence alive.
func (a *API) AgentWS(c *gin.Context) {
	if !auth.SameOrigin(c.Request) {
		httpx.Error(c, http.StatusForbidden, "cross-origin staff WebSocket refused")
		return
	}
	conn, err := live.Upgrade(c.Writer, c.Request, false)
	if err != nil {
		return
	}
	defer conn.Close(live.CloseNormal, "")
	ctx := c.Request.Context()
	u := me(c)
	_ = a.Store.Heartbeat(ctx, u.ID)
	// Subscribe before reading state, so nothing falls between the two.
	userEvs, unsubUser := a.Bus.Subscribe(events.UserTopic(u.ID))
	defer unsubUser()
	queueEvs, unsubQueue := a.Bus.Subscribe(events.QueueTopic)
	defer unsubQueue()
	watch := newConvWatch(a.Bus)
	defer watch.close()

	held, err := a.heldSet(ctx, u)
	if err != nil {
		conn.Close(live.CloseServerError, "internal error")
		return
	}
	watch.set(held)
	unread, err := a.Store.UnreadNotifications(ctx, u.ID)
	if err != nil || conn.Send(gin.H{"type": "ready", "unread_notifications": unread}) != nil {
		return
	}
	ping := live.Ticker()
	defer ping.Stop()
	for {
		var frames []any
		select {
		case ev := <-userEvs:
			frames, err = a.userFrames(ctx, u.ID, ev)
		case <-queueEvs:
			var now map[string]AgentItem
			var routed map[string]bool
			if now, err = a.heldSet(ctx, u); err == nil {
				if routed, err = a.Store.routedTo(ctx, u.ID); err == nil {
					frames = assignedFrames(held, now, routed)
					held = now
					watch.set(held)
				}
			}
		case ev := <-watch.out:
			if ev.Kind == "message" || ev.Kind == "status" {
				frames = []any{gin.H{"type": "mine_changed"}}
			}
		case raw, ok := <-conn.Incoming:
			if !ok {
				return
			}
			_ = raw
		case <-ping.C:
			if conn.Ping() != nil {
				return
			}
			_ = a.Store.Heartbeat(ctx, u.ID)
		case <-a.Done:
			conn.Close(live.CloseGoingAway, "server shutting down")
			return
		case <-conn.Closed():
			return
		}
		if err != nil {
			conn.Close(live.CloseServerError, "internal error")
			return
		}
		for _, f := range frames {
			if conn.Send(f) != nil {
				return
			}
		}
	}
}

// userFrames turns an event on the user's topic into frames.
func (a *API) userFrames(ctx context.Context, userID int64, ev events.Event) ([]any, error) {
	unread, err := a.Store.UnreadNotifications(ctx, userID)
	if err != nil {
		return nil, err
	}
	if ev.Kind == NotificationKind && ev.Seq > 0 {
		n, err := a.Store.Notification(ctx, userID, ev.Seq)
		if err == nil {
			return []any{gin.H{"type": "notification", "notification": n, "unread_notifications": unread}}, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return []any{gin.H{"type": "notifications", "unread_notifications": unread}}, nil
}

func (a *API) heldSet(ctx context.Context, u auth.User) (map[string]AgentItem, error) {
	items, err := a.Store.AgentConversations(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make(map[string]AgentItem, len(items))
	for _, it := range items {
		out[it.ConversationID] = it
	}
	return out, nil
}

// assignedFrames announces the conversations in now that were not in before and that the router
// gave the agent (their own claims need no announcing; transfers come as notifications), and
// says the list changed when anything came or went.
func assignedFrames(before, now map[string]AgentItem, routed map[string]bool) []any {
	var frames []any
	changed := len(before) != len(now)
	for id, it := range now {
		if _, ok := before[id]; !ok {
			if routed[id] {
				frames = append(frames, gin.H{"type": "assigned", "conversation": it})
			}
			changed = true
		}
	}
	if changed {
		frames = append(frames, gin.H{"type": "mine_changed"})
	}
	return frames
}

// convWatch follows the conversation topics of a changing set of conversations through one channel.
type convWatch struct {
	bus  *events.Bus
	out  chan events.Event
	stop map[string]func()
}

func newConvWatch(bus *events.Bus) *convWatch {
	return &convWatch{bus: bus, out: make(chan events.Event, 16), stop: map[string]func(){}}
}

// set follows exactly the conversations in ids.
func (w *convWatch) set(ids map[string]AgentItem) {
	for id, stop := range w.stop {
		if _, ok := ids[id]; !ok {
			stop()
			delete(w.stop, id)
		}
	}
	for id := range ids {
		if _, ok := w.stop[id]; ok {
			continue
		}
		evs, unsubscribe := w.bus.Subscribe(events.ConversationTopic(id))
		quit := make(chan struct{})
		go func() {
			for {
				select {
				case ev := <-evs:
					select {
					case w.out <- ev:
					default: // the reader is behind: it will re-read everything anyway
					}
				case <-quit:
					return
				}
			}
		}()
		w.stop[id] = func() { close(quit); unsubscribe() }
	}
}

func (w *convWatch) close() {
	for id, stop := range w.stop {
		stop()
		delete(w.stop, id)
	}
}

// routedTo lists the conversations the router assigned to an agent (rather than their claim or
// a colleague's transfer).
func (s *Store) routedTo(ctx context.Context, agentID int64) (map[string]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT conversation_id FROM handoffs WHERE status = 'assigned' AND claimed_by = $1 AND auto_assigned`, agentID)
	if err != nil {
		return nil, fmt.Errorf("handoff: routed: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
