package workbench

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/baton-cs/baton/internal/auth"
)

// The supervisor page is for supervisors and admins; agents get a 403 page and no nav link, and
// only admins get the button that saves SLA targets.
func TestSupervisorPageByRole(t *testing.T) {
	app := newTestApp(t)
	p := NewPages(app.static, nil, false)
	app.router.GET("/workbench/supervisor", p.Supervisor)

	if w := app.do(http.MethodGet, "/workbench/supervisor", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("no session: status %d, want 303 to the sign-in page", w.Code)
	}
	for _, role := range []string{auth.RoleAgent, auth.RoleEditor, auth.RoleEvaluator} {
		w := app.do(http.MethodGet, "/workbench/supervisor", nil, "X-Test-Role", role)
		if w.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", role, w.Code)
		}
	}
	agentQueue := app.do(http.MethodGet, "/workbench", nil, "X-Test-Role", auth.RoleAgent).Body.String()
	if strings.Contains(agentQueue, `data-testid="nav-supervisor"`) {
		t.Error("an agent's nav must not offer the supervisor view")
	}
	supQueue := app.do(http.MethodGet, "/workbench", nil, "X-Test-Role", auth.RoleSupervisor)
	if supQueue.Code != http.StatusOK || !strings.Contains(supQueue.Body.String(), `data-testid="nav-supervisor"`) {
		t.Errorf("a supervisor works the queue too and sees the supervisor link (status %d)", supQueue.Code)
	}

	staticURL := regexp.MustCompile(`/static/[^"'\s]+`)
	for role, admin := range map[string]bool{auth.RoleSupervisor: false, auth.RoleAdmin: true} {
		w := app.do(http.MethodGet, "/workbench/supervisor?lang=zh", nil, "X-Test-Role", role)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", role, w.Code)
		}
		for _, want := range []string{`data-testid="sup-queues"`, `data-testid="sup-agents"`, `data-testid="sup-conversations"`,
			`href="/workbench/supervisor" aria-current="page"`, "主管视图", "最长等待"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %s", role, want)
			}
		}
		if got := strings.Contains(body, `data-testid="sla-save"`); got != admin {
			t.Errorf("%s: SLA save button shown = %v, want %v", role, got, admin)
		}
		for _, u := range staticURL.FindAllString(body, -1) {
			if w := app.do(http.MethodGet, u, nil); w.Code != http.StatusOK {
				t.Errorf("the page names %s, which answers %d", u, w.Code)
			}
		}
	}
}
