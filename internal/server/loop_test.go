package server

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHealthAndReady(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ta.do("GET", "/healthz", "", nil, 200, nil)
	var r struct{ Status string }
	ta.do("GET", "/readyz", "", nil, 200, &r)
	require.Equal(t, "ready", r.Status)
}

// The bot answers a demo-KB question with the article it came from, in the customer's language.
func TestBotAnswersFromKBWithCitation(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("zh")
	out := ta.say(conv, tok, "买的衣服不合适可以退吗")
	require.Len(t, out.Replies, 1)
	require.Equal(t, "bot", out.Replies[0].Sender)
	require.NotEmpty(t, out.Replies[0].Citations, "a KB answer cites its article")
	require.Contains(t, out.Replies[0].Citations[0].Title, "退货")

	conv2, tok2 := ta.customer("en")
	out = ta.say(conv2, tok2, "how long until my refund shows up on my card?")
	require.Len(t, out.Replies, 1)
	require.NotEmpty(t, out.Replies[0].Citations)
	require.Contains(t, strings.ToLower(out.Replies[0].Citations[0].Title), "refund")

	var msgs struct{ Messages []msgOut }
	ta.do("GET", "/api/v1/conversations/"+conv2+"/messages?after=0", tok2, nil, 200, &msgs)
	require.Len(t, msgs.Messages, 2)
	require.Equal(t, []int64{1, 2}, []int64{msgs.Messages[0].Seq, msgs.Messages[1].Seq})
	ta.do("GET", "/api/v1/conversations/"+conv2+"/messages?after=1", tok2, nil, 200, &msgs)
	require.Len(t, msgs.Messages, 1)
	require.Equal(t, "bot", msgs.Messages[0].Sender)
}

// Unknown questions get "I don't know" plus an offer; accepting it hands off as low_confidence.
func TestLowConfidenceOffersAPerson(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("en")
	out := ta.say(conv, tok, "Do you sell replacement parts for vintage accordions?")
	require.Len(t, out.Replies, 1)
	require.Empty(t, out.Replies[0].Citations)
	require.Contains(t, out.Replies[0].Text, "don't know")
	out = ta.say(conv, tok, "yes")
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status)
	require.Equal(t, "low_confidence", c.Conversation.HandoffReason)

	agent := ta.user("a@x.test", "agent")
	var q struct {
		Items []struct {
			ConversationID string `json:"conversation_id"`
			Reason         string `json:"reason"`
			Question       string `json:"question"`
		}
	}
	ta.do("GET", "/api/v1/queue", agent, nil, 200, &q)
	require.Len(t, q.Items, 1)
	require.Equal(t, "Do you sell replacement parts for vintage accordions?", q.Items[0].Question)
}

// Requests for a person and complaints hand off at once, in either language.
func TestTriggersHandOffAtOnce(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	for _, tc := range []struct{ lang, text, reason string }{
		{"zh", "转人工", "human_request"},
		{"en", "I want to talk to a human", "human_request"},
		{"zh", "我要投诉，你们快递太慢了", "complaint"},
		{"en", "This is unacceptable, I want to make a complaint", "complaint"},
	} {
		conv, tok := ta.customer(tc.lang)
		out := ta.say(conv, tok, tc.text)
		require.Len(t, out.Replies, 1, tc.text)
		var c convOut
		ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
		require.Equal(t, "queued", c.Conversation.Status, tc.text)
		require.Equal(t, tc.reason, c.Conversation.HandoffReason, tc.text)
		// While queued, the bot stays quiet.
		out = ta.say(conv, tok, "hello?")
		require.Empty(t, out.Replies)
	}
}

// A retry with the same client_message_id stores one message and returns the same result.
func TestIdempotentRetry(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("en")
	body := map[string]string{"text": "what payment methods do you accept", "client_message_id": "c-1"}
	var first, second turnOut
	ta.do("POST", "/api/v1/conversations/"+conv+"/messages", tok, body, 201, &first)
	ta.do("POST", "/api/v1/conversations/"+conv+"/messages", tok, body, 201, &second)
	require.Equal(t, first, second)
	// Concurrent retries too.
	body["client_message_id"] = "c-2"
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ta.do("POST", "/api/v1/conversations/"+conv+"/messages", tok, body, 201, nil)
		}()
	}
	wg.Wait()
	var msgs struct{ Messages []msgOut }
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, &msgs)
	customer, bot := 0, 0
	for _, m := range msgs.Messages {
		switch m.Sender {
		case "customer":
			customer++
		case "bot":
			bot++
		}
	}
	require.Equal(t, 2, customer, "one stored message per client_message_id")
	require.Equal(t, 2, bot, "one bot turn per customer message")
}

// The conversation a turn answers with is the conversation as stored after the turn (the turn
// builds it from what it wrote instead of reading it back).
func TestTurnAnswersWithTheStoredConversation(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("en")
	for _, text := range []string{"hi", "How long does a refund take?", "where is my order A1234567", "thanks"} {
		var turn, stored map[string]any
		ta.do("POST", "/api/v1/conversations/"+conv+"/messages", tok, map[string]string{"text": text}, 201, &turn)
		ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &stored)
		require.Equal(t, stored["conversation"], turn["conversation"], text)
		replies := turn["replies"].([]any)
		require.NotEmpty(t, replies, text)
		last := replies[len(replies)-1].(map[string]any)
		require.Equal(t, last["seq"], turn["conversation"].(map[string]any)["last_seq"], text)
	}
}

