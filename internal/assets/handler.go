package assets

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Handler serves GET/HEAD /static/*file: known hashed names with a year-long immutable cache,
// anything else (an unknown file or a stale hash) with 404.
func (a *Assets) Handler() gin.HandlerFunc {
	return func(c *gin.Context) {
		f, ok := a.byHashed[strings.TrimPrefix(c.Param("file"), "/")]
		if !ok {
			c.Header("Cache-Control", "no-store")
			c.String(http.StatusNotFound, "404 not found")
			return
		}
		h := c.Writer.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", f.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(f.body))
	}
}
