package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/channel"
	"github.com/baton-cs/baton/internal/outbound"
)

// fakeSMTP is a mail server that keeps what it is given.
type fakeSMTP struct {
	ln   net.Listener
	mu   sync.Mutex
	mail []*mail.Message
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &fakeSMTP{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(s string) { _, _ = io.WriteString(conn, s+"\r\n") }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-fake")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go ahead")
			var data bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m, err := mail.ReadMessage(&data)
			if err == nil {
				f.mu.Lock()
				f.mail = append(f.mail, m)
				f.mu.Unlock()
			}
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default: // MAIL, RCPT, RSET, NOOP
			say("250 ok")
		}
	}
}

func (f *fakeSMTP) sent() []*mail.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*mail.Message(nil), f.mail...)
}

func body(t *testing.T, m *mail.Message) string {
	b, err := io.ReadAll(m.Body) // quoted-printable: the mail package leaves it encoded
	require.NoError(t, err)
	dec, err := io.ReadAll(quotedPrintable(b))
	require.NoError(t, err)
	return string(dec)
}

// The e-mail channel against a fake mail provider: inbound mail arrives in the provider's
// inbound-parse form, opens or joins a conversation by its thread, goes through the bot and the
// queue; answers go out by SMTP in the same thread, and the customer's reply to them finds the
// conversation again.
func TestEmailChannel(t *testing.T) {
	smtpd := newFakeSMTP(t)
	const token = "inbound-token-0123456789"
	ta := newTestApp(t, appOptions{demo: true, emailToken: token, smtpAddr: smtpd.ln.Addr().String(), emailFrom: "Shop Support <support@shop.example>"})
	agent := ta.user("agent@x.test", "agent")
	disp := &outbound.Dispatcher{Pool: ta.DB.Pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Mail: Mailer(ta.Config, ta.DB.Pool)}
	deliver := func() { drain(t, disp) }
	inbound := func(tok string, fields map[string]string) (int, map[string]any) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range fields {
			require.NoError(t, w.WriteField(k, v))
		}
		require.NoError(t, w.Close())
		req, _ := http.NewRequest("POST", ta.URL+"/api/v1/email/inbound?token="+tok, &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		out := map[string]any{}
		_ = jsonDecode(res.Body, &out)
		return res.StatusCode, out
	}
	first := map[string]string{"from": "Wei Zhang <Wei@Example.com>", "to": "support@shop.example", "subject": "退款问题",
		"text": "退款多久到账", "headers": "Message-ID: <m1@mail.example.com>\r\nSubject: =?UTF-8?B?6YCA5qy+?=\r\n"}
	status, _ := inbound("wrong", first)
	require.Equal(t, 401, status)
	status, got := inbound(token, first)
	require.Equal(t, 200, status, got)
	conv := got["conversation_id"].(string)
	status, again := inbound(token, first) // the provider retries
	require.Equal(t, 200, status)
	require.Equal(t, got["message"], again["message"], "stored once")

	deliver()
	sent := smtpd.sent()
	require.Len(t, sent, 1)
	m := sent[0]
	require.Equal(t, "wei@example.com", addr(t, m.Header.Get("To")))
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	require.Equal(t, "Re: 退款问题", subject)
	require.Equal(t, "<m1@mail.example.com>", m.Header.Get("In-Reply-To"))
	require.Contains(t, body(t, m), "退款")
	ours := m.Header.Get("Message-ID")
	require.NotEmpty(t, ours)

	// The customer answers our mail, quoting it: the same conversation, without the quote; they
	// want a person, who answers by mail too.
	status, got = inbound(token, map[string]string{"from": "wei@example.com", "subject": "Re: 退款问题",
		"text":    "还是没到账，我要人工客服\n\n在 2026年12月6日 周日 10:00，Shop Support <support@shop.example> 写道：\n> 退款一般 3-5 个工作日到账",
		"headers": "Message-ID: <m2@mail.example.com>\r\nIn-Reply-To: " + ours + "\r\nReferences: <m1@mail.example.com> " + ours + "\r\n"})
	require.Equal(t, 200, status, got)
	require.Equal(t, conv, got["conversation_id"])
	require.Equal(t, "还是没到账，我要人工客服", got["message"].(map[string]any)["text"])
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, agent, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status)
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "您好，我帮您查一下"}, 201, nil)
	deliver()
	var agentMail *mail.Message
	for _, m := range smtpd.sent()[1:] {
		require.Equal(t, "wei@example.com", addr(t, m.Header.Get("To")))
		if strings.Contains(body(t, m), "我帮您查一下") {
			agentMail = m
		}
	}
	require.NotNil(t, agentMail, "the agent's answer was mailed")
	require.Contains(t, agentMail.Header.Get("References"), "<m2@mail.example.com>")

	// A new mail (no thread) from the same address: a new conversation of the same customer. A
	// stranger who names Wei's thread does not join it.
	status, got = inbound(token, map[string]string{"from": "wei@example.com", "subject": "another question",
		"text": "do you ship outside china", "headers": "Message-ID: <m3@mail.example.com>\r\n"})
	require.Equal(t, 200, status)
	require.NotEqual(t, conv, got["conversation_id"])
	ta.do("GET", "/api/v1/customers/"+ta.customerID(got["conversation_id"].(string), agent), agent, nil, 200, nil)
	require.Equal(t, ta.customerID(conv, agent), ta.customerID(got["conversation_id"].(string), agent))
	// A mail with a NUL byte and broken UTF-8 is taken, cleaned, not refused (a refusal is retried).
	status, got = inbound(token, map[string]string{"from": "odd@example.org", "subject": "hi\x00",
		"text": "where is my order\x00 A1234567 \xff\xfe", "headers": "Message-ID: <odd1@example.org>\r\n"})
	require.Equal(t, 200, status, got)
	require.Equal(t, "where is my order A1234567 \uFFFD", got["message"].(map[string]any)["text"])
	status, got = inbound(token, map[string]string{"from": "mallory@example.net", "subject": "Re: 退款问题",
		"text": "what did wei order?", "headers": "Message-ID: <x1@example.net>\r\nIn-Reply-To: " + ours + "\r\n"})
	require.Equal(t, 200, status)
	require.NotEqual(t, conv, got["conversation_id"])
	require.NotEqual(t, ta.customerID(conv, agent), ta.customerID(got["conversation_id"].(string), agent))
}

func addr(t *testing.T, s string) string {
	a, err := mail.ParseAddress(s)
	require.NoError(t, err)
	return a.Address
}

func TestStripQuoted(t *testing.T) {
	for in, want := range map[string]string{
		"Thanks!\n\nOn Mon, 6 Dec 2026 at 10:00, Support <s@x.com> wrote:\n> earlier": "Thanks!",
		"好的\n\n在 2026年12月6日，客服 写道：\n> 之前的":                                            "好的",
		"see below\n> quoted\nmine":                "see below\nmine",
		"hi\n-- \nWei Zhang\nACME":                 "hi",
		"top\n-----Original Message-----\nFrom: x": "top",
	} {
		require.Equal(t, want, channel.StripQuoted(in), in)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func quotedPrintable(b []byte) io.Reader { return quotedprintable.NewReader(bytes.NewReader(b)) }
