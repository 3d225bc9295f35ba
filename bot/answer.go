package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/kb"
)

// KBAnswer is what the bot answers from the knowledge base for one question: the reply, how it
// was written, and the evidence behind the decision. The bot's turn and the editors' "what would
// the bot answer" preview both come from Bot.AnswerKB.
type KBAnswer struct {
	Question string `json:"question"`
	Language string `json:"language"`
	// Answered is false when the bot says it does not know (and offers a person) instead.
	Answered bool `json:"answered"`
	// Mode is how Text was written: offline (the best FAQ answer or passage, as written) or llm
	// (generated from the top passages, citing them as [1], [2]); "" when not answered.
	Mode      string                  `json:"mode,omitempty"`
	Text      string                  `json:"text"`
	Citations []conversation.Citation `json:"citations"`
	// Confidence is the first result's Score; the bot answers when it reaches Threshold.
	Confidence float64 `json:"confidence"`
	Threshold  float64 `json:"threshold"`
	// Reason says why there is no answer (no_results, below_threshold, not_supported: the LLM
	// found no answer in the sources) or why the LLM's answer gave way to the offline one
	// (llm_timeout, llm_error, llm_invalid: it broke the answer's rules).
	Reason string `json:"reason,omitempty"`
	// Results are the ranked search results with their vector, lexical and fused scores.
	Results []kb.Result `json:"results"`
	// Sources are the passages given to the LLM, numbered as the model saw them.
	Sources []Source `json:"sources,omitempty"`
}

// Source is one retrieved passage given to the LLM as data, numbered from 1.
type Source struct {
	ID        int     `json:"id"`
	ArticleID int64   `json:"article_id"`
	Title     string  `json:"title"`
	Heading   string  `json:"heading,omitempty"`
	Score     float64 `json:"score"`
	Text      string  `json:"text"`
	result    kb.Result
}

// Draft is a writer's answer before the bot checks it: supported or not, the text (citing sources
// as [n]) and the source numbers it says it used.
type Draft struct {
	Supported bool   `json:"supported"`
	Answer    string `json:"answer"`
	Citations []int  `json:"citations"`
}

// AnswerWriter writes a grounded answer to question from sources, in lang (an LLM).
type AnswerWriter interface {
	WriteAnswer(ctx context.Context, question, lang string, sources []Source) (Draft, error)
}

// ErrInvalidAnswer is a written answer that breaks the rules: it cites a source it was not given.
var ErrInvalidAnswer = errors.New("bot: the answer cites a source it was not given")

// Retrieval and answer sizes.
const (
	answerSearchK  = 5    // results retrieved (and shown in the preview)
	llmSources     = 3    // passages given to the LLM at most
	llmSourceRunes = 1500 // each passage's length at most
	llmAnswerRunes = 1200 // a written answer's length at most
)

// AnswerKB answers q from the knowledge base in lang when the first result scores at least min.
// Without a Writer, or when it fails, times out or breaks the rules, the answer is the best
// result's FAQ answer or passage, as written (kb.AnswerExcerpt); with one, it is written from the
// top passages and cites them, or there is none when the writer finds the passages do not answer
// q. Only an error of the retrieval itself (or ctx ending) is returned.
func (b *Bot) AnswerKB(ctx context.Context, q, lang string, min float64) (KBAnswer, error) {
	a := KBAnswer{Question: q, Language: lang, Threshold: round3(min), Citations: []conversation.Citation{}}
	results, err := b.KB.Search(ctx, q, kb.SearchOptions{Language: lang, K: answerSearchK})
	if err != nil {
		return a, err
	}
	a.Results = results
	if a.Results == nil {
		a.Results = []kb.Result{}
	}
	if len(results) == 0 {
		a.Reason = "no_results"
		return a, nil
	}
	a.Confidence = results[0].Score
	if results[0].Score < min {
		a.Reason = "below_threshold"
		return a, nil
	}
	if b.Writer != nil {
		a.Sources = sourcesFor(results)
		d, err := b.Writer.WriteAnswer(ctx, q, lang, a.Sources)
		var g grounded
		if err == nil {
			g, err = checkDraft(d, len(a.Sources))
		}
		switch {
		case err == nil && g.supported:
			a.Answered, a.Mode, a.Text = true, "llm", g.text
			for i, id := range g.cited {
				s := a.Sources[id-1]
				a.Citations = append(a.Citations, citation(s.result, s.Heading, i+1))
			}
			return a, nil
		case err == nil:
			a.Reason = "not_supported"
			return a, nil
		case ctx.Err() != nil:
			return a, ctx.Err() // the turn itself ended
		case errors.Is(err, context.DeadlineExceeded):
			a.Reason = "llm_timeout"
		case errors.Is(err, ErrInvalidAnswer):
			a.Reason = "llm_invalid"
		default:
			a.Reason = "llm_error"
		}
	}
	top := results[0]
	ex := kb.AnswerExcerpt(top, kb.MaxAnswerRunes)
	a.Answered, a.Mode, a.Text = true, "offline", ex.Text
	a.Citations = append(a.Citations, citation(top, ex.Heading, 0))
	return a, nil
}

