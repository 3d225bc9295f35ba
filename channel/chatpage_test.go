package channel

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/assets"
)

func chatRouter(t *testing.T) *gin.Engine {
	t.Helper()
	gin.SetMode(gin.TestMode)
	static, err := assets.New(StaticFS)
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	r.GET("/chat", ChatPage(static))
	r.GET("/static/*file", static.Handler())
	return r
}

func getChat(r http.Handler, target, acceptLanguage string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestChatPage(t *testing.T) {
	r := chatRouter(t)
	w := getChat(r, "/chat", "zh-CN,zh;q=0.9")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`<html lang="zh-CN">`, "转人工", "发送",
		`data-testid="chat-input"`, `data-testid="chat-send"`, `data-testid="chat-messages"`,
		`data-testid="chat-status"`, `data-testid="handoff-button"`, `data-testid="lang-switch"`,
		`href="/chat?lang=en"`, `<script type="importmap">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("chat page lacks %s", want)
		}
	}
	if en := getChat(r, "/chat?lang=en", "zh-CN").Body.String(); !strings.Contains(en, "Talk to a person") {
		t.Error("?lang=en should win over Accept-Language")
	}
}

func TestChatPageAssetsResolve(t *testing.T) {
	r := chatRouter(t)
	body := getChat(r, "/chat", "en").Body.String()
	urls := regexp.MustCompile(`/static/[^"'\s]+`).FindAllString(body, -1)
	if len(urls) < 5 {
		t.Fatalf("only %d static URLs on the page", len(urls))
	}
	for _, u := range urls {
		if w := getChat(r, u, ""); w.Code != http.StatusOK {
			t.Errorf("%s answers %d", u, w.Code)
		}
	}
}
