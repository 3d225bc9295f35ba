package httpx

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
)

// NULMessage is the error a request with a NUL character gets: Postgres cannot store one in text.
const NULMessage = "text must not contain NUL characters (\\u0000)"

// HasNUL reports whether any string reachable from v (through pointers, interfaces, structs,
// slices, arrays and maps, keys included) holds a NUL character.
func HasNUL(v any) bool {
	return hasNUL(reflect.ValueOf(v), 0)
}

func hasNUL(v reflect.Value, depth int) bool {
	if depth > 32 || !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return strings.IndexByte(v.String(), 0) >= 0
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && hasNUL(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && hasNUL(v.Field(i), depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return false // raw bytes (json.RawMessage): checked where they are decoded
		}
		for i := 0; i < v.Len(); i++ {
			if hasNUL(v.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if hasNUL(it.Key(), depth+1) || hasNUL(it.Value(), depth+1) {
				return true
			}
		}
	}
	return false
}

// maxFormPeek is how much of a form body RejectNUL reads to look for a NUL: the workbench's forms
// are far smaller; a larger body (an upload sent with curl's default form content type) is passed
// on untouched and unread.
const maxFormPeek = 64 << 10

// RejectNUL answers 400 to a request whose path, query or form holds a NUL character (%00), before
// any handler sees it; JSON bodies are checked by BindJSON. A form body is read (up to
// maxFormPeek) without being consumed: the handler gets it whole.
func RejectNUL() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		bad := strings.IndexByte(r.URL.Path, 0) >= 0 || HasNUL(map[string][]string(r.URL.Query()))
		if !bad && r.Body != nil && r.Method != http.MethodGet && c.ContentType() == "application/x-www-form-urlencoded" {
			peek, err := io.ReadAll(io.LimitReader(r.Body, maxFormPeek+1))
			if err == nil && len(peek) <= maxFormPeek {
				bad = bytes.IndexByte(peek, 0) >= 0 || bytes.Contains(peek, []byte("%00"))
			}
			r.Body = readCloser{io.MultiReader(bytes.NewReader(peek), r.Body), r.Body}
		}
		if bad {
			Error(c, http.StatusBadRequest, NULMessage)
			return
		}
		c.Next()
	}
}

// readCloser reads from r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (rc readCloser) Close() error { return rc.c.Close() }
