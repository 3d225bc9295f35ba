package workbench

import (
	"strings"
	"testing"
)

// Every page an agent opens carries the notifications bell's module (it keeps their
// notifications and new assignments live); editors, who take no conversations, get none.
func TestNotificationsModuleOnAgentPagesOnly(t *testing.T) {
	app := newTestApp(t)
	notify := app.static.URL("notify.js")
	if notify == "" || !strings.Contains(notify, "notify") {
		t.Fatalf("no hashed URL for notify.js: %q", notify)
	}
	for _, tc := range []struct {
		role, path string
		want       bool
	}{
		{"agent", "/workbench", true},
		{"agent", "/workbench/conversations/c-123", true},
		{"admin", "/workbench/kb", true},
		{"editor", "/workbench/kb", false},
		{"editor", "/workbench/bot", false},
	} {
		w := app.do("GET", tc.path, nil, "X-Test-Role", tc.role)
		if w.Code != 200 {
			t.Fatalf("%s %s: status %d", tc.role, tc.path, w.Code)
		}
		if got := strings.Contains(w.Body.String(), `src="`+notify+`"`); got != tc.want {
			t.Errorf("%s %s: notify.js included = %v, want %v", tc.role, tc.path, got, tc.want)
		}
	}
}
