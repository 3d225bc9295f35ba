package channel

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/csat"
	"github.com/baton-cs/baton/internal/httpx"
)

// Ratings serves a conversation's satisfaction ratings: its customer reads and gives them; staff
// who answer customers read them.
type Ratings struct {
	API   *API
	Store *csat.Store
}

// Get answers GET /api/v1/conversations/:id/rating: what the customer may rate (the
// conversation, and tickets linked to it once solved), their ratings and whether each may still
// be changed.
func (r *Ratings) Get(c *gin.Context) {
	conv, ok := r.API.access(c, true)
	if !ok {
		return
	}
	st, err := r.Store.State(c.Request.Context(), conv.ID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// Put answers PUT /api/v1/conversations/:id/rating {score, comment, ticket_id?}: the customer's
// rating, given once and changeable for the edit window; it answers the new state.
func (r *Ratings) Put(c *gin.Context) {
	conv, ok := r.API.access(c, false)
	if !ok {
		return
	}
	var in csat.Input
	if !httpx.BindJSON(c, &in, 16<<10) {
		return
	}
	if msg := in.Validate(); msg != "" {
		httpx.Error(c, http.StatusBadRequest, msg)
		return
	}
	st, err := r.Store.Rate(c.Request.Context(), conv.ID, in)
	switch {
	case errors.Is(err, csat.ErrNoTicket):
		httpx.Error(c, http.StatusNotFound, "no such ticket in this conversation")
	case errors.Is(err, csat.ErrNotRateable) && in.TicketID != nil:
		httpx.Error(c, http.StatusConflict, "this ticket is not solved yet; it can be rated once it is")
	case errors.Is(err, csat.ErrNotRateable):
		httpx.Error(c, http.StatusConflict, "this conversation cannot be rated yet; it can be once it is resolved")
	case errors.Is(err, csat.ErrWindowClosed):
		httpx.Errorf(c, http.StatusConflict, "this rating can no longer be changed: changes are allowed for %s after rating",
			windowText(r.Store.EditWindow))
	case err != nil:
		httpx.Internal(c, err)
	default:
		c.JSON(http.StatusOK, st)
	}
}

// windowText says a window the way people do: "30 minutes", "1 hour", else Go's "1m30s".
func windowText(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d == time.Minute:
		return "1 minute"
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}
