package workbench

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/assets"
	"github.com/baton-cs/baton/internal/auth"
)

// testApp wires the pages like the server does, minus the database: a request with an X-Test-Role
// header gets a session for that role. auth keeps its context key private, so the fake session is
// set under the same key ("baton.session") that auth.CurrentSession reads.
type testApp struct {
	static *assets.Assets
	router *gin.Engine
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	gin.SetMode(gin.TestMode)
	// The layout uses the channel's shared CSS and modules; read them from disk rather than import
	// the channel package (and with it the whole conversation API).
	static, err := assets.New(assets.Merge(StaticFS, os.DirFS("../channel/web/static")))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPages(static, nil, false)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		if role := c.GetHeader("X-Test-Role"); role != "" {
			c.Set("baton.session", auth.Session{
				User:      auth.User{ID: 7, Email: c.GetHeader("X-Test-Email") + role + "@example.com", Name: "Test", Role: role},
				CSRFToken: "csrf-" + role,
			})
		}
	})
	r.GET("/static/*file", static.Handler())
	r.GET("/", p.Home)
	r.GET("/login", p.LoginForm)
	r.POST("/login", p.Login)
	r.POST("/logout", p.Logout)
	r.GET("/workbench", p.Queue)
	r.GET("/workbench/conversations/:id", p.Conversation)
	r.GET("/workbench/kb", p.Articles)
	r.GET("/workbench/kb/articles/new", p.ArticleEdit)
	r.GET("/workbench/kb/articles/:id", p.ArticleEdit)
	r.GET("/workbench/kb/suggestions", p.Suggestions)
	r.GET("/workbench/bot", p.Bot)
	return &testApp{static: static, router: r}
}

func (app *testApp) do(method, target string, body url.Values, header ...string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	app.router.ServeHTTP(w, req)
	return w
}

func TestPagesWithoutSessionRedirectToLogin(t *testing.T) {
	app := newTestApp(t)
	for _, path := range []string{
		"/workbench",
		"/workbench/conversations/c-123",
		"/workbench/kb",
		"/workbench/kb?q=refund&status=draft",
		"/workbench/kb/articles/new",
		"/workbench/kb/articles/42",
		"/workbench/kb/suggestions",
		"/workbench/bot",
	} {
		w := app.do(http.MethodGet, path, nil)
		if w.Code != http.StatusSeeOther {
			t.Errorf("GET %s: status %d, want 303", path, w.Code)
			continue
		}
		if want := "/login?next=" + url.QueryEscape(path); w.Header().Get("Location") != want {
			t.Errorf("GET %s: Location %q, want %q", path, w.Header().Get("Location"), want)
		}
	}
}

func TestPagesByRole(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		path, role string
		status     int
		location   string // for redirects
		contains   string
	}{
		{"/workbench", auth.RoleAgent, http.StatusOK, "", `data-testid="queue-list"`},
		{"/workbench", auth.RoleAdmin, http.StatusOK, "", `data-testid="my-conversations"`},
		{"/workbench", auth.RoleEditor, http.StatusSeeOther, "/workbench/kb", ""},
		{"/workbench", auth.RoleEvaluator, http.StatusForbidden, "", `data-testid="problem"`},
		{"/workbench/conversations/c-123", auth.RoleAgent, http.StatusOK, "", `data-conversation-id="c-123"`},
		{"/workbench/conversations/c-123", auth.RoleEditor, http.StatusForbidden, "", "Not for your role"},
		{"/workbench/conversations/a%20b", auth.RoleAgent, http.StatusNotFound, "", "Not found"},
		{"/workbench/kb", auth.RoleEditor, http.StatusOK, "", `id="article-rows"`},
		{"/workbench/kb", auth.RoleAgent, http.StatusForbidden, "", ""},
		{"/workbench/kb/articles/new", auth.RoleEditor, http.StatusOK, "", `data-article-id="0"`},
		{"/workbench/kb/articles/42", auth.RoleAdmin, http.StatusOK, "", `data-article-id="42"`},
		{"/workbench/kb/articles/x1", auth.RoleEditor, http.StatusNotFound, "", ""},
		{"/workbench/kb/suggestions", auth.RoleEditor, http.StatusOK, "", `data-testid="suggestion-list"`},
		{"/workbench/kb/suggestions", auth.RoleAgent, http.StatusForbidden, "", ""},
		{"/login", auth.RoleAgent, http.StatusSeeOther, "/workbench", ""},
		{"/login?next=/workbench/kb/suggestions", auth.RoleEditor, http.StatusSeeOther, "/workbench/kb/suggestions", ""},
		{"/login?next=//evil.com", auth.RoleEditor, http.StatusSeeOther, "/workbench/kb", ""},
		{"/", "", http.StatusOK, "", `href="/chat"`},
		{"/", auth.RoleAgent, http.StatusOK, "", `data-testid="logout-button"`},
	}
	for _, tt := range tests {
		t.Run(tt.role+" "+tt.path, func(t *testing.T) {
			w := app.do(http.MethodGet, tt.path, nil, "X-Test-Role", tt.role)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if tt.location != "" && w.Header().Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", w.Header().Get("Location"), tt.location)
			}
			if !strings.Contains(w.Body.String(), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
		})
	}
}

