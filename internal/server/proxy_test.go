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

	proxied := newTestApp(t, appOptions{trustedProxies: []string{"127.0.0.1/32", "::1"}})
	for i := 0; i < 10; i++ {
		require.Equal(t, 401, login(proxied, i, "203.0.113.7"))
	}
	require.Equal(t, 429, login(proxied, 10, "203.0.113.7"), "the same client, over the login burst")
	require.Equal(t, 401, login(proxied, 11, "203.0.113.8"), "another client behind the same proxy")

	direct := newTestApp(t, appOptions{})
	for i := 0; i < 10; i++ {
		require.Equal(t, 401, login(direct, i, fmt.Sprintf("198.51.100.%d", i)))
	}
	require.Equal(t, 429, login(direct, 10, "198.51.100.99"), "a forged header does not make a new client")
}
