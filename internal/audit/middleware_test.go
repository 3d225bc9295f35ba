package audit

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// An entry names what the request acted on from the route: the first parameter, and the kind of
// thing it is from the segment before it, singular.
func TestTargetFromRoute(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cases := []struct{ pattern, path, typ, id string }{
		{"/api/v1/conversations/:id/claim", "/api/v1/conversations/c-1/claim", "conversation", "c-1"},
		{"/api/v1/kb/articles/:id/versions/:n/restore", "/api/v1/kb/articles/7/versions/2/restore", "article", "7"},
		{"/api/v1/canned-responses/:id", "/api/v1/canned-responses/3", "canned_response", "3"},
		{"/api/v1/notifications/:nid/read", "/api/v1/notifications/9/read", "notification", "9"},
		{"/api/v1/channels/:name", "/api/v1/channels/line", "channel", "line"},
		{"/api/v1/sla", "/api/v1/sla", "", ""},
	}
	for _, tc := range cases {
		r := gin.New()
		var typ, id string
		r.PUT(tc.pattern, func(c *gin.Context) { typ, id = targetFromRoute(c) })
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPut, tc.path, nil))
		if typ != tc.typ || id != tc.id {
			t.Errorf("%s: got %s:%s, want %s:%s", tc.path, typ, id, tc.typ, tc.id)
		}
	}
}

func TestActionFor(t *testing.T) {
	if got := ActionFor("POST", "/api/v1/conversations/:id/claim"); got != "conversation.claim" {
		t.Errorf("named route: %q", got)
	}
	if got := ActionFor("PATCH", "/api/v1/something/:id"); got != "PATCH /api/v1/something/:id" {
		t.Errorf("unnamed route: %q", got)
	}
}

// A spreadsheet never reads a cell as a formula.
func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=cmd()": "'=cmd()", "+1": "'+1", "ok": "ok", "": ""} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
