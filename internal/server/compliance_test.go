package server

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

type compHit struct {
	RuleID   int64  `json:"rule_id"`
	Phrase   string `json:"phrase"`
	Action   string `json:"action"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
	Template string `json:"template"`
	Field    string `json:"field"`
}

type compRefusal struct {
	Error string    `json:"error"`
	Hits  []compHit `json:"hits"`
}

type compLogged struct {
	Hits []struct {
		RuleID         *int64  `json:"rule_id"`
		Phrase         string  `json:"phrase"`
		Source         string  `json:"source"`
		Outcome        string  `json:"outcome"`
		UserName       string  `json:"user_name"`
		ConversationID *string `json:"conversation_id"`
		Language       string  `json:"language"`
	} `json:"hits"`
}

func (ta *testApp) rule(admin string, body map[string]any) int64 {
	ta.t.Helper()
	var out struct {
		Rule struct {
			ID int64 `json:"id"`
		} `json:"rule"`
	}
	ta.do("POST", "/api/v1/compliance/rules", admin, body, 201, &out)
	return out.Rule.ID
}

// Admins keep the rules, supervisors read them, nobody else sees them; bad rules are refused.
func TestComplianceRulesAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@x.test", "admin")
	sup := ta.user("sup@x.test", "supervisor")
	agent := ta.user("agent@x.test", "agent")

	id := ta.rule(admin, map[string]any{"phrase": " 保证退款 ", "action": "warn", "exceptions": []string{"不保证退款"}})
	ta.do("POST", "/api/v1/compliance/rules", sup, map[string]any{"phrase": "x"}, 403, nil)
	ta.do("POST", "/api/v1/compliance/rules", agent, map[string]any{"phrase": "x"}, 403, nil)
	ta.do("GET", "/api/v1/compliance/rules", agent, nil, 403, nil)
	ta.do("GET", "/api/v1/compliance/rules", "", nil, 401, nil)
	for _, bad := range []map[string]any{
		{"phrase": ""}, {"phrase": "x", "language": "fr"}, {"phrase": "x", "match": "fuzzy"}, {"phrase": "x", "action": "hide"},
		{"phrase": "(", "match": "regex"}, {"phrase": ".*", "match": "regex"}, {"phrase": string(make([]byte, 201))},
		{"phrase": "x", "bogus": 1},
	} {
		var e compRefusal
		ta.do("POST", "/api/v1/compliance/rules", admin, bad, 400, &e)
		require.NotEmpty(t, e.Error)
	}
	var list struct {
		Rules []struct {
			ID         int64    `json:"id"`
			Phrase     string   `json:"phrase"`
			Language   string   `json:"language"`
			Match      string   `json:"match"`
			Action     string   `json:"action"`
			Exceptions []string `json:"exceptions"`
			Active     bool     `json:"active"`
		} `json:"rules"`
	}
	ta.do("GET", "/api/v1/compliance/rules", sup, nil, 200, &list)
	require.Len(t, list.Rules, 1)
	r := list.Rules[0]
	require.Equal(t, []any{id, "保证退款", "any", "contains", "warn", []string{"不保证退款"}, true},
		[]any{r.ID, r.Phrase, r.Language, r.Match, r.Action, r.Exceptions, r.Active})

	ta.do("PUT", "/api/v1/compliance/rules/"+itoa(id), admin, map[string]any{"phrase": "保证退款", "action": "block", "active": false}, 200, nil)
	ta.do("PUT", "/api/v1/compliance/rules/999999", admin, map[string]any{"phrase": "x"}, 404, nil)
	ta.do("PUT", "/api/v1/compliance/rules/"+itoa(id), sup, map[string]any{"phrase": "x"}, 403, nil)
	ta.do("GET", "/api/v1/compliance/rules", admin, nil, 200, &list)
	require.False(t, list.Rules[0].Active)
	require.Equal(t, "block", list.Rules[0].Action)
	ta.do("DELETE", "/api/v1/compliance/rules/"+itoa(id), admin, nil, 204, nil)
	ta.do("DELETE", "/api/v1/compliance/rules/"+itoa(id), admin, nil, 404, nil)
	ta.do("GET", "/api/v1/compliance/hits?outcome=nope", sup, nil, 400, nil)
	ta.do("GET", "/api/v1/compliance/hits?limit=0", sup, nil, 400, nil)
	ta.do("GET", "/api/v1/compliance/hits", agent, nil, 403, nil)
}

// An agent's reply with a blocked phrase is not sent (422, nothing stored, logged as blocked); one
// with a phrase to avoid is held back (409, logged as warned) until the agent confirms, then sent
// (logged as sent after warning). Exceptions and other languages' rules let replies through.
func TestComplianceAgentReply(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@x.test", "admin")
	agent := ta.namedUser("lily@x.test", "Lily", "agent")
	blockID := ta.rule(admin, map[string]any{"phrase": "guaranteed refund", "match": "word", "language": "en", "exceptions": []string{"no guaranteed refund"}})
	ta.rule(admin, map[string]any{"phrase": "最", "language": "zh", "action": "warn", "exceptions": []string{"最近"}})

	conv, tok := ta.handedOff("en")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	path := "/api/v1/conversations/" + conv + "/agent-messages"
	customerSees := func() []string {
		var out struct {
			Messages []msgOut `json:"messages"`
		}
		ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, &out)
		var texts []string
		for _, m := range out.Messages {
			if m.Sender == "agent" {
				texts = append(texts, m.Text)
			}
		}
		return texts
	}

	var refused compRefusal
	ta.do("POST", path, agent, map[string]any{"text": "You have a Guaranteed Refund, I promise."}, 422, &refused)
	require.Contains(t, refused.Error, "banned phrase")
	require.Equal(t, []compHit{{RuleID: blockID, Phrase: "guaranteed refund", Action: "block", Start: 11, End: 28, Text: "Guaranteed Refund"}}, refused.Hits)
	// confirm does not get a blocked phrase through
	ta.do("POST", path, agent, map[string]any{"text": "You have a guaranteed refund.", "confirm": true}, 422, nil)
	require.Empty(t, customerSees(), "nothing blocked reaches the customer")

	// Exceptions and word boundaries.
	ta.do("POST", path, agent, map[string]any{"text": "Sorry, there is no guaranteed refund for opened items."}, 201, nil)
	ta.do("POST", path, agent, map[string]any{"text": "最近的门店在这里"}, 201, nil)

	ta.do("POST", path, agent, map[string]any{"text": "这是最好的选择"}, 409, &refused)
	require.Len(t, refused.Hits, 1)
	require.Equal(t, compHit{RuleID: refused.Hits[0].RuleID, Phrase: "最", Action: "warn", Start: 2, End: 3, Text: "最"}, refused.Hits[0])
	require.Len(t, customerSees(), 2)
	ta.do("POST", path, agent, map[string]any{"text": "这是最好的选择", "confirm": true}, 201, nil)
	require.Equal(t, []string{"Sorry, there is no guaranteed refund for opened items.", "最近的门店在这里", "这是最好的选择"}, customerSees())

	var logged compLogged
	ta.do("GET", "/api/v1/compliance/hits?source=agent_reply", admin, nil, 200, &logged)
	var outcomes []string
	for _, h := range logged.Hits {
		require.Equal(t, "Lily", h.UserName)
		require.Equal(t, conv, *h.ConversationID)
		require.Equal(t, "en", h.Language)
		outcomes = append(outcomes, h.Phrase+" "+h.Outcome)
	}
	require.Equal(t, []string{"最 sent_after_warning", "最 warned", "guaranteed refund blocked", "guaranteed refund blocked"}, outcomes)
	ta.do("GET", "/api/v1/compliance/hits?outcome=blocked&rule_id="+itoa(blockID), admin, nil, 200, &logged)
	require.Len(t, logged.Hits, 2)

	// Turned off, the rule lets the reply through at once.
	ta.do("PUT", "/api/v1/compliance/rules/"+itoa(blockID), admin, map[string]any{"phrase": "guaranteed refund", "active": false}, 200, nil)
	ta.do("POST", path, agent, map[string]any{"text": "You have a guaranteed refund."}, 201, nil)
}

// A bot answer with a blocked phrase is replaced by the bot's "I can't answer that" with the offer
// of a person; "yes" hands the conversation off with the question. A warned phrase is sent.
func TestComplianceBotAnswer(t *testing.T) {
	ta, _ := answerApp(t)
	admin := ta.user("admin@x.test", "admin")

	before := ta.ask("en", "do you ship to canada")
	require.Equal(t, "answer", before.Meta.Kind)
	require.Contains(t, before.Text, "Canada")

	ta.rule(admin, map[string]any{"phrase": "canada", "language": "en"})
	conv, tok := ta.customer("en")
	out := ta.say(conv, tok, "do you ship to canada")
	require.Len(t, out.Replies, 1)
	reply := out.Replies[0]
	require.NotContains(t, reply.Text, "Canada")
	require.Contains(t, reply.Text, "connect you to a person")
	require.Equal(t, "dont_know", reply.Meta.Kind)
	require.Equal(t, "compliance", reply.Meta.Reason)
	require.Empty(t, reply.Citations)

	ta.say(conv, tok, "yes")
	var c convOut
	ta.do("GET", "/api/v1/conversations/"+conv, tok, nil, 200, &c)
	require.Equal(t, "queued", c.Conversation.Status)

	var logged compLogged
	ta.do("GET", "/api/v1/compliance/hits?source=bot_answer", admin, nil, 200, &logged)
	require.Len(t, logged.Hits, 1)
	require.Equal(t, "blocked", logged.Hits[0].Outcome)
	require.Equal(t, conv, *logged.Hits[0].ConversationID)
	require.Equal(t, "en", logged.Hits[0].Language)
	require.Empty(t, logged.Hits[0].UserName, "the bot has no user")
}

const complianceBot = `name: compliance-test
intents:
  - name: opening_hours
    examples:
      zh: [门店几点开门, 实体店营业时间, 你们线下店几点关门, 周末门店开吗]
      en: [what time does the store open, store opening hours, when do your shops close, are the stores open on sunday]
    action:
      reply: {zh: 门店每天 10:00-22:00 营业，全网最低价。, en: "Our stores are open 10:00-22:00 every day, lowest price guaranteed."}
  - name: greeting
    examples:
      zh: [你好, 在吗, 您好, 哈喽]
      en: [hello, hi there, good morning, hey]
    action:
      reply: 您好 / Hello!
`

// A bot definition whose template holds a blocked phrase is refused on validate and save, naming
// the template; a warned phrase is saved with warnings.
func TestComplianceBotTemplates(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@x.test", "admin")
	editor := ta.user("ed@x.test", "editor")
	id := ta.rule(admin, map[string]any{"phrase": "最低价", "language": "zh"})

	var refused compRefusal
	ta.do("POST", "/api/v1/bot/definition/validate", editor, map[string]string{"source": complianceBot}, 422, &refused)
	require.Contains(t, refused.Error, "intents.opening_hours.action.reply")
	require.Contains(t, refused.Error, "最低价")
	ta.do("PUT", "/api/v1/bot/definition", editor, map[string]string{"source": complianceBot}, 422, &refused)
	require.Equal(t, "intents.opening_hours.action.reply", refused.Hits[0].Template)
	ta.do("GET", "/api/v1/bot/definition", editor, nil, 404, nil) // nothing was saved

	ta.do("PUT", "/api/v1/compliance/rules/"+itoa(id), admin, map[string]any{"phrase": "最低价", "language": "zh", "action": "warn"}, 200, nil)
	var saved struct {
		Created  bool      `json:"created"`
		Warnings []compHit `json:"warnings"`
	}
	ta.do("PUT", "/api/v1/bot/definition", editor, map[string]string{"source": complianceBot}, 201, &saved)
	require.True(t, saved.Created)
	require.Len(t, saved.Warnings, 1)
	require.Equal(t, "最低价", saved.Warnings[0].Text)

	var logged compLogged
	ta.do("GET", "/api/v1/compliance/hits?source=bot_template", admin, nil, 200, &logged)
	require.Len(t, logged.Hits, 2, "saves are logged, validations not")
	require.Equal(t, "warned", logged.Hits[0].Outcome)
	require.Equal(t, "blocked", logged.Hits[1].Outcome)
}

// Publishing an article with a blocked phrase is refused; drafts are not checked.
func TestComplianceArticlePublish(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@x.test", "admin")
	editor := ta.user("ed@x.test", "editor")
	ta.rule(admin, map[string]any{"phrase": "guaranteed refund"})
	article := map[string]any{"title": "Refunds", "body": "Every order has a guaranteed refund within 30 days.", "language": "en"}
	var created struct {
		Article struct {
			ID      int64  `json:"id"`
			Status  string `json:"status"`
			Version int    `json:"version"`
		} `json:"article"`
	}
	ta.do("POST", "/api/v1/kb/articles", editor, article, 201, &created) // a draft
	var refused compRefusal
	ta.do("POST", "/api/v1/kb/articles/"+itoa(created.Article.ID)+"/publish", editor, map[string]any{}, 422, &refused)
	require.Equal(t, "body", refused.Hits[0].Field)
	require.Contains(t, refused.Error, "guaranteed refund")
	article["status"] = "published"
	ta.do("POST", "/api/v1/kb/articles", editor, article, 422, nil)
	var got struct {
		Article struct {
			Status string `json:"status"`
		} `json:"article"`
	}
	ta.do("GET", "/api/v1/kb/articles/"+itoa(created.Article.ID), editor, nil, 200, &got)
	require.Equal(t, "draft", got.Article.Status)
}

// Every process sees a rule change within seconds: a second server on the same database hears it
// on the event bus.
func TestComplianceRulesReachOtherProcesses(t *testing.T) {
	pool := dbtest.New(t)
	a := newTestAppOn(t, pool, appOptions{})
	b := newTestAppOn(t, pool, appOptions{})
	admin := a.user("admin@x.test", "admin")
	ctx := context.Background()
	hits, err := b.Compliance.Check(ctx, "a guaranteed refund", "en") // b caches: no rules
	require.NoError(t, err)
	require.Empty(t, hits)
	a.rule(admin, map[string]any{"phrase": "guaranteed refund"})
	require.Eventually(t, func() bool {
		hits, err := b.Compliance.Check(ctx, "a guaranteed refund", "en")
		return err == nil && len(hits) == 1
	}, 5*time.Second, 50*time.Millisecond)
}

// Restoring an old text of a published article publishes it again: a blocked phrase in it is refused.
func TestComplianceArticleRestore(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@x.test", "admin")
	editor := ta.user("ed@x.test", "editor")
	var art struct {
		Article struct {
			ID int64 `json:"id"`
		} `json:"article"`
	}
	ta.do("POST", "/api/v1/kb/articles", editor, map[string]any{"title": "Refunds", "body": "A guaranteed refund for everyone.",
		"language": "en", "status": "published"}, 201, &art)
	id := itoa(art.Article.ID)
	ta.do("PUT", "/api/v1/kb/articles/"+id, editor, map[string]any{"title": "Refunds", "body": "Refunds after inspection.",
		"language": "en", "status": "published", "version": 1}, 200, nil)
	ta.rule(admin, map[string]any{"phrase": "guaranteed refund", "action": "block"})
	var refused compRefusal
	ta.do("POST", "/api/v1/kb/articles/"+id+"/versions/1/restore", editor, map[string]any{}, 422, &refused)
	require.Equal(t, "guaranteed refund", refused.Hits[0].Phrase)
}

// A ticket's subject reaches the customer (the chat's status answer, the solved notice): a
// blocked phrase in it is refused when the ticket is opened or renamed; a warned one is kept.
func TestComplianceTicketSubject(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	admin := ta.user("admin@x.test", "admin")
	agent := ta.user("agent@x.test", "agent", "general")
	ta.rule(admin, map[string]any{"phrase": "guaranteed refund", "language": "en"})
	ta.rule(admin, map[string]any{"phrase": "asap", "language": "en", "action": "warn"})
	conv, _ := ta.handedOff("en")

	var refused compRefusal
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "Guaranteed refund for the kettle", "conversation_id": conv}, 422, &refused)
	require.Len(t, refused.Hits, 1)
	var created ticketOut
	ta.do("POST", "/api/v1/tickets", agent, map[string]any{"subject": "Refund for the kettle asap", "conversation_id": conv}, 201, &created)
	ta.do("PATCH", "/api/v1/tickets/"+created.Ticket.Number, agent, map[string]any{"subject": "guaranteed refund"}, 422, nil)
	var got struct {
		Ticket struct{ Subject string } `json:"ticket"`
	}
	ta.do("GET", "/api/v1/tickets/"+created.Ticket.Number, agent, nil, 200, &got)
	require.Equal(t, "Refund for the kettle asap", got.Ticket.Subject)
}
