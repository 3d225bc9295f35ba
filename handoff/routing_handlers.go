package handoff

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

func (a *API) failRouting(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrInvalid):
		httpx.Error(c, http.StatusBadRequest, err.Error())
	case errors.Is(err, ErrAtCapacity):
		httpx.Error(c, http.StatusConflict, "you already hold as many conversations as your capacity allows")
	case errors.Is(err, ErrNotFound):
		httpx.Error(c, http.StatusNotFound, "not found")
	default:
		a.fail(c, err)
	}
}

// MyProfile returns the caller's routing profile: skills, languages, capacity, presence, load.
func (a *API) MyProfile(c *gin.Context) {
	p, err := a.Store.ProfileGet(c.Request.Context(), me(c).ID)
	if err != nil {
		a.failRouting(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"profile": p})
}

// SetPresence sets the caller online, away or offline; online drains the queue to them.
func (a *API) SetPresence(c *gin.Context) {
	var in struct {
		Presence string `json:"presence"`
	}
	if !httpx.BindJSON(c, &in, 1<<10) {
		return
	}
	p, err := a.Store.PresenceSet(c.Request.Context(), me(c).ID, in.Presence)
	if err != nil {
		a.failRouting(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"profile": p})
}

// Heartbeat keeps the caller's presence alive while their workbench is open.
func (a *API) Heartbeat(c *gin.Context) {
	if err := a.Store.Heartbeat(c.Request.Context(), me(c).ID); err != nil {
		httpx.Internal(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// SetProfile lets an admin change an agent's skills, languages and capacity.
func (a *API) SetProfile(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		httpx.Error(c, http.StatusNotFound, "agent not found")
		return
	}
	var in ProfileSpec
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	p, err := a.Store.ProfileSet(c.Request.Context(), id, in)
	if err != nil {
		a.failRouting(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"profile": p})
}

// SetTeam lets an admin set a skill's team: routing mode (auto or pull), time zone and business
// hours; fields left out stay as they are.
func (a *API) SetTeam(c *gin.Context) {
	var in TeamSpec
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	t, err := a.Store.TeamSet(c.Request.Context(), c.Param("skill"), in)
	if err != nil {
		a.failRouting(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"skill": t.Skill, "mode": t.Mode, "team": t})
}

// Teams lists the teams (skills) with their mode and business hours.
func (a *API) Teams(c *gin.Context) {
	ts, err := a.Store.Teams(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"teams": ts})
}

// ClaimNext takes the first waiting conversation the caller may take (pull mode).
func (a *API) ClaimNext(c *gin.Context) {
	conv, err := a.Store.ClaimNext(c.Request.Context(), me(c))
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "nothing is waiting for you")
		return
	}
	if err != nil {
		a.failRouting(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv})
}
