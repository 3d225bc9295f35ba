package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type ratingAsk struct {
	TicketID *int64 `json:"ticket_id"`
	Subject  string `json:"subject"`
	CanRate  bool   `json:"can_rate"`
	ByBot    bool   `json:"by_bot"`
	Rating   *struct {
		Score   int    `json:"score"`
		Comment string `json:"comment"`
	} `json:"rating"`
	CanChange   bool       `json:"can_change"`
	ChangeUntil *time.Time `json:"change_until"`
}

type ratingState struct {
	Conversation      ratingAsk   `json:"conversation"`
	Tickets           []ratingAsk `json:"tickets"`
	EditWindowSeconds int         `json:"edit_window_seconds"`
}

type storedRating struct {
	Score   int
	Comment string
	AgentID *int64
	Team    *string
	ByBot   bool
}

func (ta *testApp) storedRatings(conv string) []storedRating {
	ta.t.Helper()
	rows, err := ta.DB.Pool.Query(context.Background(),
		`SELECT score, comment, agent_id, team, by_bot FROM csat_ratings WHERE conversation_id = $1 ORDER BY id`, conv)
	require.NoError(ta.t, err)
	defer rows.Close()
	var out []storedRating
	for rows.Next() {
		var r storedRating
		require.NoError(ta.t, rows.Scan(&r.Score, &r.Comment, &r.AgentID, &r.Team, &r.ByBot))
		out = append(out, r)
	}
	require.NoError(ta.t, rows.Err())
	return out
}

// A handed-off conversation is rated once resolved, goes to the agent who held it and their team,
// can be changed for the window and not after; one rating per conversation.
func TestCSATHandedOffConversation(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("rosa@x.test", "agent", "general")
	agentID := ta.userID(agent)
	conv, tok := ta.handedOff("en")
	path := "/api/v1/conversations/" + conv + "/rating"

	var st ratingState
	ta.do("GET", path, tok, nil, 200, &st)
	require.False(t, st.Conversation.CanRate, "nobody has helped yet")
	require.Equal(t, 1800, st.EditWindowSeconds, "30 minutes by default")
	_, body := ta.raw("PUT", path, tok, map[string]any{"score": 4})
	require.Contains(t, string(body), "resolved")
	ta.do("PUT", path, tok, map[string]any{"score": 4}, 409, nil)

	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Your parcel left today."}, 201, nil)
	ta.do("PUT", path, tok, map[string]any{"score": 4}, 409, nil) // still with the agent
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)

	ta.do("GET", path, tok, nil, 200, &st)
	require.True(t, st.Conversation.CanRate)
	require.False(t, st.Conversation.ByBot)
	require.Nil(t, st.Conversation.Rating)

	// Bad input is refused with a reason.
	for _, bad := range []map[string]any{{"score": 0}, {"score": 6}, {"score": 3, "comment": strings.Repeat("x", 1001)}} {
		status, b := ta.raw("PUT", path, tok, bad)
		require.Equal(t, 400, status, string(b))
		require.Contains(t, string(b), `"error"`)
	}
	ta.do("PUT", path, tok, `{"score": "five"}`, 400, nil)

	// Another customer's token reaches nothing of it.
	_, otherTok := ta.customer("en")
	ta.do("PUT", path, otherTok, map[string]any{"score": 1}, 403, nil)
	ta.do("GET", path, otherTok, nil, 403, nil)
	ta.do("PUT", path, "", map[string]any{"score": 1}, 401, nil)

	ta.do("PUT", path, tok, map[string]any{"score": 4, "comment": "  Quick and kind <b>thanks</b>  "}, 200, &st)
	require.NotNil(t, st.Conversation.Rating)
	require.Equal(t, 4, st.Conversation.Rating.Score)
	require.Equal(t, "Quick and kind <b>thanks</b>", st.Conversation.Rating.Comment)
	require.True(t, st.Conversation.CanChange)
	require.False(t, st.Conversation.CanRate, "rated already: it can be changed, not given again")
	require.WithinDuration(t, time.Now().Add(30*time.Minute), *st.Conversation.ChangeUntil, time.Minute)

	// A change inside the window replaces the rating: still one.
	ta.do("PUT", path, tok, map[string]any{"score": 5, "comment": "Even better"}, 200, &st)
	require.Equal(t, 5, st.Conversation.Rating.Score)
	got := ta.storedRatings(conv)
	require.Len(t, got, 1)
	require.Equal(t, 5, got[0].Score)
	require.Equal(t, "Even better", got[0].Comment)
	require.NotNil(t, got[0].AgentID)
	require.Equal(t, agentID, *got[0].AgentID, "goes to the agent who resolved it")
	require.Equal(t, "general", *got[0].Team)
	require.False(t, got[0].ByBot)

	// The agent sees it on the conversation.
	var staffView ratingState
	ta.do("GET", path, agent, nil, 200, &staffView)
	require.Equal(t, 5, staffView.Conversation.Rating.Score)
	require.Equal(t, "Even better", staffView.Conversation.Rating.Comment)
	ta.do("PUT", path, agent, map[string]any{"score": 1}, 401, nil) // staff do not rate

	// Past the window: 409 with a clear error, and the rating stays.
	_, err := ta.DB.Pool.Exec(context.Background(), `UPDATE csat_ratings SET created_at = now() - interval '31 minutes' WHERE conversation_id = $1`, conv)
	require.NoError(t, err)
	ta.do("GET", path, tok, nil, 200, &st)
	require.False(t, st.Conversation.CanChange)
	status, b := ta.raw("PUT", path, tok, map[string]any{"score": 1})
	require.Equal(t, 409, status)
	require.Contains(t, string(b), "can no longer be changed")
	require.Contains(t, string(b), "30 minutes")
	require.Equal(t, 5, ta.storedRatings(conv)[0].Score)
}

