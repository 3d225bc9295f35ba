package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/outbound"
)

// receiver is a fake system on the other end of Baton's deliveries (a messaging platform, a CRM):
// it checks every request's signature and keeps the bodies; it fails the first `fail` requests.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	fail   int
	got    []outbound.Body
	srv    *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if !outbound.Verify(r.secret, req.Header.Get(outbound.HeaderTimestamp), req.Header.Get(outbound.HeaderSignature), body, time.Now()) {
			t.Errorf("a delivery with a bad signature: %s", body)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var b outbound.Body
		require.NoError(t, json.Unmarshal(body, &b))
		require.Equal(t, b.Event, req.Header.Get(outbound.HeaderEvent))
		r.got = append(r.got, b)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// drain sends every due delivery, as the dispatcher would over a few ticks.
func drain(t *testing.T, d *outbound.Dispatcher) {
	t.Helper()
	for {
		n, err := d.RunOnce(context.Background())
		require.NoError(t, err)
		if n == 0 {
			return
		}
	}
}

func (r *receiver) bodies() []outbound.Body {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]outbound.Body(nil), r.got...)
}

// A messaging platform connected as a channel: its users' messages come in signed, go through the
// bot, the queue and the workbench like any other, and whatever is said to its users goes back to
// it, signed, retried when it fails. A CRM subscribed to webhooks hears of the conversation's
// creation, handoff and resolution.
func TestChannelAndWebhooks(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	admin := ta.user("admin@x.test", "admin")
	agent := ta.user("agent@x.test", "agent")
	disp := &outbound.Dispatcher{Pool: ta.DB.Pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Backoff: func(int) time.Duration { return 0 }}
	deliver := func() { drain(t, disp) }

	platform, crm := newReceiver(t), newReceiver(t)
	// Configuration: admins only, checked.
	ta.do("POST", "/api/v1/channels", agent, map[string]string{"name": "wechat", "outbound_url": platform.srv.URL}, 403, nil)
	ta.do("POST", "/api/v1/channels", admin, map[string]string{"name": "web", "outbound_url": platform.srv.URL}, 400, nil)
	ta.do("POST", "/api/v1/channels", admin, map[string]string{"name": "WeChat!", "outbound_url": platform.srv.URL}, 400, nil)
	ta.do("POST", "/api/v1/channels", admin, map[string]string{"name": "wechat", "outbound_url": "ftp://x"}, 400, nil)
	var ch struct{ Secret string }
	ta.do("POST", "/api/v1/channels", admin, map[string]string{"name": "wechat", "display_name": "WeChat", "outbound_url": platform.srv.URL}, 201, &ch)
	ta.do("POST", "/api/v1/channels", admin, map[string]string{"name": "wechat", "outbound_url": platform.srv.URL}, 409, nil)
	platform.secret = ch.Secret
	ta.do("POST", "/api/v1/webhooks", admin, map[string]any{"url": crm.srv.URL, "events": []string{"conversation.sold"}}, 400, nil)
	var wh struct {
		Webhook struct{ ID int64 }
		Secret  string
	}
	ta.do("POST", "/api/v1/webhooks", admin, map[string]any{"url": crm.srv.URL,
		"events": []string{"conversation.created", "conversation.handed_off", "conversation.resolved"}}, 201, &wh)
	crm.secret = wh.Secret
	var list struct{ Channels []map[string]any }
	ta.do("GET", "/api/v1/channels", admin, nil, 200, &list)
	require.Len(t, list.Channels, 1)
	require.NotContains(t, list.Channels[0], "secret", "a secret is shown once")

	// The platform posts its user's messages, signed.
	post := func(secret string, ts time.Time, msgID, text string) (int, map[string]any) {
		body, _ := json.Marshal(map[string]any{"user": map[string]string{"id": "openid-7", "name": "Wei"},
			"message": map[string]string{"id": msgID, "text": text}, "language": "zh"})
		req, _ := http.NewRequest("POST", ta.URL+"/api/v1/channels/wechat/inbound", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(outbound.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		req.Header.Set(outbound.HeaderSignature, outbound.Sign(secret, ts.Unix(), body))
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	status, _ := post("whsec_wrong", time.Now(), "m1", "退款多久到账")
	require.Equal(t, 401, status)
	status, _ = post(ch.Secret, time.Now().Add(-10*time.Minute), "m1", "退款多久到账")
	require.Equal(t, 401, status, "a replayed old request")
	ta.do("POST", "/api/v1/channels/nochannel/inbound", "", map[string]any{}, 404, nil)

	platform.fail = 1 // the platform is down for the first delivery
	status, first := post(ch.Secret, time.Now(), "m1", "退款多久到账")
	require.Equal(t, 200, status, first)
	conv := first["conversation_id"].(string)
	status, again := post(ch.Secret, time.Now(), "m1", "退款多久到账")
	require.Equal(t, 200, status)
	require.Equal(t, first["message"], again["message"], "a retried message is stored once")
	deliver()
	got := platform.bodies()
	require.Len(t, got, 1, "the bot's answer, delivered on the second attempt")
	var msg struct {
		ConversationID string `json:"conversation_id"`
		UserID         string `json:"user_id"`
		Message        struct {
			Sender, Text string
			Citations    []map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(got[0].Data, &msg))
	require.Equal(t, conv, msg.ConversationID)
	require.Equal(t, "openid-7", msg.UserID)
	require.Equal(t, "bot", msg.Message.Sender)
	require.Contains(t, msg.Message.Text, "退款")
	require.NotEmpty(t, msg.Message.Citations)
	var ds struct{ Deliveries []outbound.Delivery }
	ta.do("GET", "/api/v1/channels/wechat/deliveries", admin, nil, 200, &ds)
	require.Len(t, ds.Deliveries, 1)
	require.Equal(t, 2, ds.Deliveries[0].Attempts)
	require.NotNil(t, ds.Deliveries[0].DeliveredAt)

	// The same user again: the same conversation, in the workbench with its channel; a person
	// takes it and answers; their words and the system's lines go to the platform.
	status, _ = post(ch.Secret, time.Now(), "m2", "我要找人工客服")
	require.Equal(t, 200, status)
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, agent, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status)
	var full map[string]map[string]any
	ta.do("GET", "/api/v1/conversations/"+conv, agent, nil, 200, &full)
	require.Equal(t, "wechat", full["conversation"]["channel"])
	var queue struct {
		Items []struct {
			ConversationID string `json:"conversation_id"`
			Channel        string `json:"channel"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/queue", agent, nil, 200, &queue)
	require.Len(t, queue.Items, 1)
	require.Equal(t, "wechat", queue.Items[0].Channel, "the queue card names the channel")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "您好，我来帮您查退款"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)
	deliver()
	senders := []string{}
	texts := []string{}
	for _, b := range platform.bodies()[1:] {
		require.NoError(t, json.Unmarshal(b.Data, &msg))
		require.Equal(t, "openid-7", msg.UserID)
		senders = append(senders, msg.Message.Sender)
		texts = append(texts, msg.Message.Text)
	}
	require.Contains(t, senders, "agent")
	require.Contains(t, texts, "您好，我来帮您查退款")
	require.Contains(t, senders, "system", "joined and resolved lines")
	require.Contains(t, senders, "bot", "the bot's handoff line")

	// The CRM heard the conversation's life, once each, with its data.
	events := map[string]int{}
	for _, b := range crm.bodies() {
		events[b.Event]++
		require.Contains(t, string(b.Data), conv)
	}
	require.Equal(t, map[string]int{"conversation.created": 1, "conversation.handed_off": 1, "conversation.resolved": 1}, events)

	// A web conversation is not sent to the channel, but the CRM hears of it.
	before := len(platform.bodies())
	webConv, tok := ta.customer("en")
	ta.say(webConv, tok, "hello")
	deliver()
	require.Len(t, platform.bodies(), before)
	require.Len(t, crm.bodies(), 4, "one more conversation.created")

	// Deleting the webhook stops its deliveries.
	ta.do("DELETE", "/api/v1/webhooks/"+strconv.FormatInt(wh.Webhook.ID, 10), admin, nil, 204, nil)
	n := len(crm.bodies())
	ta.customer("en")
	deliver()
	require.Len(t, crm.bodies(), n)
}
