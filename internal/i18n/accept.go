package i18n

import (
	"strconv"
	"strings"
)

// FromAcceptLanguage picks the supported language the browser ranks highest (by q, then by order),
// or English. Hand-parsed because any zh-* (zh-TW too) should get the Chinese UI.
func FromAcceptLanguage(header string) string {
	best, bestQ := English, 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		lang, ok := Parse(tag)
		if !ok {
			continue
		}
		q := 1.0
		if v, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}
