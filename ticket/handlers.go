package ticket

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/httpx"
)

// API serves /api/v1/tickets. Agents, supervisors and admins work tickets; agents open them from
// a conversation, editors, supervisors and admins also from scratch.
type API struct {
	Store *Store
	// Compliance, when set, refuses a subject with a blocked phrase: the subject reaches the
	// customer (the chat's status answer, the solved notice).
	Compliance *compliance.Checker
}

// subjectRefused answers 422 and reports true when subject holds a blocked phrase.
func (a *API) subjectRefused(c *gin.Context, subject string) bool {
	if a.Compliance == nil || subject == "" {
		return false
	}
	hits, err := a.Compliance.Check(c.Request.Context(), subject, "")
	if err != nil {
		httpx.Internal(c, err)
		return true
	}
	if compliance.Blocking(hits) {
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "the subject contains a banned phrase, and customers see it; rephrase it", "hits": hits})
		return true
	}
	return false
}

func (a *API) fail(c *gin.Context, err error) {
	var inv *InvalidError
	switch {
	case errors.As(err, &inv):
		httpx.Error(c, http.StatusBadRequest, inv.Msg)
	case errors.Is(err, ErrNotFound):
		httpx.Error(c, http.StatusNotFound, "no such ticket")
	case errors.Is(err, ErrTransition):
		httpx.Error(c, http.StatusConflict, strings.TrimPrefix(err.Error(), "ticket: "))
	default:
		httpx.Internal(c, err)
	}
}

func ticketID(c *gin.Context) (int64, bool) {
	id, ok := ParseNumber(c.Param("id"))
	if !ok {
		httpx.Error(c, http.StatusNotFound, "no such ticket")
	}
	return id, ok
}

// List serves GET /api/v1/tickets: scope=teams (the caller's teams), mine or all; team, status
// (comma-separated), assignee (me or an id), customer, conversation, q, limit, offset.
func (a *API) List(c *gin.Context) {
	u, _ := auth.CurrentUser(c)
	f := Filter{CustomerID: c.Query("customer"), ConversationID: c.Query("conversation"), Query: strings.TrimSpace(c.Query("q"))}
	if f.CustomerID != "" && !ValidUUID(f.CustomerID) || f.ConversationID != "" && !ValidUUID(f.ConversationID) {
		httpx.Error(c, http.StatusBadRequest, "customer and conversation must be ids")
		return
	}
	switch c.DefaultQuery("scope", "all") {
	case "teams":
		f.Teams = append([]string{}, u.Skills...)
		if len(f.Teams) == 0 {
			f.Teams = []string{""} // no team: nothing in "my teams"
		}
	case "mine":
		f.AssigneeID = u.ID
	case "all":
	default:
		httpx.Error(c, http.StatusBadRequest, "scope must be teams, mine or all")
		return
	}
	if t := c.Query("team"); t != "" {
		f.Teams = strings.Split(t, ",")
	}
	if len(f.Teams) > 50 || utf8.RuneCountInString(f.Query) > 200 {
		httpx.Error(c, http.StatusBadRequest, "at most 50 teams and a search of at most 200 characters")
		return
	}
	if s := c.Query("status"); s != "" {
		if s == "active" {
			f.Statuses = []string{StatusNew, StatusOpen, StatusPending}
		} else {
			for _, st := range strings.Split(s, ",") {
				if !oneOf(st, Statuses) {
					httpx.Error(c, http.StatusBadRequest, "status must be active or among new, open, pending, solved, closed")
					return
				}
				f.Statuses = append(f.Statuses, st)
			}
		}
	}
	switch as := c.Query("assignee"); as {
	case "":
	case "me":
		f.AssigneeID = u.ID
	default:
		id, err := strconv.ParseInt(as, 10, 64)
		if err != nil || id <= 0 {
			httpx.Error(c, http.StatusBadRequest, "assignee must be me or a user id")
			return
		}
		f.AssigneeID = id
	}
	var err error
	if f.Limit, err = intQuery(c, "limit", 50); err == nil {
		f.Offset, err = intQuery(c, "offset", 0)
	}
	if err != nil || f.Limit < 1 || f.Limit > 200 || f.Offset < 0 {
		httpx.Error(c, http.StatusBadRequest, "limit must be 1 to 200 and offset 0 or more")
		return
	}
	list, err := a.Store.List(c.Request.Context(), f)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tickets": list})
}

