package server

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

type suggestionsOut struct {
	Items []struct {
		ID             int64  `json:"id"`
		Question       string `json:"question"`
		Answer         string `json:"answer"`
		ConversationID string `json:"conversation_id"`
		Status         string `json:"status"`
	} `json:"items"`
}

// The whole loop: the bot cannot answer, a person does, the answer becomes a suggestion, an
// editor approves it, and the bot answers the same question, asked in other words, next time.
func TestLoopAgentAnswerBecomesBotAnswer(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@x.test", "agent")
	editor := ta.user("editor@x.test", "editor")

	conv, tok := ta.customer("en")
	q := "Can I collect my order in person at your Shanghai warehouse?"
	out := ta.say(conv, tok, q)
	require.Empty(t, out.Replies[0].Citations, "the demo KB has no pickup article")
	ta.say(conv, tok, "talk to a human")

	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status)

	var card struct {
		Handoff struct {
			Reason   string `json:"reason"`
			Question string `json:"question"`
			Context  struct {
				Transcript []struct{ Sender, Text string }
			} `json:"context"`
		} `json:"handoff"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/context", agent, nil, 200, &card)
	require.Equal(t, "human_request", card.Handoff.Reason)
	require.Equal(t, q, card.Handoff.Question, "the question the bot could not answer, not the bare request")
	require.GreaterOrEqual(t, len(card.Handoff.Context.Transcript), 3)

	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	answer := "Yes. Self pickup from the Shanghai warehouse is available Monday to Friday, 10:00-17:00. Choose 'Self pickup' at checkout and bring your order number."
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": answer}, 201, nil)
	var msgs struct{ Messages []msgOut }
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, &msgs)
	require.Equal(t, answer, msgs.Messages[len(msgs.Messages)-1].Text, "the customer sees the agent's answer")
	require.Equal(t, "agent", msgs.Messages[len(msgs.Messages)-1].Sender)

	var res struct {
		Conversation      struct{ Status string } `json:"conversation"`
		SuggestionCreated bool                    `json:"suggestion_created"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, &res)
	require.Equal(t, "resolved", res.Conversation.Status)
	require.True(t, res.SuggestionCreated)

	var sg suggestionsOut
	ta.do("GET", "/api/v1/kb/suggestions?status=open", editor, nil, 200, &sg)
	require.Len(t, sg.Items, 1)
	require.Equal(t, q, sg.Items[0].Question)
	require.Equal(t, answer, sg.Items[0].Answer)
	require.Equal(t, conv, sg.Items[0].ConversationID)

	var ap struct {
		Article struct {
			ID     int64  `json:"id"`
			Title  string `json:"title"`
			Status string `json:"status"`
		} `json:"article"`
	}
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(sg.Items[0].ID)+"/approve", editor,
		map[string]string{"title": "Self pickup from the Shanghai warehouse"}, 200, &ap)
	require.Equal(t, "published", ap.Article.Status)
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(sg.Items[0].ID)+"/approve", editor, nil, 409, nil)
	ta.do("GET", "/api/v1/kb/suggestions?status=open", editor, nil, 200, &sg)
	require.Empty(t, sg.Items)

	conv2, tok2 := ta.customer("en")
	out = ta.say(conv2, tok2, "is in-person collection at the Shanghai warehouse possible?")
	require.Len(t, out.Replies, 1)
	require.NotEmpty(t, out.Replies[0].Citations, "the bot now knows: %s", out.Replies[0].Text)
	require.Equal(t, ap.Article.ID, out.Replies[0].Citations[0].ArticleID)
	require.Equal(t, answer, out.Replies[0].Text)
}

// A bare "I want a person" is not a question: the first real question asked while waiting is.
func TestSuggestionSkipsBareHumanRequest(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("agent@x.test", "agent")
	editor := ta.user("editor@x.test", "editor")
	conv, tok := ta.customer("zh")
	ta.say(conv, tok, "转人工")
	ta.say(conv, tok, "我的发票抬头写错了，能重开吗")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "可以，在订单详情页点“申请换开”即可。"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)
	var sg suggestionsOut
	ta.do("GET", "/api/v1/kb/suggestions", editor, nil, 200, &sg)
	require.Len(t, sg.Items, 1)
	require.Equal(t, "我的发票抬头写错了，能重开吗", sg.Items[0].Question)

	// Dismissed suggestions leave the open list; a resolution with nothing asked makes none.
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(sg.Items[0].ID)+"/dismiss", editor, nil, 200, nil)
	conv2, tok2 := ta.customer("zh")
	ta.say(conv2, tok2, "人工客服")
	ta.do("POST", "/api/v1/conversations/"+conv2+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv2+"/agent-messages", agent, map[string]string{"text": "您好，请问有什么可以帮您？"}, 201, nil)
	var res struct {
		SuggestionCreated bool `json:"suggestion_created"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv2+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, &res)
	require.False(t, res.SuggestionCreated)
	ta.do("GET", "/api/v1/kb/suggestions?status=open", editor, nil, 200, &sg)
	require.Empty(t, sg.Items)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
