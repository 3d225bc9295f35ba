package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/internal/demo"
)

// A task half done survives a restart: the state is in Postgres and the definition is recompiled
// from the stored version by the new process.
func TestTaskSurvivesRestart(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("zh")
	out := ta.say(conv, tok, "我要退货")
	require.Equal(t, "ask", out.Replies[0].Meta.Kind)
	require.Equal(t, "order_id", out.Replies[0].Meta.Asking)
	out = ta.say(conv, tok, "订单号是A7654321")
	require.Equal(t, "reason", out.Replies[0].Meta.Asking)

	// "Restart": a brand-new engine compiled from the database; nothing kept in memory.
	fresh := &bot.Loader{Store: bot.NewStore(ta.DB.Pool), Holder: &bot.Holder{}, Env: ta.Bots.Env}
	require.NoError(t, fresh.Reload(context.Background()))
	ta.Turns.Bot.Engines = fresh.Holder

	out = ta.say(conv, tok, "质量问题，拉链坏了")
	require.Equal(t, "photo_note", out.Replies[0].Meta.Asking, "the order number given before the restart is kept")
	require.Equal(t, "A7654321", out.Replies[0].Meta.Slots["order_id"])
	require.Equal(t, "quality", out.Replies[0].Meta.Slots["reason"])
	out = ta.say(conv, tok, "没有")
	last := out.Replies[len(out.Replies)-1]
	require.Equal(t, "action", last.Meta.Kind)
	require.Contains(t, last.Text, "退货单号")
}