// A conversation only the bot answered may be rated at once; the rating goes to the bot.
func TestCSATBotOnlyConversation(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	conv, tok := ta.customer("zh")
	path := "/api/v1/conversations/" + conv + "/rating"
	var st ratingState
	ta.do("GET", path, tok, nil, 200, &st)
	require.False(t, st.Conversation.CanRate, "nothing answered yet")
	ta.do("PUT", path, tok, map[string]any{"score": 3}, 409, nil)

	out := ta.say(conv, tok, "你好")
	require.NotEmpty(t, out.Replies)
	ta.do("GET", path, tok, nil, 200, &st)
	require.True(t, st.Conversation.CanRate)
	require.True(t, st.Conversation.ByBot)
	_, err := ta.DB.Pool.Exec(context.Background(), `INSERT INTO webhooks (url, secret, events) VALUES ('http://crm.test/hook', 's3cret', '{csat.rated}')`)
	require.NoError(t, err)
	ta.do("PUT", path, tok, map[string]any{"score": 3, "comment": "还行"}, 200, &st)
	ta.do("PUT", path, tok, map[string]any{"score": 4, "comment": "还行"}, 200, &st)
	// A webhook subscriber hears of the rating and of the change.
	type hook struct {
		Rating struct {
			Score   int  `json:"score"`
			ByBot   bool `json:"by_bot"`
			Changed bool `json:"changed"`
		} `json:"rating"`
	}
	var hooks []hook
	rows, err := ta.DB.Pool.Query(context.Background(), `SELECT payload FROM deliveries WHERE event = 'csat.rated' ORDER BY id`)
	require.NoError(t, err)
	for rows.Next() {
		var h hook
		require.NoError(t, rows.Scan(&h))
		hooks = append(hooks, h)
	}
	require.NoError(t, rows.Err())
	require.Len(t, hooks, 2)
	require.Equal(t, 3, hooks[0].Rating.Score)
	require.True(t, hooks[0].Rating.ByBot)
	require.False(t, hooks[0].Rating.Changed)
	require.Equal(t, 4, hooks[1].Rating.Score)
	require.True(t, hooks[1].Rating.Changed)
	got := ta.storedRatings(conv)
	require.Len(t, got, 1)
	require.True(t, got[0].ByBot)
	require.Nil(t, got[0].AgentID)
	require.Nil(t, got[0].Team)

	// Then they ask for a person after all: once an agent has resolved it, the customer is asked
	// again, past the bot's window, and the new rating replaces the bot's and goes to the agent.
	agent := ta.user("rosa@x.test", "agent", "general")
	ta.say(conv, tok, "转人工")
	ta.do("GET", path, tok, nil, 200, &st)
	require.False(t, st.Conversation.CanRate, "with a person now")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "您好"}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)
	_, err = ta.DB.Pool.Exec(context.Background(), `UPDATE csat_ratings SET created_at = now() - interval '2 hours' WHERE conversation_id = $1`, conv)
	require.NoError(t, err)
	ta.do("GET", path, tok, nil, 200, &st)
	require.True(t, st.Conversation.CanRate)
	require.False(t, st.Conversation.ByBot)
	require.Nil(t, st.Conversation.Rating, "the bot's rating is not the agent's")
	ta.do("PUT", path, tok, map[string]any{"score": 5, "comment": "谢谢客服"}, 200, &st)
	got = ta.storedRatings(conv)
	require.Len(t, got, 1)
	require.False(t, got[0].ByBot)
	require.Equal(t, 5, got[0].Score)
	require.Equal(t, ta.userID(agent), *got[0].AgentID)
	require.Equal(t, "general", *got[0].Team)
	ta.do("PUT", path, tok, map[string]any{"score": 4}, 200, nil) // a change, in the new window

	// Waiting for a person: no first rating (the other conversation's customer asks for one).
	conv2, tok2 := ta.handedOff("zh")
	ta.do("PUT", "/api/v1/conversations/"+conv2+"/rating", tok2, map[string]any{"score": 3}, 409, nil)
}

