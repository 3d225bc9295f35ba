package server

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// Wrong passwords for one account are throttled whatever IP they come from: after five, even the
// right password is refused with 429 and Retry-After until the window passes; other accounts sign
// in as usual.
func TestLoginThrottledPerAccount(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ta.user("ann@x.test", "agent")
	ta.user("bob@x.test", "agent")

	for i := 0; i < 5; i++ {
		ta.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ann@x.test", "password": "wrong-" + strconv.Itoa(i)}, 401, nil)
	}
	status, h, b := ta.send("POST", "/api/v1/auth/login", "", "application/json", []byte(`{"email": "Ann@x.test", "password": "password-123"}`))
	require.Equal(t, 429, status, string(b))
	require.Contains(t, string(b), "too many wrong passwords")
	secs, err := strconv.Atoi(h.Get("Retry-After"))
	require.NoError(t, err)
	require.Greater(t, secs, 60)

	var out struct{ Token string }
	ta.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "bob@x.test", "password": "password-123"}, 200, &out)
	require.NotEmpty(t, out.Token)
}
