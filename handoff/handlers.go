package handoff

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/live"
)

// API serves the agents' endpoints.
type API struct {
	Store *Store
	Convs *conversation.Store
	Bus   *events.Bus
	Done  <-chan struct{}
	// Compliance checks agents' replies before they are sent (nil: no check).
	Compliance *compliance.Checker
	// Privacy masks the customer's contact details for agents when the admin says so (nil: never).
	Privacy *audit.Privacy
}

func (a *API) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		httpx.Error(c, http.StatusNotFound, "conversation not found")
	case errors.Is(err, ErrTaken):
		httpx.Error(c, http.StatusConflict, "another agent already holds this conversation")
	case errors.Is(err, ErrNotQueued):
		httpx.Error(c, http.StatusConflict, "this conversation is not waiting for a person")
	case errors.Is(err, ErrNotHolder):
		httpx.Error(c, http.StatusConflict, "you do not hold this conversation; claim it first")
	case errors.Is(err, ErrAtCapacity):
		httpx.Error(c, http.StatusConflict, "you already hold as many conversations as your capacity allows")
	case errors.Is(err, ErrNotOffered):
		httpx.Error(c, http.StatusConflict, "this conversation is not an offer to you (accepted already, or taken back)")
	default:
		httpx.Internal(c, err)
	}
}

func me(c *gin.Context) auth.User {
	u, _ := auth.CurrentUser(c)
	return u
}

