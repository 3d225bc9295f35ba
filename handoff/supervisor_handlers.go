package handoff

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/live"
)

// Supervisor returns every queue with its waiting times and breaches, every agent's presence and
// load, and every open conversation with its SLA state.
func (a *API) Supervisor(c *gin.Context) {
	o, err := a.Store.Overview(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, o)
}

type reassignIn struct {
	AgentID *int64 `json:"agent_id"`
	Queue   bool   `json:"queue"`
}

// Reassign moves a conversation to another agent ({"agent_id": N}) or back to the queue
// ({"queue": true}).
func (a *API) Reassign(c *gin.Context) {
	var in reassignIn
	if !httpx.BindJSON(c, &in, 1<<10) {
		return
	}
	if (in.AgentID == nil) == !in.Queue || (in.AgentID != nil && *in.AgentID <= 0) {
		httpx.Error(c, http.StatusBadRequest, `give either "agent_id" (a positive agent id) or "queue": true`)
		return
	}
	var to int64
	if in.AgentID != nil {
		to = *in.AgentID
	}
	conv, err := a.Store.Reassign(c.Request.Context(), c.Param("id"), to, me(c))
	switch {
	case err == nil:
		c.JSON(http.StatusOK, gin.H{"conversation": conv})
	case errors.Is(err, ErrAtCapacity):
		httpx.Error(c, http.StatusConflict, "that agent already holds as many conversations as their capacity allows")
	case errors.Is(err, ErrInvalid):
		httpx.Error(c, http.StatusBadRequest, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	default:
		a.fail(c, err)
	}
}

// SupervisorWS tells a supervisor's page whenever queues, assignments, presence or SLA breaches
// change ({"type": "queue_changed"} or {"type": "sla_breach"}). Unlike the queue socket it is no
// heartbeat: watching the board does not keep a supervisor online as an agent.
func (a *API) SupervisorWS(c *gin.Context) {
	if !auth.SameOrigin(c.Request) {
		httpx.Error(c, http.StatusForbidden, "cross-origin staff WebSocket refused")
		return
	}
	conn, err := live.Upgrade(c.Writer, c.Request, false)
	if err != nil {
		return
	}
	defer conn.Close(live.CloseNormal, "")
	queue, unsubQueue := a.Bus.Subscribe(events.QueueTopic)
	defer unsubQueue()
	breaches, unsubSLA := a.Bus.Subscribe(SLATopic)
	defer unsubSLA()
	if conn.Send(gin.H{"type": "ready"}) != nil {
		return
	}
	ping := live.Ticker()
	defer ping.Stop()
	for {
		select {
		case <-queue:
			if conn.Send(gin.H{"type": "queue_changed"}) != nil {
				return
			}
		case <-breaches:
			if conn.Send(gin.H{"type": "sla_breach"}) != nil {
				return
			}
		case _, ok := <-conn.Incoming:
			if !ok {
				return
			}
		case <-ping.C:
			if conn.Ping() != nil {
				return
			}
		case <-a.Done:
			conn.Close(live.CloseGoingAway, "server shutting down")
			return
		case <-conn.Closed():
			return
		}
	}
}
