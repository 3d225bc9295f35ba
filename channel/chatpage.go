package channel

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/assets"
	"github.com/baton-cs/baton/internal/i18n"
)

//go:embed web/templates/chat.html
var chatTemplate embed.FS

//go:embed web/static
var staticFiles embed.FS

// StaticFS holds the chat widget's JS and CSS, including the modules the workbench reuses
// (base.css, dom.js, strings.js, http.js, live.js, transcript.js/.css).
var StaticFS = mustSub(staticFiles, "web/static")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// ChatPage serves GET /chat, the customer chat widget; the page itself is a shell and chat.js
// talks to the conversation API. Security headers (CSP, framing) come from the server middleware.
func ChatPage(a *assets.Assets) gin.HandlerFunc {
	tmpl := template.Must(template.New("chat.html").
		Funcs(template.FuncMap{"asset": a.URL, "importmap": a.ImportMap}).
		ParseFS(chatTemplate, "web/templates/chat.html"))
	return func(c *gin.Context) {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, i18n.NewPage(c)); err != nil {
			_ = c.Error(err)
			c.String(http.StatusInternalServerError, "internal error")
			return
		}
		h := c.Writer.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("Vary", "Accept-Language, Cookie")
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	}
}