func citation(r kb.Result, heading string, ref int) conversation.Citation {
	return conversation.Citation{ArticleID: r.ArticleID, Title: r.Title, Score: round3(r.Score), Ref: ref,
		Heading: heading, ChunkID: r.ChunkID, MatchKind: r.MatchKind}
}

// sourcesFor gives the LLM the best results' passages: the first always, the next ones while
// their vector and lexical match (FusedScore) is at least half the first's. A question about two
// things matches two articles well, though only one can be the likeliest single answer (Score)
// and the classifier, choosing one article, ranks the second low.
func sourcesFor(results []kb.Result) []Source {
	var out []Source
	for i, r := range results {
		if i >= llmSources || i > 0 && r.FusedScore < results[0].FusedScore/2 {
			break
		}
		ex := kb.AnswerExcerpt(r, llmSourceRunes)
		out = append(out, Source{ID: len(out) + 1, ArticleID: r.ArticleID, Title: r.Title, Heading: ex.Heading,
			Score: r.Score, Text: ex.Text, result: r})
	}
	return out
}

// grounded is a checked draft: its citations renumbered 1, 2, … in the order the text cites them.
type grounded struct {
	supported bool
	text      string
	cited     []int // the sources' ids; cited[0] is what the text now calls [1]
}

var (
	citeMarker = regexp.MustCompile(`[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]`)
	digits     = regexp.MustCompile(`\d+`)
)

// checkDraft validates a writer's answer: every source it names, in its citations or as [n] in
// its text, must be one of the n given (else ErrInvalidAnswer); an answer naming none, or with no
// text, is not supported. The text's markers are renumbered in order of first use and made
// readable.
func checkDraft(d Draft, n int) (grounded, error) {
	if !d.Supported {
		return grounded{}, nil
	}
	valid := func(id int) bool { return id >= 1 && id <= n }
	for _, id := range d.Citations {
		if !valid(id) {
			return grounded{}, fmt.Errorf("%w: [%d] of %d", ErrInvalidAnswer, id, n)
		}
	}
	renum := map[int]int{}
	var cited []int
	use := func(id int) int {
		if r, ok := renum[id]; ok {
			return r
		}
		cited = append(cited, id)
		renum[id] = len(cited)
		return len(cited)
	}
	var bad error
	text := citeMarker.ReplaceAllStringFunc(kb.Readable(d.Answer), func(m string) string {
		nums := digits.FindAllString(m, -1)
		var refs []string
		for _, s := range nums {
			id, _ := strconv.Atoi(s)
			if !valid(id) {
				bad = fmt.Errorf("%w: [%d] of %d", ErrInvalidAnswer, id, n)
				return m
			}
			refs = append(refs, "["+strconv.Itoa(use(id))+"]")
		}
		return strings.Join(refs, "")
	})
	if bad != nil {
		return grounded{}, bad
	}
	for _, id := range d.Citations {
		use(id)
	}
	text = strings.TrimSpace(text)
	if len(cited) == 0 || text == "" {
		return grounded{}, nil
	}
	if utf8.RuneCountInString(text) > llmAnswerRunes {
		text = strings.TrimSpace(string([]rune(text)[:llmAnswerRunes-1])) + "…"
	}
	return grounded{supported: true, text: text, cited: cited}, nil
}
