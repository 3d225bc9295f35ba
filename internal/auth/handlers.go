package auth

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

type loginIn struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// LoginAPI exchanges an email and password for a bearer token.
func (s *Service) LoginAPI(c *gin.Context) {
	var in loginIn
	if !httpx.BindJSON(c, &in, 4<<10) {
		return
	}
	if in.Email == "" || in.Password == "" {
		httpx.Error(c, http.StatusBadRequest, "email and password are required")
		return
	}
	token, sess, err := s.Login(c.Request.Context(), in.Email, in.Password)
	if err == nil {
		NoteSignIn(c, in.Email, &sess)
	} else {
		NoteSignIn(c, in.Email, nil)
	}
	switch {
	case errors.Is(err, ErrBadCredentials):
		httpx.Error(c, http.StatusUnauthorized, "wrong email or password")
		return
	case errors.Is(err, ErrThrottled):
		c.Header("Retry-After", RetryAfter(err))
		httpx.Error(c, http.StatusTooManyRequests, "too many wrong passwords for this account; try again later")
		return
	case errors.Is(err, ErrBusy):
		c.Header("Retry-After", RetryAfter(err))
		httpx.Error(c, http.StatusServiceUnavailable, "too many sign-ins at once; try again in a moment")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "user": sess.User, "expires_at": sess.ExpiresAt})
}

// LogoutAPI ends the session the bearer token (or cookie) belongs to.
func (s *Service) LogoutAPI(c *gin.Context) {
	token := BearerToken(c)
	if token == "" {
		token, _ = c.Cookie(CookieName)
	}
	if err := s.Logout(c.Request.Context(), token); err != nil {
		httpx.Internal(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Me returns the signed-in user.
func (s *Service) Me(c *gin.Context) {
	u, _ := CurrentUser(c)
	c.JSON(http.StatusOK, gin.H{"user": u})
}
