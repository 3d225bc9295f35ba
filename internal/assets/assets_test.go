package assets

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
)

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"chat.js":       {Data: []byte("console.log('chat')\n")},
		"chat.css":      {Data: []byte("body{margin:0}\n")},
		"img/logo.svg":  {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
		"data/raw.blob": {Data: []byte("\x00\x01binary")},
	}
}

func newServer(t *testing.T, fsys fstest.MapFS) (*Assets, *gin.Engine) {
	t.Helper()
	a, err := New(fsys)
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.GET("/static/*file", a.Handler())
	r.HEAD("/static/*file", a.Handler())
	return a, r
}

func get(r http.Handler, url string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestURLCarriesContentHash(t *testing.T) {
	a, _ := newServer(t, testFS())
	u := a.URL("chat.js")
	if !regexp.MustCompile(`^/static/chat\.[0-9a-f]{8}\.js$`).MatchString(u) {
		t.Fatalf("URL(chat.js) = %q", u)
	}
	if got := a.URL("img/logo.svg"); !regexp.MustCompile(`^/static/img/logo\.[0-9a-f]{8}\.svg$`).MatchString(got) {
		t.Fatalf("URL(img/logo.svg) = %q", got)
	}

	changed := testFS()
	changed["chat.js"] = &fstest.MapFile{Data: []byte("console.log('chat v2')\n")}
	b, _ := newServer(t, changed)
	if b.URL("chat.js") == u {
		t.Fatal("changing a file must change its URL")
	}
	if b.URL("chat.css") != a.URL("chat.css") {
		t.Fatal("an unchanged file must keep its URL")
	}
}

func TestServeHashedFile(t *testing.T) {
	a, r := newServer(t, testFS())
	tests := []struct {
		name, contentType string
	}{
		{"chat.js", "text/javascript; charset=utf-8"},
		{"chat.css", "text/css; charset=utf-8"},
		{"img/logo.svg", "image/svg+xml"},
		{"data/raw.blob", "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(r, a.URL(tt.name))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if got := w.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("Cache-Control = %q", cc)
			}
			if w.Body.String() != string(testFS()[tt.name].Data) {
				t.Errorf("body = %q", w.Body.String())
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	a, r := newServer(t, testFS())
	etag := get(r, a.URL("chat.js")).Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := get(r, a.URL("chat.js"), "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match: status %d, want 304", w.Code)
	}
}

func TestUnknownOrStaleNamesAre404(t *testing.T) {
	a, r := newServer(t, testFS())
	for _, u := range []string{
		"/static/chat.js",          // plain name: never served, or it would be cached under a stable URL
		"/static/chat.00000000.js", // stale hash from an older build
		"/static/nope.12345678.js",
		"/static/../assets.go",
		a.URL("missing.js"),
	} {
		w := get(r, u)
		if w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", u, w.Code)
		}
		if strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("%s: a 404 must not be cached forever", u)
		}
	}
}

func TestImportMapAndCSP(t *testing.T) {
	a, _ := newServer(t, testFS())
	tag := string(a.ImportMap())
	want := `<script type="importmap">{"imports":{"baton/chat.js":"` + a.URL("chat.js") + `"}}</script>`
	if tag != want {
		t.Fatalf("ImportMap = %s\nwant        %s", tag, want)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(tag, `<script type="importmap">`), `</script>`)
	sum := sha256.Sum256([]byte(body))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	csp := a.ContentSecurityPolicy("'none'")
	if !strings.Contains(csp, "script-src 'self' "+hash) || !strings.HasSuffix(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP %q does not allow the import map %s", csp, hash)
	}
}
