package canned

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
)

// API serves the canned-response endpoints: every agent and editor lists them; editors and
// admins keep the shared ones; anyone keeps their personal ones; agents render them into a
// conversation.
type API struct {
	Store *Store
	Convs *conversation.Store
	// Slots returns what the bot collected in a conversation (handoff.Store.ConversationSlots).
	Slots func(ctx context.Context, convID string) (map[string]string, error)
	// Privacy masks {{customer.email}} and {{customer.phone}} for an agent the admin keeps from
	// contact details (nil: never), so a template is not a way around it.
	Privacy *audit.Privacy
}

func (a *API) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		httpx.Error(c, http.StatusNotFound, "canned response not found")
	case errors.Is(err, ErrConflict), errors.Is(err, ErrInvalid):
		status := http.StatusBadRequest
		if errors.Is(err, ErrConflict) {
			status = http.StatusConflict
		}
		msg := err.Error()
		for _, p := range []error{ErrConflict, ErrInvalid} {
			msg = strings.TrimPrefix(msg, p.Error()+": ")
		}
		httpx.Error(c, status, msg)
	default:
		httpx.Internal(c, err)
	}
}

func me(c *gin.Context) auth.User {
	u, _ := auth.CurrentUser(c)
	return u
}

// mayManage reports whether u may change r: the owner of a personal response (or an admin), an
// editor or admin for a shared one.
func mayManage(u auth.User, r Response) bool {
	if r.Personal {
		return (r.OwnerID != nil && *r.OwnerID == u.ID) || u.Role == auth.RoleAdmin
	}
	return u.Can(auth.RoleEditor)
}

// List returns the shared responses and the caller's own (?q= filters by shortcut or title,
// ?language= by language).
func (a *API) List(c *gin.Context) {
	lang := c.Query("language")
	if lang != "" && lang != "zh" && lang != "en" {
		httpx.Error(c, http.StatusBadRequest, `language must be "zh" or "en"`)
		return
	}
	items, err := a.Store.List(c.Request.Context(), me(c).ID, Filter{Query: c.Query("q"), Language: lang})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *API) load(c *gin.Context) (Response, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.Error(c, http.StatusNotFound, "canned response not found")
		return Response{}, false
	}
	r, err := a.Store.Get(c.Request.Context(), id, me(c).ID)
	if err != nil {
		a.fail(c, err)
		return Response{}, false
	}
	return r, true
}

// Get returns one response.
func (a *API) Get(c *gin.Context) {
	if r, ok := a.load(c); ok {
		c.JSON(http.StatusOK, gin.H{"canned_response": r})
	}
}

const maxInput = 32 << 10

// Create adds a shared response (editors and admins) or, with personal: true, one of the caller's own.
func (a *API) Create(c *gin.Context) {
	var in Input
	if !httpx.BindJSON(c, &in, maxInput) {
		return
	}
	u := me(c)
	if !in.Personal && !u.Can(auth.RoleEditor) {
		httpx.Error(c, http.StatusForbidden, "only editors and admins keep shared canned responses; set personal: true for your own")
		return
	}
	if err := in.Normalize(); err != nil {
		a.fail(c, err)
		return
	}
	r, err := a.Store.Create(c.Request.Context(), in, u.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"canned_response": r})
}

// Update changes a response the caller may manage.
func (a *API) Update(c *gin.Context) {
	r, ok := a.load(c)
	if !ok {
		return
	}
	if !mayManage(me(c), r) {
		httpx.Error(c, http.StatusForbidden, "only editors and admins change shared canned responses")
		return
	}
	var in Input
	if !httpx.BindJSON(c, &in, maxInput) {
		return
	}
	if err := in.Normalize(); err != nil {
		a.fail(c, err)
		return
	}
	r, err := a.Store.Update(c.Request.Context(), r.ID, in)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"canned_response": r})
}

// Delete removes a response the caller may manage.
func (a *API) Delete(c *gin.Context) {
	r, ok := a.load(c)
	if !ok {
		return
	}
	if !mayManage(me(c), r) {
		httpx.Error(c, http.StatusForbidden, "only editors and admins delete shared canned responses")
		return
	}
	if err := a.Store.Delete(c.Request.Context(), r.ID); err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type renderIn struct {
	ConversationID string `json:"conversation_id"`
}

// Render fills a response's variables from a conversation: its customer, the bot's slots and
// the calling agent.
func (a *API) Render(c *gin.Context) {
	r, ok := a.load(c)
	if !ok {
		return
	}
	var in renderIn
	if !httpx.BindJSON(c, &in, 4<<10) {
		return
	}
	if in.ConversationID == "" {
		httpx.Error(c, http.StatusBadRequest, "conversation_id is required")
		return
	}
	ctx := c.Request.Context()
	conv, err := a.Convs.Get(ctx, in.ConversationID)
	if errors.Is(err, conversation.ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "conversation not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	cust, err := a.Convs.CustomerGet(ctx, conv.CustomerID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	slots, err := a.Slots(ctx, conv.ID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	u := me(c)
	mask, err := a.Privacy.MaskContacts(ctx, u)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if mask {
		cust.Email, cust.Phone = audit.MaskEmail(cust.Email), audit.MaskPhone(cust.Phone)
	}
	v := Vars{
		Customer: map[string]string{"name": cust.Name, "email": cust.Email, "phone": cust.Phone,
			"language": cust.Language, "vip_tier": cust.VIPTier},
		Agent: map[string]string{"name": u.Name, "email": u.Email},
		Slots: slots,
	}
	out := Render(r.Body, v)
	c.JSON(http.StatusOK, gin.H{"text": out.Text, "missing": out.Missing, "canned_response_id": r.ID})
}
