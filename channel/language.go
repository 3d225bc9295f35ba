package channel

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// SetLanguage records the language the customer chose for their conversation (zh or en), so
// the system's own messages from then on follow it. The chat widget calls it when it resumes a
// conversation in another language than it started in.
func (a *API) SetLanguage(c *gin.Context) {
	conv, ok := a.access(c, false)
	if !ok {
		return
	}
	var in struct {
		Language string `json:"language"`
	}
	if !httpx.BindJSON(c, &in, 1<<10) {
		return
	}
	if in.Language != "zh" && in.Language != "en" {
		httpx.Error(c, http.StatusBadRequest, `language must be "zh" or "en"`)
		return
	}
	if in.Language != conv.Language {
		var err error
		if conv, err = a.Convs.LanguageSet(c.Request.Context(), conv.ID, in.Language); err != nil {
			httpx.Internal(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv})
}
