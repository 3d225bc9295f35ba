package handoff

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// slaBody is the GET/PUT /api/v1/sla document.
type slaBody struct {
	Targets []SLATarget `json:"targets"`
}

func slaAnswer(targets []SLATarget) gin.H {
	return gin.H{"targets": targets, "warn_fraction": WarnFraction, "breach_priority_step": BreachPriorityStep}
}

// GetSLA returns the SLA targets per priority tier.
func (a *API) GetSLA(c *gin.Context) {
	targets, err := a.Store.SLATargets(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, slaAnswer(targets))
}

// PutSLA replaces the SLA targets (admin).
func (a *API) PutSLA(c *gin.Context) {
	var in slaBody
	if !httpx.BindJSON(c, &in, 16<<10) {
		return
	}
	targets, err := a.Store.SLATargetsSet(c.Request.Context(), in.Targets)
	if errors.Is(err, ErrInvalidSLA) {
		httpx.Error(c, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, slaAnswer(targets))
}
