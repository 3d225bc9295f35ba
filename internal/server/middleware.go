package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/docs"
	"github.com/baton-cs/baton/internal/assets"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/migrations"
)

// requestLog logs method, path (never the query, which may carry search text) and status.
func (a *App) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		attrs := []any{"method", c.Request.Method, "path", c.FullPath(), "status", c.Writer.Status(),
			"ms", time.Since(start).Milliseconds()}
		if c.FullPath() == "" {
			attrs[3] = "(unmatched)"
		}
		// A request whose client went away fails on its cancelled context: not a server fault.
		if c.Writer.Status() == httpx.StatusClientClosedRequest || (len(c.Errors) > 0 && errors.Is(c.Request.Context().Err(), context.Canceled)) {
			a.Log.Info("request cancelled by the client", attrs...)
			return
		}
		if len(c.Errors) > 0 {
			a.Log.Error("request failed", append(attrs, "err", c.Errors.Last().Err)...)
			return
		}
		if c.FullPath() == "/healthz" || c.FullPath() == "/readyz" || strings.HasPrefix(c.Request.URL.Path, "/static/") {
			return
		}
		a.Log.Debug("request", attrs...)
	}
}

func (a *App) recovered(c *gin.Context, err any) {
	a.Log.Error("panic in handler", "path", c.FullPath(), "panic", fmt.Sprint(err))
	httpx.Error(c, http.StatusInternalServerError, "internal error")
}

// securityHeaders sets the browser protections every response carries. Only /chat may be framed,
// so a help centre can embed the widget; nothing else can be framed by another site.
func securityHeaders(static *assets.Assets) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if c.Request.URL.Path == "/chat" {
			h.Set("Content-Security-Policy", static.ContentSecurityPolicy("*"))
		} else {
			h.Set("X-Frame-Options", "DENY")
			h.Set("Content-Security-Policy", static.ContentSecurityPolicy("'none'"))
		}
		c.Next()
	}
}

// healthz is the process's liveness: 503 while the embedded database it owns is down (being
// restarted, or gone for good, when Baton is about to exit).
func (a *App) healthz(c *gin.Context) {
	if a.DB != nil && !a.DB.Embedded.Up() {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": "the embedded database is down"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz is ready when the database answers and no migration is pending.
func (a *App) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := a.DB.Pool.Ping(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": "database unreachable"})
		return
	}
	n, err := migrations.Pending(ctx, a.DB.Pool)
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": "cannot read schema version"})
		return
	}
	if n > 0 {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": fmt.Sprintf("%d migrations pending", n)})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", docs.OpenAPI)
}
