package httpx

import (
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

// RejectNUL answers 400 to a request whose path, query or form holds a NUL character (%00), before
// any handler sees it; JSON bodies are checked by BindJSON.
func RejectNUL() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		bad := strings.IndexByte(r.URL.Path, 0) >= 0 || HasNUL(map[string][]string(r.URL.Query()))
		if !bad && r.Method != http.MethodGet && c.ContentType() == "application/x-www-form-urlencoded" {
			if err := r.ParseForm(); err == nil {
				bad = HasNUL(map[string][]string(r.PostForm))
			}
		}
		if bad {
			Error(c, http.StatusBadRequest, NULMessage)
			return
		}
		c.Next()
	}
}
