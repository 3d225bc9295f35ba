package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// Agents working together: private notes and @mentions, notifications, transfers, wrap-ups,
// unread counts and typing indicators.

type meOut struct {
	User struct {
		ID int64 `json:"id"`
	} `json:"user"`
}

func (ta *testApp) userID(token string) int64 {
	ta.t.Helper()
	var m meOut
	ta.do("GET", "/api/v1/me", token, nil, 200, &m)
	require.NotZero(ta.t, m.User.ID)
	return m.User.ID
}

// handedOff opens a conversation whose customer asks for a person; it waits in the queue.
func (ta *testApp) handedOff(lang string) (string, string) {
	ta.t.Helper()
	conv, tok := ta.customer(lang)
	ta.say(conv, tok, "I want to talk to a human")
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(ta.t, "queued", c.Conversation.Status)
	return conv, tok
}

type timelineOut struct {
	Entries []struct {
		Kind     string `json:"kind"`
		Text     string `json:"text"`
		Author   *struct{ ID int64 }
		Mentions []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"mentions"`
		ToAgent *struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"to_agent"`
		ToSkill     string `json:"to_skill"`
		Disposition string `json:"disposition"`
		AfterSeq    int64  `json:"after_seq"`
	} `json:"entries"`
}

type notificationsOut struct {
	Unread        int `json:"unread"`
	Notifications []struct {
		ID             int64  `json:"id"`
		Kind           string `json:"kind"`
		ConversationID string `json:"conversation_id"`
		Text           string `json:"text"`
		CustomerName   string `json:"customer_name"`
		Actor          *struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"actor"`
		ReadAt *time.Time `json:"read_at"`
	} `json:"notifications"`
}

type mineOut struct {
	Items []struct {
		ConversationID string `json:"conversation_id"`
		Unread         int    `json:"unread"`
		Transfer       *struct {
			From    string `json:"from"`
			ToSkill string `json:"to_skill"`
			Note    string `json:"note"`
		} `json:"transfer"`
	} `json:"items"`
}

func (ta *testApp) dialStaff(path, token string) *websocket.Conn {
	ta.t.Helper()
	u := "ws" + strings.TrimPrefix(ta.URL, "http") + path
	ws, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + token}})
	require.NoError(ta.t, err)
	resp.Body.Close()
	ta.t.Cleanup(func() { ws.Close() })
	return ws
}

// rawFrame is one frame as sent, for checking what a socket never says.
type rawFrame struct {
	Type string
	Raw  string
}

// framesUntil reads frames until pred accepts one, returning all read so far.
func framesUntil(t *testing.T, ws *websocket.Conn, what string, pred func(rawFrame) bool) []rawFrame {
	t.Helper()
	var seen []rawFrame
	deadline := time.Now().Add(15 * time.Second)
	for {
		require.NoError(t, ws.SetReadDeadline(deadline))
		_, b, err := ws.ReadMessage()
		require.NoError(t, err, "waiting for %s; saw %v", what, seen)
		var f struct{ Type string }
		require.NoError(t, json.Unmarshal(b, &f))
		seen = append(seen, rawFrame{Type: f.Type, Raw: string(b)})
		if pred(seen[len(seen)-1]) {
			return seen
		}
	}
}

// A private note is for staff: the customer's REST reads and WebSocket never carry it, and the
// customer's token opens none of the staff endpoints; an agent watching the conversation hears of it.
func TestNotesNeverReachTheCustomer(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("holder@x.test", "agent")
	conv, tok := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)

	customerWS := ta.dialConv(conv, tok, 0)
	defer customerWS.Close()
	staffWS := ta.dialStaff("/api/v1/conversations/"+conv+"/ws", agent)
	framesUntil(t, staffWS, "ready", func(f rawFrame) bool { return f.Type == "ready" })

	const secret = "customer seems to be a reseller, be careful with the refund"
	var note struct {
		Note struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
			Text string `json:"text"`
		} `json:"note"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", agent, map[string]any{"text": secret}, 201, &note)
	require.Equal(t, "note", note.Note.Kind)
	require.Equal(t, secret, note.Note.Text)
	framesUntil(t, staffWS, "the timeline nudge", func(f rawFrame) bool { return f.Type == "timeline" })

	// The agent then writes to the customer; everything the customer's socket got until then is clean.
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Let me check that for you."}, 201, nil)
	frames := framesUntil(t, customerWS, "the agent's message", func(f rawFrame) bool {
		return f.Type == "message" && strings.Contains(f.Raw, "Let me check")
	})
	for _, f := range frames {
		require.NotContains(t, f.Raw, "reseller", "a note leaked into the customer's socket")
		require.NotEqual(t, "timeline", f.Type, "the customer's socket hears nothing of notes")
	}

	for _, path := range []string{"/api/v1/conversations/" + conv, "/api/v1/conversations/" + conv + "/messages?after=0"} {
		status, body := ta.raw("GET", path, tok, nil)
		require.Equal(t, 200, status)
		require.NotContains(t, string(body), "reseller", "GET %s leaked the note", path)
	}
	// Staff reading the transcript see messages only; the note is in the timeline.
	_, body := ta.raw("GET", "/api/v1/conversations/"+conv+"/messages?after=0", agent, nil)
	require.NotContains(t, string(body), "reseller")
	var tl timelineOut
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", agent, nil, 200, &tl)
	require.Len(t, tl.Entries, 1)
	require.Equal(t, secret, tl.Entries[0].Text)

	// A customer token opens no staff endpoint.
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", tok, nil, 401, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", tok, map[string]any{"text": "hi"}, 401, nil)
	ta.do("GET", "/api/v1/notifications", tok, nil, 401, nil)
	editor := ta.user("editor@x.test", "editor")
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", editor, nil, 403, nil)

	// Bad notes are refused with a reason and nothing is stored.
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", agent, map[string]any{"text": "   "}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", agent, map[string]any{"text": strings.Repeat("x", 4001)}, 400, nil)
	ta.do("POST", "/api/v1/conversations/00000000-0000-0000-0000-000000000000/notes", agent, map[string]any{"text": "x"}, 404, nil)
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", agent, nil, 200, &tl)
	require.Len(t, tl.Entries, 1)
}

