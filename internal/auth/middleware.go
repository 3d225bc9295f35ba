package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// CookieName is the workbench session cookie.
const CookieName = "baton_session"

const ctxSession = "baton.session"

// BearerToken returns the token of an "Authorization: Bearer …" header.
func BearerToken(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// Authenticate loads the staff session from the bearer token or the cookie, if any. A request
// that rides on the cookie and changes something must also carry the session's CSRF token in
// the X-CSRF-Token header (or a _csrf form field) and come from this origin; Require enforces it,
// so public endpoints are unaffected by a staff cookie the browser happens to send.
func (s *Service) Authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		token := BearerToken(c)
		viaCookie := false
		if token == "" {
			if ck, err := c.Cookie(CookieName); err == nil {
				token, viaCookie = ck, true
			}
		}
		if token == "" || !strings.HasPrefix(token, TokenPrefix) {
			c.Next()
			return
		}
		sess, err := s.SessionByToken(c.Request.Context(), token)
		if err != nil {
			if !errors.Is(err, ErrNoSession) {
				httpx.Internal(c, err)
				return
			}
			c.Next()
			return
		}
		if viaCookie && !safeMethod(c.Request.Method) {
			sent := c.GetHeader("X-CSRF-Token")
			if sent == "" {
				sent = c.PostForm("_csrf")
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(sess.CSRFToken)) != 1 || !SameOrigin(c.Request) {
				c.Set(ctxCSRFFailed, true)
			}
		}
		c.Set(ctxSession, sess)
		c.Next()
	}
}

const ctxCSRFFailed = "baton.csrf_failed"

// CSRFFailed reports whether a cookie request that changes something lacked a valid CSRF token.
func CSRFFailed(c *gin.Context) bool { return c.GetBool(ctxCSRFFailed) }

// CurrentSession returns the request's staff session, if signed in.
func CurrentSession(c *gin.Context) (Session, bool) {
	v, ok := c.Get(ctxSession)
	if !ok {
		return Session{}, false
	}
	s, ok := v.(Session)
	return s, ok
}

// CurrentUser returns the signed-in staff user, if any.
func CurrentUser(c *gin.Context) (User, bool) {
	s, ok := CurrentSession(c)
	return s.User, ok
}

// Require answers 401 without a staff session and 403 when the user has none of roles.
func Require(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(ctxStaffRoute, true)
		u, ok := CurrentUser(c)
		if !ok {
			httpx.Error(c, http.StatusUnauthorized, "sign in first: staff endpoints need a bearer token or session")
			return
		}
		if CSRFFailed(c) {
			httpx.Error(c, http.StatusForbidden, "missing or wrong CSRF token")
			return
		}
		if len(roles) > 0 && !u.Can(roles...) {
			httpx.Errorf(c, http.StatusForbidden, "your role (%s) may not do this", u.Role)
			return
		}
		c.Next()
	}
}

const (
	ctxStaffRoute   = "baton.staff_route"
	ctxSignInEmail  = "baton.sign_in_email"
	ctxSignInResult = "baton.sign_in"
)

// StaffRoute reports whether the request went to a staff route (one behind Require), whatever
// Require answered: the audit log records what signed-in staff do there.
func StaffRoute(c *gin.Context) bool { return c.GetBool(ctxStaffRoute) }

// NoteSignIn records, for the audit log, a sign-in attempt with email and whether it succeeded
// (sess is the new session then). The password is never kept.
func NoteSignIn(c *gin.Context, email string, sess *Session) {
	c.Set(ctxSignInEmail, email)
	if sess != nil {
		c.Set(ctxSignInResult, *sess)
	}
}

// SignInAttempt returns the e-mail a sign-in on this request tried, and the session it started
// (ok false when it failed).
func SignInAttempt(c *gin.Context) (email string, sess Session, ok bool) {
	email = c.GetString(ctxSignInEmail)
	v, found := c.Get(ctxSignInResult)
	if found {
		sess, ok = v.(Session)
	}
	return email, sess, ok
}

// SetCookie stores the session token in the browser: HttpOnly, SameSite=Lax, Secure unless disabled.
func SetCookie(c *gin.Context, token string, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: CookieName, Value: token, Path: "/", MaxAge: int(SessionTTL.Seconds()),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearCookie removes the session cookie.
func ClearCookie(c *gin.Context, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// SameOrigin accepts requests whose Origin (or Referer) names this host, or that name none.
func SameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		o = r.Header.Get("Referer")
	}
	if o == "" || o == "null" {
		return o == ""
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}
