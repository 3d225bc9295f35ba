package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/i18n"
	"github.com/baton-cs/baton/kb"
)

// AssistAPI serves what helps an agent answer: the summary of what happened before they joined
// and the knowledge-base articles that fit the customer's latest question.
type AssistAPI struct {
	Store     *Store
	Convs     *conversation.Store
	Summaries *Summaries
	KB        *kb.Store
}

func (a *AssistAPI) conversation(c *gin.Context) (conversation.Conversation, bool) {
	conv, err := a.Convs.Get(c.Request.Context(), c.Param("id"))
	if errors.Is(err, conversation.ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "conversation not found")
		return conv, false
	}
	if err != nil {
		httpx.Internal(c, err)
		return conv, false
	}
	return conv, true
}

// recentLimit is how many of the newest messages the assist endpoints read.
const recentLimit = 200

func (a *AssistAPI) recent(ctx context.Context, conv conversation.Conversation) ([]conversation.Message, error) {
	return a.Convs.MessagesAfter(ctx, conv.ID, max(0, conv.LastSeq-recentLimit), recentLimit)
}

// Summary returns the summary of the conversation's latest handoff (an LLM's when configured,
// else extractive); a conversation never handed off gets an extractive one of what it holds.
func (a *AssistAPI) Summary(c *gin.Context) {
	conv, ok := a.conversation(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	h, err := a.Store.Latest(ctx, conv.ID)
	if err == nil {
		sum, err := a.Summaries.For(ctx, h)
		if err != nil {
			httpx.Internal(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"summary": sum})
		return
	}
	if !errors.Is(err, ErrNotFound) {
		httpx.Internal(c, err)
		return
	}
	msgs, err := a.recent(ctx, conv)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"summary": Extractive(transcriptContext(conv, msgs))})
}

// transcriptContext is a snapshot of a conversation as it stands, for one never handed off.
func transcriptContext(conv conversation.Conversation, msgs []conversation.Message) Context {
	snap := Context{Language: conv.Language, Transcript: []TranscriptLine{}}
	for _, m := range msgs {
		snap.Transcript = append(snap.Transcript, TranscriptLine{Sender: m.Sender, Text: m.Text, CreatedAt: m.CreatedAt})
	}
	if qs := lastQuestions(msgs, 1); len(qs) > 0 {
		snap.Question = qs[0]
	}
	return snap
}

// lastQuestions returns up to n of the customer's latest messages that say something, newest
// first. Greetings, thanks and bare requests for a person are not questions; answers to the
// bot's questions (an order number it asked for) count only when nothing else was asked.
func lastQuestions(msgs []conversation.Message, n int) []string {
	var out, answers []string
	seen := map[string]bool{}
	for i := len(msgs) - 1; i >= 0 && len(out) < n; i-- {
		m := msgs[i]
		if m.Sender != conversation.SenderCustomer {
			continue
		}
		q := strings.Join(strings.Fields(m.Text), " ")
		if !says(q) || seen[q] {
			continue
		}
		seen[q] = true
		if answersBot(msgs[:i]) {
			answers = append(answers, q)
		} else {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		out = answers[:min(len(answers), n)]
	}
	return out
}

// answersBot reports whether the last message in before is the bot asking for something.
func answersBot(before []conversation.Message) bool {
	if len(before) == 0 || before[len(before)-1].Sender != conversation.SenderBot {
		return false
	}
	var meta struct {
		Kind string `json:"kind"`
	}
	_ = json.Unmarshal(before[len(before)-1].Meta, &meta)
	switch meta.Kind {
	case "ask", "reask", "confirm", "clarify":
		return true
	}
	return false
}

// SuggestedArticle is a knowledge-base article offered for the customer's question, with the
// reply an agent inserts: the article as plain text and its source.
type SuggestedArticle struct {
	ArticleID int64   `json:"article_id"`
	Title     string  `json:"title"`
	Language  string  `json:"language"`
	Score     float64 `json:"score"`
	Snippet   string  `json:"snippet"`
	Reply     string  `json:"reply"`
}

// Suggestion sizes.
const (
	suggestedArticles = 3 // the best three whatever their probability: the agent judges the runners-up
	replyAnswerRunes  = 1500
	olderQueryWeight  = 0.85
)

var blankLines = regexp.MustCompile(`\n{3,}`)

// Articles suggests up to three published articles for the customer's latest questions: the
// newest two and the handoff's question are each searched, and an article keeps its best score
// (the probability that it answers the question). Articles the bot was too unsure of to answer
// with are suggested too: the agent reads them and judges.
func (a *AssistAPI) Articles(c *gin.Context) {
	conv, ok := a.conversation(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	msgs, err := a.recent(ctx, conv)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	queries := lastQuestions(msgs, 2)
	h, err := a.Store.Latest(ctx, conv.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		httpx.Internal(c, err)
		return
	}
	if q := strings.TrimSpace(h.Question); q != "" && !containsString(queries, q) {
		queries = append(queries, q)
	}
	// Each older query counts a little less, so a new question moves the suggestions.
	type ranked struct {
		kb.Result
		weight float64
	}
	best := map[int64]ranked{}
	for i, q := range queries {
		rs, err := a.KB.Search(ctx, q, kb.SearchOptions{Language: conv.Language, K: suggestedArticles})
		if err != nil {
			httpx.Internal(c, err)
			return
		}
		for _, r := range rs {
			w := r.Score * math.Pow(olderQueryWeight, float64(i))
			if old, ok := best[r.ArticleID]; !ok || w > old.weight {
				best[r.ArticleID] = ranked{r, w}
			}
		}
	}
	order := make([]ranked, 0, len(best))
	for _, r := range best {
		order = append(order, r)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].weight != order[j].weight {
			return order[i].weight > order[j].weight
		}
		return order[i].ArticleID < order[j].ArticleID
	})
	items := []SuggestedArticle{}
	for _, r := range order[:min(len(order), suggestedArticles)] {
		items = append(items, SuggestedArticle{ArticleID: r.ArticleID, Title: r.Title, Language: r.Language,
			Score: math.Round(r.Score*1000) / 1000, Snippet: r.Snippet, Reply: articleReply(r.Result, conv.Language)})
	}
	if queries == nil {
		queries = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"queries": queries, "items": items})
}

// articleReply is an article as an agent's message: its text without Markdown, then its source.
func articleReply(r kb.Result, lang string) string {
	body := blankLines.ReplaceAllString(kb.PlainText(r.Body), "\n\n")
	if utf8.RuneCountInString(body) > replyAnswerRunes {
		body = strings.TrimSpace(string([]rune(body)[:replyAnswerRunes])) + "…"
	}
	source := strings.ReplaceAll(i18n.T(lang, "message.source"), "{title}", r.Title)
	return body + "\n\n" + source
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