// A ticket solved after the chat is rated from the conversation where the ticket_solved message
// asked for it; the rating goes to the ticket's assignee and team.
func TestCSATTicketRating(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("tom@x.test", "agent", "billing")
	agentID := ta.userID(agent)
	conv, tok := ta.customer("en")
	ctx := context.Background()
	var ticket, unlinked int64
	require.NoError(t, ta.DB.Pool.QueryRow(ctx, `INSERT INTO tickets (subject, team, assignee_id, status, due_at, solved_at)
		VALUES ('Refund for order 1234', 'billing', $1, 'open', now() + interval '1 day', NULL) RETURNING id`, agentID).Scan(&ticket))
	require.NoError(t, ta.DB.Pool.QueryRow(ctx, `INSERT INTO tickets (subject, status, due_at)
		VALUES ('Someone else''s', 'solved', now()) RETURNING id`).Scan(&unlinked))
	path := "/api/v1/conversations/" + conv + "/rating"

	// Not linked to this conversation: 404, whatever its state.
	ta.do("PUT", path, tok, map[string]any{"score": 5, "ticket_id": unlinked}, 404, nil)
	ta.do("PUT", path, tok, map[string]any{"score": 5, "ticket_id": ticket}, 404, nil)

	// Solved, and announced in the chat with a ticket_solved system message.
	_, err := ta.DB.Pool.Exec(ctx, `UPDATE tickets SET status = 'solved', solved_at = now() WHERE id = $1`, ticket)
	require.NoError(t, err)
	_, err = ta.DB.Pool.Exec(ctx, `WITH c AS (UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
		INSERT INTO messages (conversation_id, seq, sender, text, bot_done, meta)
		SELECT $1, c.last_seq, 'system', 'Your ticket T' || $2::bigint || ' has been solved.', true,
		       jsonb_build_object('kind', 'ticket_solved', 'ticket_id', $2::bigint) FROM c`, conv, ticket)
	require.NoError(t, err)

	var st ratingState
	ta.do("GET", path, tok, nil, 200, &st)
	require.Len(t, st.Tickets, 1)
	require.Equal(t, ticket, *st.Tickets[0].TicketID)
	require.Equal(t, "Refund for order 1234", st.Tickets[0].Subject)
	require.True(t, st.Tickets[0].CanRate)

	ta.do("PUT", path, tok, map[string]any{"score": 2, "comment": "Took a week", "ticket_id": ticket}, 200, &st)
	require.Equal(t, 2, st.Tickets[0].Rating.Score)
	require.Nil(t, st.Conversation.Rating, "the ticket's rating is not the conversation's")
	ta.do("PUT", path, tok, map[string]any{"score": 3, "ticket_id": ticket}, 200, &st)
	var n int
	var gotAgent *int64
	var team string
	require.NoError(t, ta.DB.Pool.QueryRow(ctx, `SELECT count(*) OVER (), agent_id, team FROM csat_ratings WHERE ticket_id = $1`, ticket).
		Scan(&n, &gotAgent, &team))
	require.Equal(t, 1, n)
	require.Equal(t, agentID, *gotAgent)
	require.Equal(t, "billing", team)

	// A reopened ticket keeps its rating but cannot be rated anew elsewhere; an unsolved linked one waits.
	var pending int64
	require.NoError(t, ta.DB.Pool.QueryRow(ctx, `INSERT INTO tickets (subject, status, due_at, conversation_id)
		VALUES ('Still open', 'pending', now(), $1) RETURNING id`, conv).Scan(&pending))
	status, b := ta.raw("PUT", path, tok, map[string]any{"score": 5, "ticket_id": pending})
	require.Equal(t, 409, status)
	require.Contains(t, string(b), "not solved")
}

