package i18n

import "github.com/gin-gonic/gin"

// Page is what every template needs to speak the request's language; page views embed it so
// templates can say {{.T "key"}}, {{.HTMLLang}}, {{.Strings}} and range over {{.LangLinks}}.
type Page struct {
	Lang      string
	LangLinks []Link
}

// NewPage picks the request's language (see FromRequest) and builds its switch links.
func NewPage(c *gin.Context) Page {
	lang := FromRequest(c)
	return Page{Lang: lang, LangLinks: Links(c.Request.URL, lang)}
}

// T returns the page's string for key.
func (p Page) T(key string) string { return T(p.Lang, key) }

// HTMLLang is the value of <html lang>.
func (p Page) HTMLLang() string { return HTMLLang(p.Lang) }

// Strings is the whole catalog, rendered as JSON for the page's JavaScript.
func (p Page) Strings() map[string]string { return Catalog(p.Lang) }
