package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Behind a trusted reverse proxy, per-IP limits key on the client X-Forwarded-For names; from
// anyone else the header is ignored (it could be forged), so one address cannot pose as many.
func TestClientIPBehindATrustedProxy(t *testing.T) {
	login := func(ta *testApp, i int, forwardedFor string) int {
		req, err := http.NewRequest("POST", ta.URL+"/api/v1/auth/login",
			strings.NewReader(fmt.Sprintf(`{"email": "nobody%d@x.test", "password": "wrong"}`, i)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", forwardedFor)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}

	// untilLimited signs in as client(i) until the login limit (1/s, bursts of 10) answers 429,
	// and says after how many attempts (0: never, in 40).
	untilLimited := func(ta *testApp, client func(i int) string) int {
		for i := 0; i < 40; i++ {
			switch status := login(ta, i, client(i)); status {
			case 429:
				return i + 1
			case 401:
			default:
				t.Fatalf("sign-in answered %d", status)
			}
		}
		return 0
	}

	proxied := newTestApp(t, appOptions{trustedProxies: []string{"127.0.0.1/32", "::1"}})
	n := untilLimited(proxied, func(int) string { return "203.0.113.7" })
	require.Positive(t, n, "the same client is limited")
	require.GreaterOrEqual(t, n, 11, "after its burst")
	require.Equal(t, 401, login(proxied, 100, "203.0.113.8"), "another client behind the same proxy is not")

	direct := newTestApp(t, appOptions{})
	require.Positive(t, untilLimited(direct, func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }),
		"a forged header does not make a new client")
}