// Supervisors list ratings with averages, filtered by team, agent, bot and date; agents may not.
func TestCSATStaffList(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("ana@x.test", "agent", "general")
	agentID := ta.userID(agent)
	sup := ta.user("sue@x.test", "supervisor")
	ctx := context.Background()

	conv, tok := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)
	ta.do("PUT", "/api/v1/conversations/"+conv+"/rating", tok, map[string]any{"score": 4, "comment": "good"}, 200, nil)
	botConv, botTok := ta.customer("en")
	ta.say(botConv, botTok, "hello")
	ta.do("PUT", "/api/v1/conversations/"+botConv+"/rating", botTok, map[string]any{"score": 1}, 200, nil)

	ta.do("GET", "/api/v1/csat", agent, nil, 403, nil)
	ta.do("GET", "/api/v1/csat", "", nil, 401, nil)
	type listOut struct {
		Ratings []struct {
			ConversationID string `json:"conversation_id"`
			Score          int    `json:"score"`
			Comment        string `json:"comment"`
			AgentName      string `json:"agent_name"`
			ByBot          bool   `json:"by_bot"`
		} `json:"ratings"`
		Summary struct {
			Count        int     `json:"count"`
			Average      float64 `json:"average"`
			Distribution []int   `json:"distribution"`
			ByAgent      []struct {
				AgentID int64   `json:"agent_id"`
				Count   int     `json:"count"`
				Average float64 `json:"average"`
			} `json:"by_agent"`
			ByTeam []struct {
				Team    string  `json:"team"`
				Average float64 `json:"average"`
			} `json:"by_team"`
			Bot struct {
				Count   int     `json:"count"`
				Average float64 `json:"average"`
			} `json:"bot"`
		} `json:"summary"`
	}
	var all listOut
	ta.do("GET", "/api/v1/csat", sup, nil, 200, &all)
	require.Len(t, all.Ratings, 2)
	require.Equal(t, 2, all.Summary.Count)
	require.InDelta(t, 2.5, all.Summary.Average, 0.001)
	require.Equal(t, []int{1, 0, 0, 1, 0}, all.Summary.Distribution)
	require.Len(t, all.Summary.ByAgent, 1)
	require.Equal(t, agentID, all.Summary.ByAgent[0].AgentID)
	require.Equal(t, 1, all.Summary.Bot.Count)
	require.InDelta(t, 1, all.Summary.Bot.Average, 0.001)
	require.Len(t, all.Summary.ByTeam, 1)
	require.Equal(t, "general", all.Summary.ByTeam[0].Team)

	var bot listOut
	ta.do("GET", "/api/v1/csat?bot=true", sup, nil, 200, &bot)
	require.Len(t, bot.Ratings, 1)
	require.True(t, bot.Ratings[0].ByBot)
	var byAgent listOut
	ta.do("GET", "/api/v1/csat?agent_id="+itoa(agentID)+"&team=general", sup, nil, 200, &byAgent)
	require.Len(t, byAgent.Ratings, 1)
	require.Equal(t, "good", byAgent.Ratings[0].Comment)
	require.Equal(t, "ana@x.test", byAgent.Ratings[0].AgentName)

	_, err := ta.DB.Pool.Exec(ctx, `UPDATE csat_ratings SET created_at = '2026-01-10T12:00:00Z' WHERE conversation_id = $1`, botConv)
	require.NoError(t, err)
	var dated listOut
	ta.do("GET", "/api/v1/csat?from=2026-01-10&to=2026-01-10", sup, nil, 200, &dated)
	require.Len(t, dated.Ratings, 1)
	require.Equal(t, botConv, dated.Ratings[0].ConversationID)
	ta.do("GET", "/api/v1/csat?from=yesterday", sup, nil, 400, nil)
	ta.do("GET", "/api/v1/csat?bot=maybe", sup, nil, 400, nil)
	ta.do("GET", "/api/v1/csat?limit=0", sup, nil, 400, nil)
}