// A mention notifies exactly the colleague mentioned, live on their own socket; they read it.
func TestMentionNotifiesOnlyTheMentioned(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	a := ta.user("ann@x.test", "agent")
	b := ta.user("bob@x.test", "agent")
	c := ta.user("cat@x.test", "agent")
	editor := ta.user("ed@x.test", "editor")
	aID, bID, edID := ta.userID(a), ta.userID(b), ta.userID(editor)
	conv, _ := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", a, nil, 200, nil)

	// Autocomplete finds colleagues by name or email; editors take no conversations.
	var found struct {
		Colleagues []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"colleagues"`
	}
	ta.do("GET", "/api/v1/colleagues?q=BO", a, nil, 200, &found)
	require.Len(t, found.Colleagues, 1)
	require.Equal(t, bID, found.Colleagues[0].ID)
	ta.do("GET", "/api/v1/colleagues?q=ed@", a, nil, 200, &found)
	require.Empty(t, found.Colleagues)

	bWS := ta.dialStaff("/api/v1/agent/ws", b)
	ready := framesUntil(t, bWS, "ready", func(f rawFrame) bool { return f.Type == "ready" })
	require.Contains(t, ready[len(ready)-1].Raw, `"unread_notifications":0`)

	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", a, map[string]any{"text": "@editor can you look?", "mentions": []int64{edID}}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", a, map[string]any{"text": "@nobody", "mentions": []int64{999999}}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", a,
		map[string]any{"text": "@bob is this order eligible for an exchange?", "mentions": []int64{bID, aID, bID}}, 201, nil)

	live := framesUntil(t, bWS, "the mention", func(f rawFrame) bool { return f.Type == "notification" })
	got := live[len(live)-1].Raw
	require.Contains(t, got, `"kind":"mention"`)
	require.Contains(t, got, "eligible for an exchange")
	require.Contains(t, got, `"unread_notifications":1`)

	var bn, an, cn notificationsOut
	ta.do("GET", "/api/v1/notifications", b, nil, 200, &bn)
	require.Equal(t, 1, bn.Unread)
	require.Len(t, bn.Notifications, 1, "one notification although bob was mentioned twice")
	n := bn.Notifications[0]
	require.Equal(t, "mention", n.Kind)
	require.Equal(t, conv, n.ConversationID)
	require.Equal(t, aID, n.Actor.ID)
	require.Equal(t, "ann", n.Actor.Name)
	require.Equal(t, "Test en", n.CustomerName)
	ta.do("GET", "/api/v1/notifications", a, nil, 200, &an)
	require.Zero(t, an.Unread, "mentioning oneself notifies nobody")
	ta.do("GET", "/api/v1/notifications", c, nil, 200, &cn)
	require.Zero(t, cn.Unread)
	require.Empty(t, cn.Notifications)

	var tl timelineOut
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", b, nil, 200, &tl)
	require.Len(t, tl.Entries, 1)
	require.Len(t, tl.Entries[0].Mentions, 2)

	// Only bob can read bob's notification; reading it tells his other tabs.
	ta.do("POST", "/api/v1/notifications/"+itoa(n.ID)+"/read", c, nil, 404, nil)
	var unread struct{ Unread int }
	ta.do("POST", "/api/v1/notifications/"+itoa(n.ID)+"/read", b, nil, 200, &unread)
	require.Zero(t, unread.Unread)
	framesUntil(t, bWS, "the read count", func(f rawFrame) bool {
		return f.Type == "notifications" && strings.Contains(f.Raw, `"unread_notifications":0`)
	})
	ta.do("GET", "/api/v1/notifications", b, nil, 200, &bn)
	require.NotNil(t, bn.Notifications[0].ReadAt)

	// Opening the conversation marks its notifications read too.
	ta.do("POST", "/api/v1/conversations/"+conv+"/notes", a, map[string]any{"text": "@bob ping", "mentions": []int64{bID}}, 201, nil)
	ta.do("GET", "/api/v1/notifications", b, nil, 200, &bn)
	require.Equal(t, 1, bn.Unread)
	ta.do("POST", "/api/v1/conversations/"+conv+"/read", b, map[string]int{"seq": 1 << 30}, 200, nil)
	ta.do("GET", "/api/v1/notifications", b, nil, 200, &bn)
	require.Zero(t, bn.Unread)
}

// A transfer to an agent who is offline or at capacity is refused with 409 and changes nothing;
// to one with room it moves the conversation, with its note, from the sender's list to theirs.
func TestTransferToAgent(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("boss@x.test", "admin")
	a := ta.user("ann@x.test", "agent")
	b := ta.user("bob@x.test", "agent")
	bID := ta.userID(b)
	conv, tok := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", a, nil, 200, nil)
	transfer := map[string]any{"agent_id": bID, "note": "Wants a refund to a different card; order A1234567."}

	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, transfer, 409, nil) // bob is offline
	ta.do("PUT", "/api/v1/agents/"+itoa(bID)+"/profile", admin, map[string]any{"capacity": 1}, 200, nil)
	other, _ := ta.handedOff("en")
	ta.do("POST", "/api/v1/agent/presence", b, map[string]string{"presence": "online"}, 200, nil) // takes `other`
	var mine mineOut
	ta.do("GET", "/api/v1/agent/conversations", b, nil, 200, &mine)
	require.Len(t, mine.Items, 1)
	require.Equal(t, other, mine.Items[0].ConversationID)
	status, body := ta.raw("POST", "/api/v1/conversations/"+conv+"/transfer", a, transfer)
	require.Equal(t, 409, status, string(body))
	require.Contains(t, string(body), "capacity")
	ta.do("GET", "/api/v1/agent/conversations", a, nil, 200, &mine)
	require.Len(t, mine.Items, 1, "a refused transfer leaves the conversation with its holder")

	// Bad requests.
	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, map[string]any{"note": "x"}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, map[string]any{"agent_id": bID, "skill": "general"}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, map[string]any{"agent_id": 999999}, 404, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", b, transfer, 409, nil) // bob does not hold it

	ta.do("PUT", "/api/v1/agents/"+itoa(bID)+"/profile", admin, map[string]any{"capacity": 2}, 200, nil)
	bWS := ta.dialStaff("/api/v1/agent/ws", b)
	framesUntil(t, bWS, "ready", func(f rawFrame) bool { return f.Type == "ready" })
	var res struct {
		AssignedTo   *int64 `json:"assigned_to"`
		Conversation struct {
			Status          string `json:"status"`
			AssignedAgentID int64  `json:"assigned_agent_id"`
		} `json:"conversation"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, transfer, 200, &res)
	require.Equal(t, "assigned", res.Conversation.Status)
	require.Equal(t, bID, res.Conversation.AssignedAgentID)

	ta.do("GET", "/api/v1/agent/conversations", a, nil, 200, &mine)
	require.Empty(t, mine.Items, "the conversation left the sender's list")
	ta.do("GET", "/api/v1/agent/conversations", b, nil, 200, &mine)
	require.Len(t, mine.Items, 2)
	var got *struct {
		From    string `json:"from"`
		ToSkill string `json:"to_skill"`
		Note    string `json:"note"`
	}
	for _, it := range mine.Items {
		if it.ConversationID == conv {
			got = it.Transfer
		}
	}
	require.NotNil(t, got, "bob's list says how the conversation came to him")
	require.Equal(t, "ann", got.From)
	require.Equal(t, transfer["note"], got.Note)

	frames := framesUntil(t, bWS, "the transfer", func(f rawFrame) bool { return f.Type == "notification" })
	require.Contains(t, frames[len(frames)-1].Raw, `"kind":"transfer"`)
	require.Contains(t, frames[len(frames)-1].Raw, "different card")

	var tl timelineOut
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", b, nil, 200, &tl)
	require.Len(t, tl.Entries, 1)
	require.Equal(t, "transfer", tl.Entries[0].Kind)
	require.Equal(t, bID, tl.Entries[0].ToAgent.ID)

	// The customer learns who joined, never the note; bob can answer, ann no longer can.
	_, body = ta.raw("GET", "/api/v1/conversations/"+conv+"/messages?after=0", tok, nil)
	require.Contains(t, string(body), "bob joined the conversation.")
	require.NotContains(t, string(body), "different card")
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", a, map[string]string{"text": "still me?"}, 409, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", b, map[string]string{"text": "Hi, Bob here."}, 201, nil)
}

