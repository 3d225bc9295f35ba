package server

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

type groupOut struct {
	ID        int64  `json:"id"`
	Question  string `json:"question"`
	Answer    string `json:"answer"`
	Status    string `json:"status"`
	Count     int    `json:"count"`
	Phrasings []struct {
		Text  string `json:"text"`
		Count int    `json:"count"`
	} `json:"phrasings"`
	Answers []struct {
		Answer string `json:"answer"`
	} `json:"answers"`
	Article *struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	} `json:"article"`
	ReviewedBy *struct {
		Email string `json:"email"`
	} `json:"reviewed_by"`
}

type unansweredOut struct {
	Items []struct {
		ID              int64          `json:"id"`
		Question        string         `json:"question"`
		Count           int            `json:"count"`
		Language        string         `json:"language"`
		Reasons         map[string]int `json:"reasons"`
		ConversationIDs []string       `json:"conversation_ids"`
		Covered         bool           `json:"covered"`
		CoveredBy       struct {
			Article *struct {
				ID int64 `json:"id"`
			} `json:"article"`
			Suggestion *struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			} `json:"suggestion"`
		} `json:"covered_by"`
	} `json:"items"`
}

// handedOver has a customer ask q (which the bot does not know), ask for a person, and an agent
// answer and resolve; it returns the conversation.
func (ta *testApp) handedOver(agent, q, answer string) string {
	ta.t.Helper()
	conv, tok := ta.customer("en")
	out := ta.say(conv, tok, q)
	require.Equal(ta.t, "dont_know", out.Replies[0].Meta.Kind, "the bot does not know %q: %s", q, out.Replies[0].Text)
	ta.say(conv, tok, "talk to a human")
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": answer}, 201, nil)
	ta.do("POST", "/api/v1/conversations/"+conv+"/resolve", agent, map[string]string{"disposition": "resolved"}, 200, nil)
	return conv
}

// Two customers ask the same thing in other words: the editor sees one suggestion asked twice and
// the question in the unanswered report; merging it into an article makes the bot answer the
// next customer who asks it in yet other words.
func TestSuggestionGroupMergeThenBotAnswers(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	agent := ta.user("agent@x.test", "agent")
	editor := ta.user("editor@x.test", "editor")

	q1 := "Can I collect my order in person at your Shanghai warehouse?"
	q2 := "is in-person collection at the Shanghai warehouse possible?"
	c1 := ta.handedOver(agent, q1, "Yes, weekdays 10:00-17:00.")
	c2 := ta.handedOver(agent, q2, "Yes: choose Self pickup at checkout, then come Monday to Friday 10:00-17:00.")

	var list struct{ Items []groupOut }
	ta.do("GET", "/api/v1/kb/suggestions", editor, nil, 200, &list)
	require.Len(t, list.Items, 1, "one question")
	g := list.Items[0]
	require.Equal(t, 2, g.Count)
	require.Equal(t, q1, g.Question)
	require.Len(t, g.Phrasings, 2)
	require.Equal(t, "Yes: choose Self pickup at checkout, then come Monday to Friday 10:00-17:00.", g.Answers[0].Answer, "latest first")

	var rep unansweredOut
	ta.do("GET", "/api/v1/kb/unanswered?days=30&language=en", editor, nil, 200, &rep)
	require.Len(t, rep.Items, 1)
	require.Equal(t, 2, rep.Items[0].Count)
	require.Equal(t, 2, rep.Items[0].Reasons["dont_know"])
	require.ElementsMatch(t, []string{c1, c2}, rep.Items[0].ConversationIDs)
	require.NotNil(t, rep.Items[0].CoveredBy.Suggestion)
	require.Equal(t, g.ID, rep.Items[0].CoveredBy.Suggestion.ID)
	require.False(t, rep.Items[0].Covered, "a suggestion waiting for review does not answer anyone yet")
	ta.do("GET", "/api/v1/kb/unanswered?language=zh", editor, nil, 200, &rep)
	require.Empty(t, rep.Items)

	var found struct {
		Items []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/kb/articles?q="+url.QueryEscape("Delivery Times"), editor, nil, 200, &found)
	require.Len(t, found.Items, 1)
	target := found.Items[0].ID

	path := "/api/v1/kb/suggestions/" + itoa(g.ID) + "/merge"
	ta.do("POST", path, editor, map[string]any{"article_id": 987654}, 404, nil)
	ta.do("POST", "/api/v1/kb/suggestions/987654/merge", editor, map[string]any{"article_id": target}, 404, nil)
	ta.do("POST", path, editor, map[string]any{}, 400, nil)
	ta.do("POST", path, editor, map[string]any{"article_id": target, "append_answer": 3}, 400, nil)
	ta.do("POST", path, editor, map[string]any{"article_id": target, "surprise": 1}, 400, nil)
	var merged struct {
		Suggestion struct {
			Status    string `json:"status"`
			ArticleID int64  `json:"article_id"`
		} `json:"suggestion"`
		Article struct {
			ID        int64    `json:"id"`
			Body      string   `json:"body"`
			Questions []string `json:"questions"`
		} `json:"article"`
		AddedQuestions []string `json:"added_questions"`
	}
	ta.do("POST", path, editor, map[string]any{"article_id": target, "append_answer": true}, 200, &merged)
	require.Equal(t, "merged", merged.Suggestion.Status)
	require.Equal(t, target, merged.Suggestion.ArticleID)
	require.ElementsMatch(t, []string{q1, q2}, merged.AddedQuestions)
	require.Contains(t, merged.Article.Body, "Self pickup at checkout")
	ta.do("POST", path, editor, map[string]any{"article_id": target}, 409, nil)
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(g.ID)+"/approve", editor, nil, 409, nil)
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(g.ID)+"/dismiss", editor, nil, 409, nil)

	ta.do("GET", "/api/v1/kb/suggestions?status=merged", editor, nil, 200, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, "editor@x.test", list.Items[0].ReviewedBy.Email)
	require.Equal(t, target, list.Items[0].Article.ID)
	ta.do("GET", "/api/v1/kb/suggestions", editor, nil, 200, &list)
	require.Empty(t, list.Items)

	// The bot now answers the question in other words, from the article.
	conv, tok := ta.customer("en")
	out := ta.say(conv, tok, "can I pick my order up at the Shanghai warehouse in person?")
	require.NotEmpty(t, out.Replies[0].Citations, "the bot now knows: %s", out.Replies[0].Text)
	require.Equal(t, target, out.Replies[0].Citations[0].ArticleID)

	// And the report says so.
	ta.do("GET", "/api/v1/kb/unanswered", editor, nil, 200, &rep)
	require.Len(t, rep.Items, 1)
	require.True(t, rep.Items[0].Covered)
	require.Equal(t, "merged", rep.Items[0].CoveredBy.Suggestion.Status)
}