// Queue lists the conversations the caller may take.
func (a *API) Queue(c *gin.Context) {
	items, err := a.Store.Queue(c.Request.Context(), me(c))
	if err == nil {
		err = a.Store.WithSLA(c.Request.Context(), items)
	}
	if err == nil {
		err = a.Store.withTransferNotes(c.Request.Context(), items)
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// Mine lists the conversations the caller holds.
func (a *API) Mine(c *gin.Context) {
	items, err := a.Store.AgentConversations(c.Request.Context(), me(c))
	if err == nil {
		err = a.Store.WithAgentSLA(c.Request.Context(), items)
	}
	if err == nil {
		err = a.Store.withCollab(c.Request.Context(), me(c).ID, items)
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// Claim takes a queued conversation; 409 when someone else has it.
func (a *API) Claim(c *gin.Context) {
	conv, err := a.Store.Claim(c.Request.Context(), c.Param("id"), me(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv})
}

// Decline hands back the conversation the router offered the caller: it goes to the next agent.
func (a *API) Decline(c *gin.Context) {
	if err := a.Store.Decline(c.Request.Context(), c.Param("id"), me(c)); err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Accept accepts the conversation the router offered the caller.
func (a *API) Accept(c *gin.Context) {
	conv, err := a.Store.Accept(c.Request.Context(), c.Param("id"), me(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv})
}

type agentMessageIn struct {
	Text string `json:"text"`
	// Confirm sends a reply whose compliance warnings the agent has seen (a 409 named them).
	Confirm bool `json:"confirm"`
}

// errRefused is a reply compliance held back.
var errRefused = errors.New("handoff: reply refused by a compliance rule")

// AgentMessage sends the holder's reply to the customer. A reply with a blocked phrase is refused
// (422); one with a phrase to avoid is refused (409) unless confirm is true. Either answer names
// the hits with their character offsets in the text as sent, so the workbench can mark them.
func (a *API) AgentMessage(c *gin.Context) {
	var in agentMessageIn
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	sent := in.Text
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" {
		httpx.Error(c, http.StatusBadRequest, "text is required")
		return
	}
	if utf8.RuneCountInString(in.Text) > conversation.MaxTextLen {
		httpx.Errorf(c, http.StatusBadRequest, "text must be at most %d characters", conversation.MaxTextLen)
		return
	}
	ctx := c.Request.Context()
	var rules *compliance.RuleSet
	if a.Compliance != nil {
		var err error
		if rules, err = a.Compliance.Rules(ctx); err != nil { // before the transaction: it may read the rules
			httpx.Internal(c, err)
			return
		}
	}
	var hits []compliance.Hit
	var lang string
	u := me(c)
	m, err := a.Store.AgentMessageScreened(ctx, c.Param("id"), u, in.Text, func(conv conversation.Conversation) error {
		lang = conv.Language
		hits = rules.Check(sent, conv.Language)
		if compliance.Blocking(hits) || len(hits) > 0 && !in.Confirm {
			return errRefused
		}
		return nil
	})
	at := compliance.HitContext{Source: compliance.SourceAgentReply, UserID: &u.ID, ConversationID: c.Param("id"), Language: lang}
	if errors.Is(err, errRefused) {
		if err := compliance.LogHits(ctx, a.Convs.Pool(), hits, at, ""); err != nil {
			_ = c.Error(err)
		}
		if compliance.Blocking(hits) {
			c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "this reply contains a banned phrase and was not sent; rephrase it", "hits": hits})
			return
		}
		c.JSON(http.StatusConflict, gin.H{"error": "this reply contains a phrase to avoid; send it anyway with confirm, or rephrase it", "hits": hits})
		return
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	if len(hits) > 0 {
		if err := compliance.LogHits(ctx, a.Convs.Pool(), hits, at, compliance.OutcomeSentAfterWarning); err != nil {
			_ = c.Error(err)
		}
	}
	c.JSON(http.StatusCreated, gin.H{"message": m})
}

// Resolve wraps the conversation up with a disposition and a note, closes it and files a KB
// suggestion from it.
func (a *API) Resolve(c *gin.Context) {
	var in WrapUp
	if !httpx.BindJSON(c, &in, 16<<10) {
		return
	}
	conv, suggested, err := a.Store.Resolve(c.Request.Context(), c.Param("id"), me(c), in)
	if err != nil {
		a.failCollab(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv, "suggestion_created": suggested})
}

// ContextCard returns what an agent needs to take over: conversation, customer and handoff.
func (a *API) ContextCard(c *gin.Context) {
	ctx := c.Request.Context()
	conv, err := a.Convs.Get(ctx, c.Param("id"))
	if errors.Is(err, conversation.ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "conversation not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if u := me(c); conv.Status == conversation.StatusAssigned && conv.AssignedAgentID != nil && *conv.AssignedAgentID == u.ID {
		// Opening an offered conversation accepts it.
		if err := a.Store.acceptIfOffered(ctx, conv.ID, u); err != nil {
			httpx.Internal(c, err)
			return
		}
		if conv, err = a.Convs.Get(ctx, conv.ID); err != nil {
			httpx.Internal(c, err)
			return
		}
	}
	cust, err := a.Convs.CustomerGet(ctx, conv.CustomerID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	var ho any
	var sla *SLAState
	h, err := a.Store.Latest(ctx, conv.ID)
	switch {
	case err == nil:
		ho = h
		sla, err = a.Store.SLAForHandoff(ctx, h.ID)
	case errors.Is(err, ErrNotFound):
		err = nil
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	mask, err := a.Privacy.MaskContacts(ctx, me(c))
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if mask {
		cust.Email, cust.Phone = audit.MaskEmail(cust.Email), audit.MaskPhone(cust.Phone)
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv, "customer": cust, "handoff": ho, "sla": sla, "contact_masked": mask})
}

// QueueWS tells a signed-in agent's page whenever the queue or assignments change.
func (a *API) QueueWS(c *gin.Context) {
	if !auth.SameOrigin(c.Request) {
		httpx.Error(c, http.StatusForbidden, "cross-origin staff WebSocket refused")
		return
	}
	conn, err := live.Upgrade(c.Writer, c.Request, false)
	if err != nil {
		return
	}
	defer conn.Close(live.CloseNormal, "")
	// An open queue page is the agent's heartbeat: each ping keeps their presence alive.
	agentID := me(c).ID
	_ = a.Store.Heartbeat(c.Request.Context(), agentID)
	evs, unsubscribe := a.Bus.Subscribe(events.QueueTopic)
	defer unsubscribe()
	if conn.Send(gin.H{"type": "ready"}) != nil {
		return
	}
	ping := live.Ticker()
	defer ping.Stop()
	for {
		select {
		case <-evs:
			if conn.Send(gin.H{"type": "queue_changed"}) != nil {
				return
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
			_ = a.Store.Heartbeat(c.Request.Context(), agentID)
		case <-a.Done:
			conn.Close(live.CloseGoingAway, "server shutting down")
			return
		case <-conn.Closed():
			return
		}
	}
}