// A transfer to a skill puts the conversation back in that team's queue with the note; the
// router gives it to someone in the team, never straight back to the sender.
func TestTransferToSkillRequeues(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	a := ta.user("ann@x.test", "agent", "general", "billing")
	bill := ta.user("bill@x.test", "agent", "billing")
	general := ta.user("gus@x.test", "agent", "general")
	billID := ta.userID(bill)
	conv, tok := ta.handedOff("zh")
	ta.do("POST", "/api/v1/agent/presence", a, map[string]string{"presence": "online"}, 200, nil)
	var mine mineOut
	ta.do("GET", "/api/v1/agent/conversations", a, nil, 200, &mine)
	require.Len(t, mine.Items, 1, "ann, online, got the conversation")

	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, map[string]any{"skill": "no-such-team"}, 400, nil)
	var targets struct {
		Skills []struct {
			Skill     string `json:"skill"`
			Available int    `json:"available"`
		} `json:"skills"`
		Agents []struct {
			ID int64 `json:"id"`
		} `json:"agents"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/transfer-targets", a, nil, 200, &targets)
	require.Len(t, targets.Agents, 2, "everyone but the sender")
	skills := map[string]int{}
	for _, s := range targets.Skills {
		skills[s.Skill] = s.Available
	}
	require.Equal(t, map[string]int{"general": 1, "billing": 1}, skills, "ann, online with room, counts in both teams")

	var res struct {
		AssignedTo   *int64 `json:"assigned_to"`
		Conversation struct {
			Status string `json:"status"`
		} `json:"conversation"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/transfer", a, map[string]any{"skill": "billing", "note": "需要开具增值税发票"}, 200, &res)
	require.Equal(t, "queued", res.Conversation.Status, "ann is billing's only online agent, and she sent it")
	require.Nil(t, res.AssignedTo)
	ta.do("GET", "/api/v1/agent/conversations", a, nil, 200, &mine)
	require.Empty(t, mine.Items)

	var q struct {
		Items []struct {
			ConversationID string `json:"conversation_id"`
			Skill          string `json:"skill"`
			Transfer       *struct {
				From    string `json:"from"`
				ToSkill string `json:"to_skill"`
				Note    string `json:"note"`
			} `json:"transfer"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/queue", bill, nil, 200, &q)
	require.Len(t, q.Items, 1)
	require.Equal(t, "billing", q.Items[0].Skill)
	require.Equal(t, "需要开具增值税发票", q.Items[0].Transfer.Note)
	require.Equal(t, "billing", q.Items[0].Transfer.ToSkill)
	ta.do("GET", "/api/v1/queue", general, nil, 200, &q)
	require.Empty(t, q.Items, "it left the general queue")
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status)

	// A billing agent coming online gets it at once, with the note, and is alerted.
	billWS := ta.dialStaff("/api/v1/agent/ws", bill)
	framesUntil(t, billWS, "ready", func(f rawFrame) bool { return f.Type == "ready" })
	ta.do("POST", "/api/v1/agent/presence", bill, map[string]string{"presence": "online"}, 200, nil)
	frames := framesUntil(t, billWS, "the new assignment", func(f rawFrame) bool { return f.Type == "assigned" })
	require.Contains(t, frames[len(frames)-1].Raw, conv)
	ta.do("GET", "/api/v1/agent/conversations", bill, nil, 200, &mine)
	require.Len(t, mine.Items, 1)
	require.Equal(t, conv, mine.Items[0].ConversationID)
	require.Equal(t, "需要开具增值税发票", mine.Items[0].Transfer.Note)
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(t, "assigned", c.Conversation.Status)
	var tl timelineOut
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", bill, nil, 200, &tl)
	require.Len(t, tl.Entries, 1)
	require.Equal(t, "billing", tl.Entries[0].ToSkill)
	_ = billID
}

// Resolving needs a disposition from the configured list; the wrap-up is kept in the timeline,
// and the agent's answer still becomes a KB suggestion (except for spam).
func TestWrapUpRequiresDisposition(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("ann@x.test", "agent")
	admin := ta.user("boss@x.test", "admin")
	editor := ta.user("ed@x.test", "editor")

	var list struct {
		Dispositions []struct {
			Code    string `json:"code"`
			LabelEN string `json:"label_en"`
			LabelZH string `json:"label_zh"`
		} `json:"dispositions"`
	}
	ta.do("GET", "/api/v1/dispositions", agent, nil, 200, &list)
	codes := map[string]string{}
	for _, d := range list.Dispositions {
		codes[d.Code] = d.LabelZH
	}
	for _, want := range []string{"resolved", "refund_issued", "escalated", "no_response", "spam"} {
		require.NotEmpty(t, codes[want], "default disposition %s with a Chinese label", want)
	}

	conv, tok := ta.handedOff("en")
	ta.say(conv, tok, "Can I pick up my order at your Berlin warehouse?")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Yes, weekdays 10:00-17:00."}, 201, nil)

	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, nil, 400, nil)
	status, body := ta.raw("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{})
	require.Equal(t, 400, status)
	require.Contains(t, string(body), "disposition is required")
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "made_up"}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved", "note": strings.Repeat("n", 2001)}, 400, nil)
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(t, "assigned", c.Conversation.Status, "a refused wrap-up resolves nothing")

	var res struct {
		SuggestionCreated bool `json:"suggestion_created"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent,
		map[string]string{"disposition": "info_provided", "note": "Told them about warehouse pick-up."}, 200, &res)
	require.True(t, res.SuggestionCreated, "the agent's answer still becomes a suggestion")
	var tl timelineOut
	ta.do("GET", "/api/v1/conversations/"+conv+"/timeline", agent, nil, 200, &tl)
	require.Len(t, tl.Entries, 1)
	require.Equal(t, "wrapup", tl.Entries[0].Kind)
	require.Equal(t, "info_provided", tl.Entries[0].Disposition)
	require.Equal(t, "Told them about warehouse pick-up.", tl.Entries[0].Text)
	var stored string
	require.NoError(t, ta.DB.Pool.QueryRow(t.Context(), `SELECT disposition FROM handoffs WHERE conversation_id = $1`, conv).Scan(&stored))
	require.Equal(t, "info_provided", stored)

	// Spam teaches the knowledge base nothing.
	spam, spamTok := ta.handedOff("en")
	ta.say(spam, spamTok, "cheap watches at example dot com")
	ta.do("POST", "/api/v1/conversations/"+spam+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+spam+"/agent-messages", agent, map[string]string{"text": "Please stop."}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+spam+"/resolve", agent, map[string]string{"disposition": "spam"}, 200, &res)
	require.False(t, res.SuggestionCreated)

	// An admin replaces the list; codes left out are retired, old wrap-ups keep their label.
	custom := map[string]any{"dispositions": []map[string]any{
		{"code": "solved", "label_en": "Solved", "label_zh": "已解决"},
		{"code": "callback", "label_en": "Call back", "label_zh": "回电"},
	}}
	ta.do("PUT", "/api/v1/dispositions", agent, custom, 403, nil)
	ta.do("PUT", "/api/v1/dispositions", editor, custom, 403, nil)
	ta.do("PUT", "/api/v1/dispositions", admin, map[string]any{"dispositions": []map[string]any{{"code": "Bad Code", "label_en": "x", "label_zh": "x"}}}, 400, nil)
	ta.do("PUT", "/api/v1/dispositions", admin, map[string]any{"dispositions": []map[string]any{}}, 400, nil)
	ta.do("PUT", "/api/v1/dispositions", admin, custom, 200, nil)
	ta.do("GET", "/api/v1/dispositions", agent, nil, 200, &list)
	require.Len(t, list.Dispositions, 2)
	require.Equal(t, "solved", list.Dispositions[0].Code)
	ta.do("GET", "/api/v1/dispositions?all=true", agent, nil, 200, &list)
	require.Greater(t, len(list.Dispositions), 2, "retired codes are still named")

	third, _ := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+third+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+third+"/resolve", agent, map[string]string{"disposition": "resolved"}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+third+"/resolve", agent, map[string]string{"disposition": "callback"}, 200, nil)
}

