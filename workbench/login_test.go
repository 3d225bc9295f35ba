package workbench

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLoginFormInChineseFromAcceptLanguage(t *testing.T) {
	app := newTestApp(t)
	w := app.do(http.MethodGet, "/login", nil, "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{`<html lang="zh-CN">`, "登录", "邮箱", "密码", `action="/login"`, `name="next" value=""`} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", w.Header().Get("Cache-Control"))
	}
}

func TestLoginFormKeepsOnlyLocalNext(t *testing.T) {
	app := newTestApp(t)
	tests := map[string]string{
		"/workbench/kb?q=a":      "/workbench/kb?q=a",
		"//evil.com":             "",
		"//evil.com/workbench":   "",
		`/\evil.com`:             "",
		"https://evil.com/":      "",
		"javascript:alert(1)":    "",
		"workbench":              "",
		"/ok\r\nSet-Cookie: x=1": "",
	}
	for next, want := range tests {
		w := app.do(http.MethodGet, "/login?next="+url.QueryEscape(next), nil)
		// (The language switch links keep the query, harmlessly: next is checked again on POST.)
		if field := `name="next" value="` + want + `"`; !strings.Contains(w.Body.String(), field) {
			t.Errorf("next=%q: form lacks %s", next, field)
		}
	}
}

func TestLoginRefusesCrossSitePost(t *testing.T) {
	app := newTestApp(t)
	form := url.Values{"email": {"a@example.com"}, "password": {"x"}, "next": {"//evil.com"}}
	w := app.do(http.MethodPost, "/login", form, "Origin", "https://evil.com")
	if w.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, `data-testid="login-error"`) || !strings.Contains(body, `value="a@example.com"`) {
		t.Error("the form should come back with an error and the email kept")
	}
	if !strings.Contains(body, `name="next" value=""`) {
		t.Error("a foreign next must not be echoed back")
	}
	if w.Header().Get("Set-Cookie") != "" {
		t.Error("no cookie may be set")
	}
}

func TestLogoutWithoutSessionClearsCookie(t *testing.T) {
	app := newTestApp(t)
	w := app.do(http.MethodPost, "/logout", url.Values{})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Fatalf("status %d Location %q", w.Code, w.Header().Get("Location"))
	}
	if c := w.Header().Get("Set-Cookie"); !strings.Contains(c, "baton_session=") || !strings.Contains(c, "Max-Age=0") {
		t.Errorf("Set-Cookie = %q, want the session cookie cleared", c)
	}
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"":                      "",
		"/":                     "/",
		"/workbench":            "/workbench",
		"/workbench/kb?q=x#top": "/workbench/kb?q=x#top",
		"//evil.com":            "",
		"///evil.com":           "",
		`/\evil.com`:            "",
		`/a\b`:                  "",
		"http://evil.com":       "",
		"evil.com":              "",
		"/a\tb":                 "",
		"/%2F%2Fevil.com":       "/%2F%2Fevil.com", // a path on this site, not another host
		"/workbench\x7f":        "",
	}
	for in, want := range tests {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
