// Package httpx holds the small HTTP helpers every surface shares: JSON errors, bounded JSON
// bodies and per-client rate limits.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// MaxBody is the largest JSON body a normal endpoint reads.
const MaxBody = 64 << 10

// Error writes {"error": msg} with status and stops the handler chain.
func Error(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, gin.H{"error": msg})
}

// Errorf is Error with formatting.
func Errorf(c *gin.Context, status int, format string, args ...any) {
	Error(c, status, fmt.Sprintf(format, args...))
}

// StatusClientClosedRequest is the status recorded for a request whose client went away before
// the answer (nginx's 499): nothing failed on the server's side.
const StatusClientClosedRequest = 499

// Internal logs err (never user text) and answers 500 without details. When the client has gone
// away (its request's context is cancelled, so the error is most likely that cancellation), it
// records 499 instead and no error: a closed browser tab is not a server fault.
func Internal(c *gin.Context, err error) {
	if errors.Is(c.Request.Context().Err(), context.Canceled) {
		c.AbortWithStatus(StatusClientClosedRequest)
		return
	}
	_ = c.Error(err)
	Error(c, http.StatusInternalServerError, "internal error")
}

// BindJSON decodes a JSON body of at most limit bytes into v, rejecting unknown fields, trailing
// data and NUL characters in its strings. On failure it has already answered 400 or 413 and returns false.
func BindJSON(c *gin.Context, v any, limit int64) bool {
	if limit <= 0 {
		limit = MaxBody
	}
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		Error(c, http.StatusUnsupportedMediaType, "body must be application/json")
		return false
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			Errorf(c, http.StatusRequestEntityTooLarge, "body larger than %d bytes", limit)
		case errors.Is(err, io.EOF):
			Error(c, http.StatusBadRequest, "body must be a JSON object")
		default:
			Errorf(c, http.StatusBadRequest, "invalid JSON body: %s", cleanJSONError(err))
		}
		return false
	}
	if dec.More() {
		Error(c, http.StatusBadRequest, "invalid JSON body: trailing data after the object")
		return false
	}
	if HasNUL(v) {
		Error(c, http.StatusBadRequest, NULMessage)
		return false
	}
	return true
}

func cleanJSONError(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}
