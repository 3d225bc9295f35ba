// Package i18n holds the UI strings in Chinese and English and picks the language of a request.
package i18n

import (
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// The UI languages.
const (
	Chinese = "zh"
	English = "en"
)

// Languages lists the UI languages in the order the switch shows them.
var Languages = []string{Chinese, English}

// CookieName remembers a language picked with ?lang=.
const CookieName = "baton_lang"

const cookieMaxAge = 365 * 24 * 60 * 60

var catalogs = map[string]map[string]string{Chinese: zh, English: en}

// FromRequest returns "zh" or "en": from ?lang= (which it also remembers in a cookie), else the
// cookie, else Accept-Language, else English.
func FromRequest(c *gin.Context) string {
	if lang, ok := Parse(c.Query("lang")); ok {
		http.SetCookie(c.Writer, &http.Cookie{Name: CookieName, Value: lang, Path: "/", MaxAge: cookieMaxAge,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return lang
	}
	if v, err := c.Cookie(CookieName); err == nil {
		if lang, ok := Parse(v); ok {
			return lang
		}
	}
	return FromAcceptLanguage(c.GetHeader("Accept-Language"))
}

// Parse maps a language tag ("zh", "zh-CN", "EN-us") to a UI language.
func Parse(tag string) (string, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	_, ok := catalogs[base]
	return base, ok
}

// T returns the string for key in lang, falling back to English and then to the key itself.
func T(lang, key string) string {
	if s, ok := catalogs[lang][key]; ok {
		return s
	}
	if s, ok := en[key]; ok {
		return s
	}
	return key
}

// Catalog returns a copy of every string of lang, for the page's JavaScript.
func Catalog(lang string) map[string]string {
	c, ok := catalogs[lang]
	if !ok {
		c = en
	}
	return maps.Clone(c)
}

// HTMLLang is the value of <html lang>.
func HTMLLang(lang string) string {
	if lang == Chinese {
		return "zh-CN"
	}
	return "en"
}

// SwitchURL is the current page (path and query, never another host) with ?lang= set to lang.
func SwitchURL(u *url.URL, lang string) string {
	q := u.Query()
	q.Set("lang", lang)
	return (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
}

// Link is one entry of the language switch.
type Link struct {
	Code, Label, URL string
	Active           bool
}

// switchLabels name each language in itself, so a reader finds theirs whatever the page shows.
var switchLabels = map[string]string{Chinese: "中文", English: "EN"}

// Links is the language switch for the page at u when it shows lang.
func Links(u *url.URL, lang string) []Link {
	out := make([]Link, 0, len(Languages))
	for _, l := range Languages {
		out = append(out, Link{Code: l, Label: switchLabels[l], URL: SwitchURL(u, l), Active: l == lang})
	}
	return out
}
