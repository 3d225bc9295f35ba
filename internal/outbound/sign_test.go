package outbound

import (
	"strconv"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"user":{"id":"u1"},"message":{"id":"m1","text":"hi"}}`)
	ts := now.Unix()
	sig := Sign("s3cret", ts, body)
	for _, tc := range []struct {
		name   string
		secret string
		ts     string
		sig    string
		body   []byte
		want   bool
	}{
		{"good", "s3cret", strconv.FormatInt(ts, 10), sig, body, true},
		{"wrong secret", "other", strconv.FormatInt(ts, 10), sig, body, false},
		{"body changed", "s3cret", strconv.FormatInt(ts, 10), sig, append([]byte(nil), append(body, ' ')...), false},
		{"timestamp changed", "s3cret", strconv.FormatInt(ts+1, 10), sig, body, false},
		{"replayed 6 minutes later", "s3cret", strconv.FormatInt(ts, 10), sig, body, false},
		{"no timestamp", "s3cret", "", sig, body, false},
		{"no signature", "s3cret", strconv.FormatInt(ts, 10), "", body, false},
	} {
		at := now
		if tc.name == "replayed 6 minutes later" {
			at = now.Add(6 * time.Minute)
		}
		if got := Verify(tc.secret, tc.ts, tc.sig, tc.body, at); got != tc.want {
			t.Errorf("%s: Verify = %v, want %v", tc.name, got, tc.want)
		}
	}
}