// An agent's list counts the customer's messages they have not seen; reading resets it.
func TestUnreadCounts(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("ann@x.test", "agent")
	conv, tok := ta.handedOff("en")
	ws := ta.dialStaff("/api/v1/agent/ws", agent)
	framesUntil(t, ws, "ready", func(f rawFrame) bool { return f.Type == "ready" })
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	for _, f := range framesUntil(t, ws, "the list change", func(f rawFrame) bool { return f.Type == "mine_changed" }) {
		require.NotEqual(t, "assigned", f.Type, "an agent's own claim raises no new-assignment alert")
	}
	unread := func() int {
		var mine mineOut
		ta.do("GET", "/api/v1/agent/conversations", agent, nil, 200, &mine)
		require.Len(t, mine.Items, 1)
		return mine.Items[0].Unread
	}
	start := unread()
	require.Equal(t, 1, start, "the request for a person is new to the agent")

	ta.say(conv, tok, "Hello?")
	ta.say(conv, tok, "Anyone there?")
	require.Equal(t, 3, unread())
	framesUntil(t, ws, "a list change", func(f rawFrame) bool { return f.Type == "mine_changed" })

	var msgs struct{ Messages []msgOut }
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages?after=0", agent, nil, 200, &msgs)
	last := msgs.Messages[len(msgs.Messages)-1].Seq
	var read struct {
		LastReadSeq int64 `json:"last_read_seq"`
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/read", agent, map[string]int64{"seq": last - 1}, 200, &read)
	require.Equal(t, last-1, read.LastReadSeq)
	require.Equal(t, 1, unread(), "the last message is still unseen")
	ta.do("POST", "/api/v1/conversations/"+conv+"/read", agent, map[string]int64{"seq": last + 100}, 200, &read)
	require.Equal(t, last, read.LastReadSeq, "never past the last message")
	ta.do("POST", "/api/v1/conversations/"+conv+"/read", agent, map[string]int64{"seq": 1}, 200, &read)
	require.Equal(t, last, read.LastReadSeq, "never backwards")
	require.Zero(t, unread())

	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Yes, here."}, 201, nil)
	require.Zero(t, unread(), "the agent's own messages do not count")
	ta.say(conv, tok, "Great")
	require.Equal(t, 1, unread())
	ta.do("POST", "/api/v1/conversations/"+conv+"/read", agent, map[string]string{"seq": "x"}, 400, nil)
}

// Typing reaches the other side live and only there: the agent sees the customer typing, the
// customer the agent; a colleague who does not hold the conversation types to nobody.
func TestTypingIndicatorsBothWays(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("ann@x.test", "agent")
	other := ta.user("bob@x.test", "agent")
	conv, tok := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", agent, map[string]bool{"typing": true}, 409, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)

	customerWS := ta.dialConv(conv, tok, 0)
	defer customerWS.Close()
	staffWS := ta.dialStaff("/api/v1/conversations/"+conv+"/ws", agent)
	framesUntil(t, staffWS, "ready", func(f rawFrame) bool { return f.Type == "ready" })

	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", tok, map[string]bool{"typing": true}, 204, nil)
	f := framesUntil(t, staffWS, "the customer typing", func(f rawFrame) bool { return f.Type == "typing" })
	require.JSONEq(t, `{"type":"typing","who":"customer","typing":true}`, f[len(f)-1].Raw)

	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", other, map[string]bool{"typing": true}, 409, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", agent, map[string]bool{"typing": true}, 204, nil)
	frames := framesUntil(t, customerWS, "the agent typing", func(f rawFrame) bool { return f.Type == "typing" })
	require.JSONEq(t, `{"type":"typing","who":"agent","typing":true}`, frames[len(frames)-1].Raw)
	for _, fr := range frames {
		require.NotContains(t, fr.Raw, `"who":"customer"`, "the customer does not hear their own typing")
	}
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", agent, map[string]bool{"typing": false}, 204, nil)
	frames = framesUntil(t, customerWS, "the agent stopping", func(f rawFrame) bool { return f.Type == "typing" })
	require.Contains(t, frames[len(frames)-1].Raw, `"typing":false`)

	// Someone else's token, or no answer to what typing is, is refused.
	_, stranger := ta.customer("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", stranger, map[string]bool{"typing": true}, 403, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", tok, map[string]string{}, 400, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", "", map[string]bool{"typing": true}, 401, nil)
	var count int
	require.NoError(t, ta.DB.Pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1`, conv).Scan(&count))
	var after int
	ta.do("POST", "/api/v1/conversations/"+conv+"/typing", tok, map[string]bool{"typing": true}, 204, nil)
	require.NoError(t, ta.DB.Pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1`, conv).Scan(&after))
	require.Equal(t, count, after, "typing is not stored as a message")
}