// A customer token reaches only its own conversations.
func TestCustomerTokenIsolation(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	convA, tokA := ta.customer("en")
	convB, tokB := ta.customer("en")
	ta.say(convA, tokA, "hello")
	for _, p := range []string{"", "/messages"} {
		ta.do("GET", "/api/v1/conversations/"+convA+p, tokB, nil, 403, nil)
		ta.do("GET", "/api/v1/conversations/"+convA+p, "", nil, 401, nil)
		ta.do("GET", "/api/v1/conversations/"+convA+p, "bct_forged", nil, 401, nil)
	}
	ta.do("POST", "/api/v1/conversations/"+convA+"/messages", tokB, map[string]string{"text": "hi"}, 403, nil)
	ta.do("GET", "/api/v1/conversations/"+convB, tokB, nil, 200, nil)
	ta.do("GET", "/api/v1/conversations/00000000-0000-0000-0000-000000000000", tokB, nil, 404, nil)
	ta.do("GET", "/api/v1/conversations/not-a-uuid", tokB, nil, 404, nil)
	ta.do("GET", "/api/v1/conversations/not-a-uuid", "bct_forged", nil, 401, nil)
	// A second conversation opened with the same token belongs to the same customer.
	var c convOut
	ta.do("POST", "/api/v1/conversations", tokB, map[string]any{}, 201, &c)
	require.Equal(t, tokB, c.CustomerToken)
	ta.do("GET", "/api/v1/conversations/"+c.Conversation.ID, tokB, nil, 200, nil)
	ta.do("GET", "/api/v1/conversations/"+c.Conversation.ID, tokA, nil, 403, nil)
	// Staff tokens cannot post as the customer.
	agent := ta.user("agent@x.test", "agent")
	ta.do("POST", "/api/v1/conversations/"+convA+"/messages", agent, map[string]string{"text": "hi"}, 401, nil)
}

// Bad input is refused with a clear JSON error.
func TestBadInput(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	conv, tok := ta.customer("en")
	for _, tc := range []struct {
		path, body string
		status     int
		want       string
	}{
		{"/api/v1/conversations", `{"customer":{"language":"fr"}}`, 400, "language"},
		{"/api/v1/conversations", `{"nope":1}`, 400, "unknown field"},
		{"/api/v1/conversations", `not json`, 400, "invalid JSON"},
		{"/api/v1/conversations/" + conv + "/messages", `{"text":"   "}`, 400, "text is required"},
		{"/api/v1/conversations/" + conv + "/messages", `{"text":"` + strings.Repeat("a", 4001) + `"}`, 400, "at most 4000"},
		{"/api/v1/conversations/" + conv + "/messages", `{"text":"` + strings.Repeat("a", 40000) + `"}`, 413, "larger than"},
	} {
		status, b := ta.raw("POST", tc.path, tok, tc.body)
		require.Equal(t, tc.status, status, "%s %s: %s", tc.path, tc.body[:min(len(tc.body), 40)], b)
		require.Contains(t, string(b), `"error"`)
		require.Contains(t, string(b), tc.want)
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages?after=-1", tok, nil, 400, nil)
}

// Staff endpoints need a session and the right role.
func TestStaffAuthAndRoles(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ta.do("GET", "/api/v1/queue", "", nil, 401, nil)
	ta.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@x.test", "password": "whatever-1"}, 401, nil)
	editor := ta.user("ed@x.test", "editor")
	agent := ta.user("ag@x.test", "agent")
	admin := ta.user("ad@x.test", "admin")
	ta.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ed@x.test", "password": "wrong-password"}, 401, nil)
	ta.do("GET", "/api/v1/queue", editor, nil, 403, nil)
	ta.do("GET", "/api/v1/queue", agent, nil, 200, nil)
	ta.do("GET", "/api/v1/queue", admin, nil, 200, nil)
	article := map[string]any{"title": "T", "body": "B", "language": "en"}
	ta.do("POST", "/api/v1/kb/articles", agent, article, 403, nil)
	ta.do("POST", "/api/v1/kb/articles", editor, article, 201, nil)
	ta.do("GET", "/api/v1/kb/suggestions", agent, nil, 403, nil)
	conv, _ := ta.customer("en")
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", editor, nil, 403, nil)
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", agent, nil, 200, nil)
	var me struct{ User struct{ Role string } }
	ta.do("GET", "/api/v1/me", editor, nil, 200, &me)
	require.Equal(t, "editor", me.User.Role)
	ta.do("POST", "/api/v1/auth/logout", editor, nil, 204, nil)
	ta.do("GET", "/api/v1/me", editor, nil, 401, nil)
}

// Of many agents claiming one conversation at once, exactly one wins; the rest get 409.
func TestConcurrentClaimsExactlyOneWins(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	conv, tok := ta.customer("zh")
	ta.say(conv, tok, "转人工")
	const agents = 12
	tokens := make([]string, agents)
	for i := range tokens {
		tokens[i] = ta.user(fmt.Sprintf("agent%d@x.test", i), "agent")
	}
	var wg sync.WaitGroup
	statuses := make([]int, agents)
	for i := range tokens {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i], _ = ta.raw("POST", "/api/v1/conversations/"+conv+"/claim", tokens[i], nil)
		}(i)
	}
	wg.Wait()
	won, lost := 0, 0
	winner := -1
	for i, s := range statuses {
		switch s {
		case 200:
			won++
			winner = i
		case 409:
			lost++
		}
	}
	require.Equal(t, 1, won, "statuses: %v", statuses)
	require.Equal(t, agents-1, lost, "statuses: %v", statuses)
	// The winner may claim again; a loser cannot reply or resolve.
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", tokens[winner], nil, 200, nil)
	loser := tokens[(winner+1)%agents]
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", loser, map[string]string{"text": "hi"}, 409, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", loser, map[string]string{"disposition": "resolved"}, 409, nil)
	var q struct{ Items []any }
	ta.do("GET", "/api/v1/queue", loser, nil, 200, &q)
	require.Empty(t, q.Items, "a claimed conversation leaves the queue")
}
