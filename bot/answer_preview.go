package bot

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// AnswerPreviewRequest is a question an editor tries.
type AnswerPreviewRequest struct {
	Question string `json:"question"`
	// Language is the customer's: zh or en; "" reads it from the question as the bot does.
	Language string `json:"language"`
}

// AnswerPreview is what the bot would answer from the knowledge base, with the evidence.
type AnswerPreview struct {
	KBAnswer
	// Intent is the bot's reading of the question; a confident FAQ intent lowers Threshold a little
	// (the bot's rule), a task intent means the bot would start the task instead of answering.
	Intent           string  `json:"intent,omitempty"`
	IntentConfidence float64 `json:"intent_confidence,omitempty"`
	// LLM says an LLM writes the answers (BATON_LLM_URL is set).
	LLM bool `json:"llm"`
}

// MaxPreviewQuestion bounds a previewed question, like a customer message.
const MaxPreviewQuestion = 2000

// PreviewKB answers q as the bot would outside a task: the same reading of the question, the same
// threshold and the same AnswerKB the bot's turn calls.
func (b *Bot) PreviewKB(ctx context.Context, q, lang string) (AnswerPreview, error) {
	q = strings.TrimSpace(q)
	if lang == "" {
		lang = replyLanguage(q, "en")
	}
	t := &turn{b: b, ctx: ctx, text: q, lang: lang, in: Input{Text: q}}
	if b.Engines != nil {
		t.e = b.Engines.Load()
	}
	t.u = t.understand()
	min := b.Threshold
	p := AnswerPreview{Intent: t.u.Intent, IntentConfidence: round3(t.u.Confidence), LLM: b.Writer != nil}
	if t.e != nil {
		min = t.kbMin(t.e.Def.Intent(t.u.Intent), t.u.Confidence)
	}
	a, err := b.AnswerKB(ctx, q, lang, min)
	if err != nil {
		return AnswerPreview{}, err
	}
	p.KBAnswer = a
	return p, nil
}

// AnswerPreview serves POST /api/v1/kb/answer-preview: what the bot would answer to a question.
func (a *API) AnswerPreview(c *gin.Context) {
	var req AnswerPreviewRequest
	if !httpx.BindJSON(c, &req, 16<<10) {
		return
	}
	req.Question = strings.TrimSpace(req.Question)
	switch {
	case req.Question == "":
		httpx.Error(c, http.StatusBadRequest, "question is required")
		return
	case utf8.RuneCountInString(req.Question) > MaxPreviewQuestion:
		httpx.Errorf(c, http.StatusBadRequest, "question must be at most %d characters", MaxPreviewQuestion)
		return
	case req.Language != "" && req.Language != "zh" && req.Language != "en":
		httpx.Error(c, http.StatusBadRequest, "language must be zh or en")
		return
	}
	p, err := a.Bot.PreviewKB(c.Request.Context(), req.Question, req.Language)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