// The agent's context card carries the intent, confidence and slots gathered before the handoff.
func TestContextCardCarriesIntentAndSlots(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	conv, tok := ta.customer("zh")
	ta.say(conv, tok, "我要改地址，订单A1234561")
	out := ta.say(conv, tok, "算了，转人工吧")
	require.Equal(t, "handoff", out.Replies[0].Meta.Kind)

	agent := ta.user("agent@x.test", "agent")
	var card struct {
		Handoff struct {
			Reason  string `json:"reason"`
			Skill   string `json:"skill"`
			Context struct {
				Intent     string            `json:"intent"`
				Confidence float64           `json:"confidence"`
				Slots      map[string]string `json:"slots"`
				Sentiment  *struct {
					Label string `json:"label"`
				} `json:"sentiment"`
			} `json:"context"`
		} `json:"handoff"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/context", agent, nil, 200, &card)
	require.Equal(t, "human_request", card.Handoff.Reason)
	require.Equal(t, "logistics", card.Handoff.Skill, "the change_address intent routes to logistics")
	require.Equal(t, "change_address", card.Handoff.Context.Intent)
	require.Greater(t, card.Handoff.Context.Confidence, 0.0)
	require.Equal(t, map[string]string{"order_id": "A1234561"}, card.Handoff.Context.Slots)
	require.NotNil(t, card.Handoff.Context.Sentiment)
}

// What the bot knew reaches the agent after a finished task too: an order tracked, then a
// complaint with no question in it. The card shows the order number, a negative mood and the
// customer's words; the queue card shows those words instead of "(no question recorded)".
func TestHandoffAfterFinishedTaskKeepsWhatTheBotKnew(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("lead@x.test", "admin") // an admin sees every queue
	for _, c := range []struct{ lang, first, second, complaint, reason string }{
		{"zh", "我的快递到哪了", "A1234567", "太差了，我要投诉", "complaint"},
		{"en", "where is my order?", "A1234567", "I want to talk to a person", "human_request"},
	} {
		conv, tok := ta.customer(c.lang)
		require.Equal(t, "ask", ta.say(conv, tok, c.first).Replies[0].Meta.Kind)
		require.Equal(t, "action", ta.say(conv, tok, c.second).Replies[0].Meta.Kind, "the order is tracked")
		out := ta.say(conv, tok, c.complaint)
		require.Equal(t, "handoff", out.Replies[0].Meta.Kind)
		require.Equal(t, c.reason, out.Replies[0].Meta.Reason)

		var card struct {
			Handoff struct {
				Context struct {
					Message   string            `json:"message"`
					Slots     map[string]string `json:"slots"`
					Sentiment *struct {
						Label string  `json:"label"`
						Score float64 `json:"score"`
					} `json:"sentiment"`
				} `json:"context"`
			} `json:"handoff"`
		}
		ta.do("GET", "/api/v1/conversations/"+conv+"/context", agent, nil, 200, &card)
		require.Equal(t, map[string]string{"order_id": "A1234567"}, card.Handoff.Context.Slots, c.lang)
		require.Equal(t, c.complaint, card.Handoff.Context.Message)
		require.NotNil(t, card.Handoff.Context.Sentiment)
		if c.reason == "complaint" {
			require.Equal(t, "negative", card.Handoff.Context.Sentiment.Label, "%q is no neutral message", c.complaint)
			require.Less(t, card.Handoff.Context.Sentiment.Score, 0.0)
		}

		var queue struct {
			Items []struct {
				ConversationID string `json:"conversation_id"`
				Question       string `json:"question"`
				Message        string `json:"message"`
			} `json:"items"`
		}
		ta.do("GET", "/api/v1/queue", agent, nil, 200, &queue)
		found := false
		for _, it := range queue.Items {
			if it.ConversationID == conv {
				found = true
				require.Equal(t, c.complaint, it.Message)
			}
		}
		require.True(t, found, "the conversation waits in the queue: %+v", queue.Items)
	}
}

func TestBotDefinitionAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	editor := ta.user("ed@x.test", "editor")
	agent := ta.user("ag@x.test", "agent")

	var def struct {
		Version   int     `json:"version"`
		Source    string  `json:"source"`
		Threshold float64 `json:"threshold"`
		Intents   []struct {
			Name, Kind string
			Examples   int
		} `json:"intents"`
	}
	ta.do("GET", "/api/v1/bot/definition", editor, nil, 200, &def)
	require.Equal(t, 1, def.Version)
	require.NotEmpty(t, def.Intents)
	require.Greater(t, def.Threshold, 0.0)
	ta.do("GET", "/api/v1/bot/definition", agent, nil, http.StatusForbidden, nil)
	ta.do("GET", "/api/v1/bot/definition", "", nil, http.StatusUnauthorized, nil)

	// An unknown key is refused with its line, and nothing changes.
	broken := strings.Replace(def.Source, "  - name: greeting\n", "  - name: greeting\n    bogus: 1\n", 1)
	var bad struct {
		Error string `json:"error"`
		Line  int    `json:"line"`
	}
	ta.do("PUT", "/api/v1/bot/definition", editor, map[string]string{"source": broken}, 400, &bad)
	require.Contains(t, bad.Error, "bogus")
	require.Equal(t, strings.Count(broken[:strings.Index(broken, "bogus")], "\n")+1, bad.Line)

	// A new intent is learned at once: the next customer message uses it.
	changed := def.Source + `
  - name: opening_hours
    label: {zh: 门店营业时间, en: store opening hours}
    examples:
      zh: [门店几点开门, 实体店营业时间, 你们线下店几点关门, 周末门店开吗]
      en: [what time does the store open, store opening hours, when do your shops close, are the stores open on sunday]
    action:
      reply: {zh: 门店每天 10:00-22:00 营业。, en: "Our stores are open 10:00-22:00 every day."}
`
	var saved struct {
		Definition struct{ Version int } `json:"definition"`
		Created    bool                  `json:"created"`
	}
	ta.do("PUT", "/api/v1/bot/definition", editor, map[string]string{"source": changed}, 201, &saved)
	require.Equal(t, 2, saved.Definition.Version)
	ta.do("PUT", "/api/v1/bot/definition", editor, map[string]string{"source": changed}, 200, &saved)
	require.False(t, saved.Created, "saving the same text again creates no version")

	conv, tok := ta.customer("zh")
	out := ta.say(conv, tok, "你们门店几点开门？")
	require.Contains(t, out.Replies[0].Text, "10:00-22:00")
	require.Equal(t, "opening_hours", out.Replies[0].Meta.Intent)

	var p struct {
		Intent string            `json:"intent"`
		Slots  map[string]string `json:"slots"`
	}
	ta.do("POST", "/api/v1/bot/predict", editor, map[string]string{"text": "查下物流 A1234567"}, 200, &p)
	require.Equal(t, "track_order", p.Intent)
	require.Equal(t, "A1234567", p.Slots["order_id"])
	ta.do("POST", "/api/v1/bot/predict", editor, map[string]string{"text": "  "}, 400, nil)

	var versions struct {
		Versions []struct {
			Version int  `json:"version"`
			Active  bool `json:"active"`
		} `json:"versions"`
	}
	ta.do("GET", "/api/v1/bot/definitions", editor, nil, 200, &versions)
	require.Len(t, versions.Versions, 2)
	require.True(t, versions.Versions[0].Active)

	// Rolling back forgets the new intent again.
	ta.do("POST", "/api/v1/bot/definitions/1/activate", editor, nil, 200, nil)
	ta.do("POST", "/api/v1/bot/definitions/99/activate", editor, nil, 404, nil)
	conv2, tok2 := ta.customer("zh")
	out = ta.say(conv2, tok2, "你们门店几点开门？")
	require.NotEqual(t, "opening_hours", out.Replies[0].Meta.Intent)
}

// The demo agent works every queue the demo bot routes to, so a complaint (after_sales) reaches them.
func TestDemoAgentSeesEveryDemoSkill(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	accounts, err := demo.Load(context.Background(), ta.KB, ta.Users, t.TempDir(), ta.Log)
	require.NoError(t, err)
	token, _, err := ta.Users.Login(context.Background(), accounts[0].Email, accounts[0].Password)
	require.NoError(t, err)
	conv, tok := ta.customer("zh")
	out := ta.say(conv, tok, "我要投诉，东西坏了没人管")
	require.Equal(t, "complaint", out.Replies[0].Meta.Reason)
	var q struct {
		Items []struct {
			ConversationID string `json:"conversation_id"`
			Skill          string `json:"skill"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/queue", token, nil, 200, &q)
	require.NotEmpty(t, q.Items)
	require.Equal(t, conv, q.Items[0].ConversationID)
	require.Equal(t, "after_sales", q.Items[0].Skill)
}
