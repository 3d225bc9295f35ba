package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/channel"
)

// Sockets on one conversation, and from one address, are capped: one more is refused with 429
// before the upgrade, and closing one makes room. Every open socket still gets each new message.
func TestConversationSocketCaps(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	conv, tok := ta.customer("en")
	ta.say(conv, tok, "hello")
	dial := func(conv string) (*websocket.Conn, int) {
		u := "ws" + strings.TrimPrefix(ta.URL, "http") + "/api/v1/conversations/" + conv + "/ws?after=2"
		ws, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Origin": {"https://customer-site.example"}})
		if err != nil {
			require.NotNil(t, resp, err)
			resp.Body.Close()
			return nil, resp.StatusCode
		}
		resp.Body.Close()
		return ws, resp.StatusCode
	}

	var open []*websocket.Conn
	defer func() {
		for _, ws := range open {
			ws.Close()
		}
	}()
	for i := 0; i < channel.DefaultMaxPerConversation; i++ {
		open = append(open, ta.dialConv(conv, tok, 2))
	}
	_, status := dial(conv)
	require.Equal(t, http.StatusTooManyRequests, status, "one socket more than the cap")

	// Every one of them gets the next turn's messages.
	ta.say(conv, tok, "how long does shipping take")
	for _, ws := range open {
		require.Equal(t, int64(3), nextMessage(t, ws).Seq)
		require.Equal(t, int64(4), nextMessage(t, ws).Seq)
	}

	open[0].Close()
	open = open[1:]
	require.Eventually(t, func() bool {
		ws, status := dial(conv)
		if ws != nil {
			open = append(open, ws)
		}
		return status == http.StatusSwitchingProtocols
	}, 10*time.Second, 50*time.Millisecond, "room again once a socket closed")

	// From one address: other conversations fill up to the per-address cap (paced: the public
	// API's request rate limit is per address too).
	for len(open) < channel.DefaultMaxPerIP {
		time.Sleep(20 * time.Millisecond)
		other, otherTok := ta.customer("en")
		for i := 0; i < channel.DefaultMaxPerConversation && len(open) < channel.DefaultMaxPerIP; i++ {
			time.Sleep(5 * time.Millisecond)
			open = append(open, ta.dialConv(other, otherTok, 0))
		}
	}
	time.Sleep(20 * time.Millisecond)
	last, _ := ta.customer("en")
	_, status = dial(last)
	require.Equal(t, http.StatusTooManyRequests, status, "one socket more than the per-address cap")
}
