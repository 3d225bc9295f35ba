package workbench

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/baton-cs/baton/internal/auth"
)

func withCannedPage(app *testApp) *testApp {
	app.router.GET("/workbench/canned", NewPages(app.static, nil, false).Canned)
	return app
}

// Agents and editors reach the canned responses; only editors and admins get the shared-response
// switch; the conversation page carries the reply box's canned menu and the context card's parts.
func TestCannedPageByRole(t *testing.T) {
	app := withCannedPage(newTestApp(t))
	tests := []struct {
		role          string
		status        int
		sharedControl bool
	}{
		{auth.RoleAgent, http.StatusOK, false},
		{auth.RoleEditor, http.StatusOK, true},
		{auth.RoleAdmin, http.StatusOK, true},
		{auth.RoleEvaluator, http.StatusForbidden, false},
	}
	for _, tt := range tests {
		w := app.do(http.MethodGet, "/workbench/canned", nil, "X-Test-Role", tt.role)
		if w.Code != tt.status {
			t.Fatalf("%s: status %d, want %d", tt.role, w.Code, tt.status)
		}
		body := w.Body.String()
		if got := strings.Contains(body, `data-testid="canned-personal"`); got != tt.sharedControl {
			t.Errorf("%s: personal/shared switch shown = %v", tt.role, got)
		}
		if tt.status == http.StatusOK && !strings.Contains(body, `href="/workbench/canned" aria-current="page"`) {
			t.Errorf("%s: the nav does not mark the canned page", tt.role)
		}
	}
	if w := app.do(http.MethodGet, "/workbench/canned", nil); w.Code != http.StatusSeeOther {
		t.Errorf("without a session: status %d, want 303", w.Code)
	}

	conv := app.do(http.MethodGet, "/workbench/conversations/c1", nil, "X-Test-Role", auth.RoleAgent).Body.String()
	for _, want := range []string{`data-testid="canned-menu"`, `data-testid="handoff-details"`, `data-testid="summary"`,
		`data-testid="suggested-articles"`, `data-testid="earlier-conversations"`, `href="/workbench/canned"`} {
		if !strings.Contains(conv, want) {
			t.Errorf("conversation page lacks %s", want)
		}
	}

	// Its assets resolve, in Chinese too.
	body := app.do(http.MethodGet, "/workbench/canned?lang=zh", nil, "X-Test-Role", auth.RoleEditor).Body.String()
	if !strings.Contains(body, "快捷回复") {
		t.Error("?lang=zh did not give a Chinese page")
	}
	for _, u := range regexp.MustCompile(`/static/[^"'\s]+`).FindAllString(body, -1) {
		if w := app.do(http.MethodGet, u, nil); w.Code != http.StatusOK {
			t.Errorf("the canned page names %s, which answers %d", u, w.Code)
		}
	}
}
