package i18n

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestEveryKeyInBothLanguages(t *testing.T) {
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	for lang, cat := range catalogs {
		for other, otherCat := range catalogs {
			for key, s := range cat {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %q is empty", lang, key)
				}
				o, ok := otherCat[key]
				if !ok {
					t.Errorf("%q is in %s but not in %s", key, lang, other)
					continue
				}
				a, b := placeholder.FindAllString(s, -1), placeholder.FindAllString(o, -1)
				slices.Sort(a)
				slices.Sort(b)
				if !slices.Equal(a, b) {
					t.Errorf("%q: placeholders %v in %s but %v in %s", key, a, lang, b, other)
				}
			}
		}
	}
}

func TestT(t *testing.T) {
	if got := T(Chinese, "chat.send"); got != "发送" {
		t.Errorf("T(zh, chat.send) = %q", got)
	}
	if got := T("fr", "chat.send"); got != "Send" {
		t.Errorf("unknown language should fall back to English, got %q", got)
	}
	if got := T(English, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key should come back as itself, got %q", got)
	}
}

func TestFromRequest(t *testing.T) {
	tests := []struct {
		name, query, cookie, accept string
		want                        string
		setsCookie                  bool
	}{
		{name: "nothing", want: English},
		{name: "query zh", query: "zh", want: Chinese, setsCookie: true},
		{name: "query beats cookie and header", query: "en", cookie: "zh", accept: "zh-CN", want: English, setsCookie: true},
		{name: "unknown query ignored", query: "fr", accept: "zh-CN", want: Chinese},
		{name: "cookie", cookie: "zh", accept: "en-US", want: Chinese},
		{name: "bad cookie ignored", cookie: "xx", accept: "zh-CN,zh;q=0.9", want: Chinese},
		{name: "accept zh-CN", accept: "zh-CN,zh;q=0.9,en;q=0.8", want: Chinese},
		{name: "accept en first", accept: "en-US,en;q=0.9,zh-CN;q=0.8", want: English},
		{name: "accept unsupported", accept: "fr-FR,de;q=0.9", want: English},
	}
	gin.SetMode(gin.TestMode)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			target := "/chat"
			if tt.query != "" {
				target += "?lang=" + tt.query
			}
			c.Request = httptest.NewRequest(http.MethodGet, target, nil)
			if tt.cookie != "" {
				c.Request.AddCookie(&http.Cookie{Name: CookieName, Value: tt.cookie})
			}
			if tt.accept != "" {
				c.Request.Header.Set("Accept-Language", tt.accept)
			}
			if got := FromRequest(c); got != tt.want {
				t.Errorf("FromRequest = %q, want %q", got, tt.want)
			}
			set := w.Header().Get("Set-Cookie")
			if tt.setsCookie != (set != "") {
				t.Errorf("Set-Cookie = %q, want set: %v", set, tt.setsCookie)
			}
			if tt.setsCookie && !strings.HasPrefix(set, CookieName+"="+tt.want) {
				t.Errorf("Set-Cookie = %q", set)
			}
		})
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	tests := map[string]string{
		"":                         English,
		"zh":                       Chinese,
		"zh-TW":                    Chinese,
		"ZH-hans-CN":               Chinese,
		"en-GB":                    English,
		"en;q=0.5, zh;q=0.8":       Chinese,
		"zh;q=0, en;q=0.1":         English,
		"fr, zh-CN;q=0.3":          Chinese,
		"de, *;q=0.5":              English,
		"zh;q=bogus, en;q=0.2":     English,
		"en-US;q=0.5,zh;q=0.95":    Chinese,
		"zh-CN,zh;q=0.9,en;q=0.95": Chinese,
	}
	for header, want := range tests {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestSwitchURL(t *testing.T) {
	u, _ := url.Parse("https://example.com/workbench/kb?q=refund&lang=en")
	if got := SwitchURL(u, Chinese); got != "/workbench/kb?lang=zh&q=refund" {
		t.Errorf("SwitchURL = %q", got)
	}
	u, _ = url.Parse("/chat")
	if got := SwitchURL(u, English); got != "/chat?lang=en" {
		t.Errorf("SwitchURL = %q", got)
	}
}

func TestLinks(t *testing.T) {
	u, _ := url.Parse("/chat")
	links := Links(u, Chinese)
	if len(links) != 2 || links[0].Code != Chinese || !links[0].Active || links[1].Active || links[1].URL != "/chat?lang=en" {
		t.Fatalf("Links = %+v", links)
	}
}
