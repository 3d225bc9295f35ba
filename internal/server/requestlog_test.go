package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/httpx"
)

// A request the browser cancelled (a closed tab, a navigation) is no server error: it is logged
// as the client's cancellation, at INFO, with 499; a real failure is still an ERROR with 500.
func TestCancelledRequestIsNoError(t *testing.T) {
	var buf bytes.Buffer
	a := &App{Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(a.requestLog())
	r.GET("/x", func(c *gin.Context) {
		if err := c.Request.Context().Err(); err != nil {
			httpx.Internal(c, err) // what a query on the cancelled context returns
			return
		}
		httpx.Internal(c, errors.New("disk on fire"))
	})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil).WithContext(ctx))
	require.Equal(t, httpx.StatusClientClosedRequest, w.Code)
	require.NotContains(t, buf.String(), "level=ERROR")
	require.Contains(t, buf.String(), "request cancelled by the client")
	require.Contains(t, buf.String(), "status=499")

	buf.Reset()
	w = httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.Contains(t, buf.String(), "level=ERROR")
	require.Contains(t, buf.String(), "disk on fire")
}
