package workbench

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/baton-cs/baton/internal/auth"
)

func TestBotPageAccess(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		role     string
		status   int
		location string
		contains string
	}{
		{"", http.StatusSeeOther, "/login?next=" + url.QueryEscape("/workbench/bot"), ""},
		{auth.RoleAgent, http.StatusForbidden, "", `data-testid="problem"`},
		{auth.RoleEvaluator, http.StatusForbidden, "", `data-testid="problem"`},
		{auth.RoleEditor, http.StatusOK, "", `data-testid="yaml-source"`},
		{auth.RoleAdmin, http.StatusOK, "", `data-testid="intent-list"`},
	}
	for _, tt := range tests {
		t.Run("role "+tt.role, func(t *testing.T) {
			w := app.do(http.MethodGet, "/workbench/bot", nil, "X-Test-Role", tt.role)
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

func TestBotPageShellAndNav(t *testing.T) {
	app := newTestApp(t)
	body := app.do(http.MethodGet, "/workbench/bot", nil, "X-Test-Role", auth.RoleEditor).Body.String()
	for _, want := range []string{
		`href="/workbench/bot" aria-current="page"`,
		`data-testid="try-text"`,
		`data-testid="yaml-validate"`,
		`data-testid="version-list"`,
		`/static/bot.`, // the page's module, content-hashed
	} {
		if !strings.Contains(body, want) {
			t.Errorf("bot page lacks %s", want)
		}
	}
	// Editors find the page from any workbench page; agents are not offered it.
	if kb := app.do(http.MethodGet, "/workbench/kb", nil, "X-Test-Role", auth.RoleEditor).Body.String(); !strings.Contains(kb, `data-testid="nav-bot"`) {
		t.Error("the editor's nav lacks the bot page")
	}
	if q := app.do(http.MethodGet, "/workbench", nil, "X-Test-Role", auth.RoleAgent).Body.String(); strings.Contains(q, `href="/workbench/bot"`) {
		t.Error("an agent's nav must not offer the bot page")
	}
	zh := app.do(http.MethodGet, "/workbench/bot?lang=zh", nil, "X-Test-Role", auth.RoleEditor).Body.String()
	if !strings.Contains(zh, "<h1>机器人</h1>") {
		t.Error("?lang=zh did not give the Chinese bot page")
	}
}
