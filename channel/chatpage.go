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

//go:embed web/embed/widget.js
var widgetJS []byte

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

// WidgetScript serves GET /widget.js, the script a site adds with one tag to put the chat on its
// pages (a launcher button and a panel framing /chat; see web/embed/widget.js for its options).
// Its address is stable, so it is cached briefly rather than fingerprinted.
func WidgetScript(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "public, max-age=300")
	// Any site may load it; it runs in that site's page and reads nothing of it.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", widgetJS)
}