func TestPageCarriesCSRFTokenAndNav(t *testing.T) {
	app := newTestApp(t)
	body := app.do(http.MethodGet, "/workbench", nil, "X-Test-Role", auth.RoleAgent).Body.String()
	for _, want := range []string{
		`<meta name="csrf-token" content="csrf-agent">`,
		`<input type="hidden" name="_csrf" value="csrf-agent">`,
		`href="/workbench" aria-current="page"`,
		`agent@example.com`,
		`data-testid="lang-switch"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("queue page lacks %s", want)
		}
	}
	if strings.Contains(body, `href="/workbench/kb"`) {
		t.Error("an agent's nav must not offer the knowledge base")
	}
}

func TestPagesEscapeUserData(t *testing.T) {
	app := newTestApp(t)
	evil := `"><script>alert(1)</script>`
	w := app.do(http.MethodGet, "/workbench/kb?q="+url.QueryEscape(evil), nil,
		"X-Test-Role", auth.RoleEditor, "X-Test-Email", evil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	if strings.Contains(w.Body.String(), "<script>alert(1)") {
		t.Fatal("user data reached the page unescaped")
	}
}

func TestPagesInChinese(t *testing.T) {
	app := newTestApp(t)
	w := app.do(http.MethodGet, "/workbench/kb/suggestions?lang=zh", nil, "X-Test-Role", auth.RoleEditor)
	body := w.Body.String()
	if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "知识建议") {
		t.Fatal("?lang=zh did not give a Chinese page")
	}
	if !strings.Contains(w.Header().Get("Set-Cookie"), "baton_lang=zh") {
		t.Error("?lang=zh should be remembered in a cookie")
	}
}

// Every stylesheet, script and import-map entry a page names must be served.
func TestPageAssetsResolve(t *testing.T) {
	app := newTestApp(t)
	staticURL := regexp.MustCompile(`/static/[^"'\s]+`)
	pages := map[string]string{
		"/":                           "",
		"/login":                      "",
		"/workbench":                  auth.RoleAgent,
		"/workbench/conversations/c1": auth.RoleAgent,
		"/workbench/kb":               auth.RoleEditor,
		"/workbench/kb/articles/new":  auth.RoleEditor,
		"/workbench/kb/suggestions":   auth.RoleEditor,
		"/workbench/bot":              auth.RoleEditor,
	}
	for path, role := range pages {
		body := app.do(http.MethodGet, path, nil, "X-Test-Role", role).Body.String()
		if !strings.Contains(body, `<script type="importmap">`) {
			t.Errorf("%s has no import map", path)
		}
		for _, u := range staticURL.FindAllString(body, -1) {
			if w := app.do(http.MethodGet, u, nil); w.Code != http.StatusOK {
				t.Errorf("%s names %s, which answers %d", path, u, w.Code)
			}
		}
	}
}
