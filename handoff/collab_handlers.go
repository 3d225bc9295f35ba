package handoff

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// The endpoints agents work together with: private notes and @mentions, notifications,
// transfers, wrap-up dispositions and read marks.

func (a *API) failCollab(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrInvalid):
		httpx.Error(c, http.StatusBadRequest, err.Error())
	case errors.Is(err, ErrNoSuchAgent):
		httpx.Error(c, http.StatusNotFound, "no such agent")
	case errors.Is(err, ErrAgentAway):
		httpx.Error(c, http.StatusConflict, "that agent is not online; transfer to someone online or to a team")
	case errors.Is(err, ErrTargetFull):
		httpx.Error(c, http.StatusConflict, "that agent is at capacity; transfer to someone else or to a team")
	default:
		a.fail(c, err)
	}
}

// withTransferNotes adds to queue items the note of the transfer that requeued them.
func (s *Store) withTransferNotes(ctx context.Context, items []QueueItem) error {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.HandoffID)
	}
	notes, err := s.TransferNotes(ctx, ids)
	if err != nil {
		return err
	}
	for i := range items {
		if n, ok := notes[items[i].ConversationID]; ok {
			items[i].Transfer = &n
		}
	}
	return nil
}

// withCollab adds unread counts and transfer notes to an agent's conversations.
func (s *Store) withCollab(ctx context.Context, agentID int64, items []AgentItem) error {
	col, err := s.CollabForAgent(ctx, agentID)
	if err != nil {
		return err
	}
	for i := range items {
		items[i].Unread = col.Unread[items[i].ConversationID]
		if n, ok := col.Transfers[items[i].ConversationID]; ok {
			items[i].Transfer = &n
		}
	}
	return nil
}

// Timeline lists a conversation's private notes, transfers and wrap-ups.
func (a *API) Timeline(c *gin.Context) {
	entries, err := a.Store.Timeline(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.failCollab(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": entries})
}

type noteIn struct {
	Text     string  `json:"text"`
	Mentions []int64 `json:"mentions"`
}

// AddNote adds a private note; mentioned colleagues are notified.
func (a *API) AddNote(c *gin.Context) {
	var in noteIn
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	e, err := a.Store.AddNote(c.Request.Context(), c.Param("id"), me(c), in.Text, in.Mentions)
	if err != nil {
		a.failCollab(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"note": e})
}

// Transfer hands the conversation to another agent or to a skill's queue.
func (a *API) Transfer(c *gin.Context) {
	var in TransferRequest
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	res, err := a.Store.Transfer(c.Request.Context(), c.Param("id"), me(c), in)
	if err != nil {
		a.failCollab(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// TransferTargets lists the colleagues and teams a conversation can be transferred to.
func (a *API) TransferTargets(c *gin.Context) {
	ctx := c.Request.Context()
	if _, err := a.Store.conversationExists(ctx, c.Param("id")); err != nil {
		a.failCollab(c, err)
		return
	}
	agents, err := a.Store.Colleagues(ctx, "", 200)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	self := me(c).ID
	others := agents[:0]
	for _, ag := range agents {
		if ag.ID != self {
			others = append(others, ag)
		}
	}
	skills, err := a.Store.SkillQueues(ctx)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"agents": others, "skills": skills})
}

// Colleagues finds agents by name or email, for @mentions.
func (a *API) Colleagues(c *gin.Context) {
	q := c.Query("q")
	if len(q) > 100 {
		httpx.Error(c, http.StatusBadRequest, "q must be at most 100 characters")
		return
	}
	limit := 10
	if s := c.Query("limit"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 200 {
			httpx.Error(c, http.StatusBadRequest, "limit must be between 1 and 200")
			return
		}
		limit = v
	}
	list, err := a.Store.Colleagues(c.Request.Context(), q, limit)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"colleagues": list})
}

// Dispositions lists the wrap-up dispositions (?all=true includes retired ones).
func (a *API) Dispositions(c *gin.Context) {
	list, err := a.Store.Dispositions(c.Request.Context(), c.Query("all") == "true")
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"dispositions": list})
}

// SetDispositions lets an admin replace the list of wrap-up dispositions.
func (a *API) SetDispositions(c *gin.Context) {
	var in struct {
		Dispositions []DispositionSpec `json:"dispositions"`
	}
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	list, err := a.Store.DispositionsSet(c.Request.Context(), in.Dispositions)
	if err != nil {
		a.failCollab(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"dispositions": list})
}

// MarkRead records how far the caller has read a conversation.
func (a *API) MarkRead(c *gin.Context) {
	var in struct {
		Seq int64 `json:"seq"`
	}
	if !httpx.BindJSON(c, &in, 1<<10) {
		return
	}
	seq, err := a.Store.MarkRead(c.Request.Context(), c.Param("id"), me(c).ID, in.Seq)
	if err != nil {
		a.failCollab(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"last_read_seq": seq})
}

// Notifications lists the caller's notifications, newest first, with the unread count.
func (a *API) Notifications(c *gin.Context) {
	limit := 30
	if s := c.Query("limit"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 100 {
			httpx.Error(c, http.StatusBadRequest, "limit must be between 1 and 100")
			return
		}
		limit = v
	}
	list, unread, err := a.Store.Notifications(c.Request.Context(), me(c).ID, limit)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"notifications": list, "unread": unread})
}

// ReadNotification marks one of the caller's notifications read.
func (a *API) ReadNotification(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("nid"), 10, 64)
	if err != nil || id <= 0 {
		httpx.Error(c, http.StatusNotFound, "notification not found")
		return
	}
	ctx := c.Request.Context()
	if _, err := a.Store.NotificationsRead(ctx, me(c).ID, id, ""); err != nil {
		if errors.Is(err, ErrNotFound) {
			httpx.Error(c, http.StatusNotFound, "notification not found")
			return
		}
		httpx.Internal(c, err)
		return
	}
	a.notificationsAnswer(c)
}

// ReadAllNotifications marks every notification of the caller read.
func (a *API) ReadAllNotifications(c *gin.Context) {
	if _, err := a.Store.NotificationsRead(c.Request.Context(), me(c).ID, 0, ""); err != nil {
		httpx.Internal(c, err)
		return
	}
	a.notificationsAnswer(c)
}

func (a *API) notificationsAnswer(c *gin.Context) {
	n, err := a.Store.UnreadNotifications(c.Request.Context(), me(c).ID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unread": n})
}
