package channel

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/internal/httpx"
)

// Typing passes "someone is typing" to the other side of a conversation: the customer sees that
// the agent is typing, the agent that the customer is. Nothing is stored with the conversation;
// clients send a start at most every few seconds while typing (and a stop), and the server
// passes on at most one start per second per side of a conversation.
type Typing struct {
	API *API
	Bus *events.Bus

	mu     sync.Mutex
	last   map[string]time.Time
	pruned time.Time
}

// Event kinds of typing on a conversation's topic; Seq is 1 for typing, 0 for stopped.
const (
	TypingCustomerKind = "typing_customer"
	TypingAgentKind    = "typing_agent"
)

// typingEvery is the least time between two starts passed on for one side of a conversation.
const typingEvery = time.Second

// Post takes {"typing": true|false} from the conversation's customer, or from the agent holding it.
func (t *Typing) Post(c *gin.Context) {
	u, staff := auth.CurrentUser(c)
	if staff && auth.CSRFFailed(c) {
		httpx.Error(c, http.StatusForbidden, "missing or wrong CSRF token")
		return
	}
	conv, ok := t.API.access(c, true)
	if !ok {
		return
	}
	var in struct {
		Typing *bool `json:"typing"`
	}
	if !httpx.BindJSON(c, &in, 1<<10) {
		return
	}
	if in.Typing == nil {
		httpx.Error(c, http.StatusBadRequest, "typing (true or false) is required")
		return
	}
	kind := TypingCustomerKind
	if !staff && conv.Status != conversation.StatusQueued && conv.Status != conversation.StatusAssigned {
		c.Status(http.StatusNoContent) // no person is there to see it
		return
	}
	if staff {
		if conv.Status != conversation.StatusAssigned || conv.AssignedAgentID == nil || *conv.AssignedAgentID != u.ID {
			httpx.Error(c, http.StatusConflict, "only the agent holding this conversation types to its customer")
			return
		}
		kind = TypingAgentKind
	}
	ev := events.Event{Topic: events.ConversationTopic(conv.ID), Kind: kind}
	if *in.Typing {
		ev.Seq = 1
	}
	if t.pass(conv.ID+"/"+kind, *in.Typing) {
		if err := t.Bus.Publish(c.Request.Context(), ev); err != nil {
			httpx.Internal(c, err)
			return
		}
	}
	c.Status(http.StatusNoContent)
}

// pass throttles starts; stops always pass.
func (t *Typing) pass(key string, start bool) bool {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[string]time.Time{}
	}
	if now.Sub(t.pruned) > time.Minute {
		for k, at := range t.last {
			if now.Sub(at) > time.Minute {
				delete(t.last, k)
			}
		}
		t.pruned = now
	}
	if !start {
		delete(t.last, key)
		return true
	}
	if now.Sub(t.last[key]) < typingEvery {
		return false
	}
	t.last[key] = now
	return true
}

// liveFrame is what a conversation socket sends for an event other than a message or a status
// change, if anything: the other side's typing, and (for staff only) a nudge to re-read the
// private timeline. A customer's socket never hears of notes.
func liveFrame(ev events.Event, staff bool) (gin.H, bool) {
	switch {
	case ev.Kind == TypingCustomerKind && staff:
		return gin.H{"type": "typing", "who": "customer", "typing": ev.Seq == 1}, true
	case ev.Kind == TypingAgentKind && !staff:
		return gin.H{"type": "typing", "who": "agent", "typing": ev.Seq == 1}, true
	case ev.Kind == "timeline" && staff: // handoff.TimelineKind
		return gin.H{"type": "timeline"}, true
	case ev.Kind == "csat": // csat.Kind: a rating was given or changed
		return gin.H{"type": "rating"}, true
	}
	return nil, false
}
