package kb

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/httpx"
)

// FieldHit is a compliance hit in an article's title or body.
type FieldHit struct {
	Field string `json:"field"`
	compliance.Hit
}

// screenPublished checks what an article about to be published says (its title and body; the
// alternative questions are the customers' words, not the bot's). A blocked phrase answers 422
// naming it and returns false; warnings are returned to go with the answer. Hits are logged.
func (a *API) screenPublished(c *gin.Context, title, body, lang string) ([]FieldHit, bool) {
	out := []FieldHit{}
	if a.Compliance == nil {
		return out, true
	}
	rules, err := a.Compliance.Rules(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return nil, false
	}
	var flat []compliance.Hit
	for _, f := range [][2]string{{"title", title}, {"body", body}} {
		for _, h := range rules.Check(f[1], lang) {
			out = append(out, FieldHit{Field: f[0], Hit: h})
			flat = append(flat, h)
		}
	}
	if len(flat) == 0 {
		return out, true
	}
	at := compliance.HitContext{Source: compliance.SourceKBArticle, UserID: userID(c), Language: lang}
	if err := compliance.LogHits(c.Request.Context(), a.Store.pool, flat, at, ""); err != nil {
		_ = c.Error(err)
	}
	for _, h := range out {
		if h.Action == compliance.ActionBlock {
			c.JSON(http.StatusUnprocessableEntity, gin.H{
				"error": fmt.Sprintf("the article's %s contains the banned phrase %q; it cannot be published", h.Field, h.Text),
				"hits":  out,
			})
			return nil, false
		}
	}
	return out, true
}