func intQuery(c *gin.Context, name string, def int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

// Create serves POST /api/v1/tickets. An agent opens a ticket from a conversation; editors,
// supervisors and admins may open one without.
func (a *API) Create(c *gin.Context) {
	u, _ := auth.CurrentUser(c)
	var in NewTicket
	if !httpx.BindJSON(c, &in, httpx.MaxBody) {
		return
	}
	if in.ConversationID == "" && u.Role == auth.RoleAgent {
		httpx.Error(c, http.StatusBadRequest, "conversation_id is required: agents open tickets from a conversation")
		return
	}
	if a.subjectRefused(c, in.Subject) {
		return
	}
	t, err := a.Store.Create(c.Request.Context(), in, u.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	audit.Target(c, "ticket", strconv.FormatInt(t.ID, 10))
	c.JSON(http.StatusCreated, gin.H{"ticket": t})
}

// Get serves GET /api/v1/tickets/:id (an id or a number such as T10023): the ticket and its timeline.
func (a *API) Get(c *gin.Context) {
	id, ok := ticketID(c)
	if !ok {
		return
	}
	t, err := a.Store.Get(c.Request.Context(), id)
	a.withTimeline(c, t, err)
}

// withTimeline answers a ticket read or changed (or the error that stopped it) with its timeline.
func (a *API) withTimeline(c *gin.Context, t Ticket, err error) {
	if err != nil {
		a.fail(c, err)
		return
	}
	evs, err := a.Store.Events(c.Request.Context(), t.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"ticket": t, "events": evs})
}

// Update serves PATCH /api/v1/tickets/:id.
func (a *API) Update(c *gin.Context) {
	u, _ := auth.CurrentUser(c)
	id, ok := ticketID(c)
	if !ok {
		return
	}
	audit.Target(c, "ticket", strconv.FormatInt(id, 10)) // the id, whether the path gave it or the number
	var p Patch
	if !httpx.BindJSON(c, &p, httpx.MaxBody) {
		return
	}
	if p.Subject != nil && a.subjectRefused(c, *p.Subject) {
		return
	}
	t, err := a.Store.Update(c.Request.Context(), id, p, u.ID)
	a.withTimeline(c, t, err)
}

// Comment serves POST /api/v1/tickets/:id/comments: an internal comment, never shown to the customer.
func (a *API) Comment(c *gin.Context) {
	u, _ := auth.CurrentUser(c)
	id, ok := ticketID(c)
	if !ok {
		return
	}
	audit.Target(c, "ticket", strconv.FormatInt(id, 10)) // the id, whether the path gave it or the number
	var in struct {
		Body string `json:"body"`
	}
	if !httpx.BindJSON(c, &in, httpx.MaxBody) {
		return
	}
	e, err := a.Store.Comment(c.Request.Context(), id, u.ID, in.Body)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"event": e})
}

// GetSLA serves GET /api/v1/tickets-sla: each priority's default due time.
func (a *API) GetSLA(c *gin.Context) {
	ts, err := a.Store.SLATargets(c.Request.Context())
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"targets": ts})
}

// PutSLA serves PUT /api/v1/tickets-sla (admins).
func (a *API) PutSLA(c *gin.Context) {
	var in struct {
		Targets []SLATarget `json:"targets"`
	}
	if !httpx.BindJSON(c, &in, httpx.MaxBody) {
		return
	}
	ts, err := a.Store.SetSLATargets(c.Request.Context(), in.Targets)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"targets": ts})
}