// Approving with edits goes through the API; a dismissed suggestion cannot be approved.
func TestSuggestionApproveEditAndDismissAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("agent@x.test", "agent")
	editor := ta.user("editor@x.test", "editor")
	ta.handedOver(agent, "Do you gift wrap orders?", "Yes, for 5 yuan.")
	ta.handedOver(agent, "Can I bring my dog into your shops?", "Only guide dogs.")
	var list struct{ Items []groupOut }
	ta.do("GET", "/api/v1/kb/suggestions", editor, nil, 200, &list)
	require.Len(t, list.Items, 2)
	byQ := map[string]int64{}
	for _, g := range list.Items {
		byQ[g.Question] = g.ID
	}
	wrap, dog := byQ["Do you gift wrap orders?"], byQ["Can I bring my dog into your shops?"]

	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(dog)+"/dismiss", editor, nil, 200, nil)
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(dog)+"/approve", editor, nil, 409, nil)
	ta.do("POST", "/api/v1/kb/suggestions/987654/approve", editor, nil, 404, nil)
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(wrap)+"/approve", editor, map[string]any{"tags": "gift"}, 400, nil)

	var ap struct {
		Article struct {
			ID        int64    `json:"id"`
			Title     string   `json:"title"`
			Body      string   `json:"body"`
			Tags      []string `json:"tags"`
			Questions []string `json:"questions"`
			Status    string   `json:"status"`
		} `json:"article"`
	}
	ta.do("POST", "/api/v1/kb/suggestions/"+itoa(wrap)+"/approve", editor, map[string]any{
		"title": "Gift wrapping", "question": "Do you offer gift wrapping?", "answer": "Yes, gift wrapping costs 5 yuan.",
		"tags": []string{"gifts"}}, 200, &ap)
	require.Equal(t, "Gift wrapping", ap.Article.Title)
	require.Equal(t, "Yes, gift wrapping costs 5 yuan.", ap.Article.Body)
	require.Equal(t, []string{"gifts"}, ap.Article.Tags)
	require.Equal(t, []string{"Do you offer gift wrapping?", "Do you gift wrap orders?"}, ap.Article.Questions)
	require.Equal(t, "published", ap.Article.Status)

	var one struct{ Group groupOut }
	ta.do("GET", "/api/v1/kb/suggestions/"+itoa(wrap), editor, nil, 200, &one)
	require.Equal(t, "approved", one.Group.Status)
	require.Equal(t, ap.Article.ID, one.Group.Article.ID)
	ta.do("GET", "/api/v1/kb/suggestions?status=dismissed", editor, nil, 200, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, dog, list.Items[0].ID)
	ta.do("GET", "/api/v1/kb/suggestions?status=all", editor, nil, 200, &list)
	require.Len(t, list.Items, 2)
}

// Only editors (and admins) review suggestions and read the report; bad parameters are 400s.
func TestSuggestionEndpointsAuth(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("agent@x.test", "agent")
	evaluator := ta.user("eval@x.test", "evaluator")
	editor := ta.user("editor@x.test", "editor")
	admin := ta.user("admin@x.test", "admin")
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/kb/suggestions"},
		{"GET", "/api/v1/kb/suggestions/1"},
		{"POST", "/api/v1/kb/suggestions/1/approve"},
		{"POST", "/api/v1/kb/suggestions/1/merge"},
		{"POST", "/api/v1/kb/suggestions/1/dismiss"},
		{"GET", "/api/v1/kb/unanswered"},
	}
	for _, r := range routes {
		ta.do(r.method, r.path, "", nil, 401, nil)
		ta.do(r.method, r.path, agent, nil, 403, nil)
		ta.do(r.method, r.path, evaluator, nil, 403, nil)
	}
	ta.do("GET", "/api/v1/kb/unanswered", editor, nil, 200, nil)
	ta.do("GET", "/api/v1/kb/unanswered", admin, nil, 200, nil)
	ta.do("GET", "/api/v1/kb/suggestions/1", editor, nil, 404, nil)
	for _, bad := range []string{"days=0", "days=366", "days=x", "language=fr", "limit=0", "limit=201"} {
		ta.do("GET", "/api/v1/kb/unanswered?"+bad, editor, nil, 400, nil)
	}
	ta.do("GET", "/api/v1/kb/suggestions?status=closed", editor, nil, 400, nil)
	ta.do("GET", "/api/v1/kb/suggestions?language=de", editor, nil, 400, nil)
}
