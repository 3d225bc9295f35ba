package workbench

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/auth"
)

// loginData is what the sign-in form shows again after a failed attempt.
type loginData struct {
	Email, Next string
	Error       string // an i18n key
}

// LoginForm serves GET /login; a signed-in user goes straight on.
func (p *Pages) LoginForm(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if sess, ok := auth.CurrentSession(c); ok {
		c.Redirect(http.StatusSeeOther, orHome(next, sess.User))
		return
	}
	p.renderLogin(c, http.StatusOK, loginData{Next: next})
}

// Login serves POST /login (email, password, next).
func (p *Pages) Login(c *gin.Context) {
	form := loginData{Email: c.PostForm("email"), Next: safeNext(c.PostForm("next"))}
	if !auth.SameOrigin(c.Request) {
		form.Error = "login.error_origin"
		p.renderLogin(c, http.StatusForbidden, form)
		return
	}
	token, sess, err := p.auth.Login(c.Request.Context(), form.Email, c.PostForm("password"))
	if err == nil {
		auth.NoteSignIn(c, form.Email, &sess)
	} else {
		auth.NoteSignIn(c, form.Email, nil)
	}
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		form.Error = "login.error"
		p.renderLogin(c, http.StatusUnauthorized, form)
		return
	case errors.Is(err, auth.ErrThrottled), errors.Is(err, auth.ErrBusy):
		status := http.StatusServiceUnavailable
		form.Error = "login.error_busy"
		if errors.Is(err, auth.ErrThrottled) {
			form.Error, status = "login.error_throttled", http.StatusTooManyRequests
		}
		c.Header("Retry-After", auth.RetryAfter(err))
		p.renderLogin(c, status, form)
		return
	case err != nil:
		_ = c.Error(err)
		form.Error = "login.error_server"
		p.renderLogin(c, http.StatusInternalServerError, form)
		return
	}
	auth.SetCookie(c, token, p.cookieSecure)
	c.Redirect(http.StatusSeeOther, orHome(form.Next, sess.User))
}

// Logout serves POST /logout; the Authenticate middleware has checked the form's _csrf.
func (p *Pages) Logout(c *gin.Context) {
	if !auth.SameOrigin(c.Request) || auth.CSRFFailed(c) {
		p.problem(c, http.StatusForbidden, "forbidden.title", "login.error_origin")
		return
	}
	if token, err := c.Cookie(auth.CookieName); err == nil && token != "" {
		if err := p.auth.Logout(c.Request.Context(), token); err != nil {
			_ = c.Error(err) // the cookie goes anyway
		}
	}
	auth.ClearCookie(c, p.cookieSecure)
	c.Redirect(http.StatusSeeOther, "/login")
}

func (p *Pages) renderLogin(c *gin.Context, status int, form loginData) {
	v := p.newView(c, "login.title")
	v.Data = form
	p.render(c, status, "login", v)
}

func orHome(next string, u auth.User) string {
	if next != "" {
		return next
	}
	return homeFor(u)
}
