// Package evals measures Baton offline: suites of cases run against the real components, reported
// as figures a CI job can gate on.
package evals

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/baton-cs/baton/kb"
)

// RetrievalCase is one customer question and the title of the article that answers it; an empty
// Article means the knowledge base does not cover the question and the right outcome is no answer.
type RetrievalCase struct {
	Query    string `json:"query"`
	Article  string `json:"article"`
	Language string `json:"language,omitempty"`
	Split    string `json:"split,omitempty"`
}

// Searcher is what retrieval is measured through: the bot's own search.
type Searcher interface {
	Search(ctx context.Context, q string, opt kb.SearchOptions) ([]kb.Result, error)
}

// ReadRetrievalCases reads JSONL cases; blank lines are skipped, bad lines are errors.
func ReadRetrievalCases(r io.Reader) ([]RetrievalCase, error) {
	return readJSONLines(r, func(c *RetrievalCase) error {
		c.Query = strings.TrimSpace(c.Query)
		if c.Query == "" {
			return errors.New("query is empty")
		}
		if c.Language != "" && c.Language != "zh" && c.Language != "en" {
			return fmt.Errorf("language must be zh or en, got %q", c.Language)
		}
		return nil
	})
}

// readJSONLines decodes one T a line (unknown fields are errors), skipping blank lines; check
// normalises and validates each. Errors name the line.
func readJSONLines[T any](r io.Reader, check func(*T) error) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var c T
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("evals: line %d: %w", line, err)
		}
		if err := check(&c); err != nil {
			return nil, fmt.Errorf("evals: line %d: %w", line, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("evals: line %d: %w", line+1, err)
	}
	return out, nil
}

// RetrievalOutcome is what search returned for one case.
type RetrievalOutcome struct {
	Case RetrievalCase
	// Rank of the expected article among the results (1-based), 0 when absent or off-topic.
	Rank int
	// Top is the first result's title and score ("" and 0 without results).
	Top      string
	TopScore float64
}

// Answered reports whether the bot would answer at threshold t.
func (o RetrievalOutcome) Answered(t float64) bool { return o.Top != "" && o.TopScore >= t }

// Correct reports whether the bot's decision at threshold t is right: the expected article
// answered, or no answer to an off-topic question.
func (o RetrievalOutcome) Correct(t float64) bool {
	if o.Case.Article == "" {
		return !o.Answered(t)
	}
	return o.Answered(t) && o.Rank == 1
}

// RetrievalMetrics summarise a set of outcomes at a threshold. Ranking figures (hit@k, MRR) count
// answerable questions only; NoResultRate is the share of answerable questions with no result at or
// above the threshold; OffTopicNoResultRate the share of off-topic ones (higher is better there).
type RetrievalMetrics struct {
	// Answered counts the questions answered (a first result at or above the threshold), off-topic ones included.
	Answered             int     `json:"answered"`
	Queries              int     `json:"queries"`
	Answerable           int     `json:"answerable"`
	OffTopic             int     `json:"off_topic"`
	HitAt1               float64 `json:"hit_at_1"`
	HitAt5               float64 `json:"hit_at_5"`
	MRR                  float64 `json:"mrr"`
	NoResultRate         float64 `json:"no_result_rate"`
	OffTopicNoResultRate float64 `json:"offtopic_no_result_rate"`
	// AnsweredCorrect is the share of answerable questions answered with the expected article.
	AnsweredCorrect float64 `json:"answered_correct_rate"`
	// AnsweredRate is the share of answerable questions answered at all (rightly or not).
	AnsweredRate float64 `json:"answered_rate"`
	// WrongAnswerRate is the share of answered questions answered wrongly: with another article
	// than the expected one, or at all when the question is off-topic.
	WrongAnswerRate float64 `json:"wrong_answer_rate"`
	// DecisionAccuracy is the share of all questions where the bot's decision is right (see Correct).
	DecisionAccuracy float64 `json:"decision_accuracy"`
}

// RetrievalMetricsAt computes the figures for outcomes at threshold t.
func RetrievalMetricsAt(outs []RetrievalOutcome, t float64) RetrievalMetrics {
	var m RetrievalMetrics
	var rr float64
	var h1, h5, noRes, offNoRes, ansOK, wrong, correct int
	for _, o := range outs {
		m.Queries++
		if o.Correct(t) {
			correct++
		}
		if o.Answered(t) {
			m.Answered++
		}
		if o.Case.Article == "" {
			m.OffTopic++
			if !o.Answered(t) {
				offNoRes++
			} else {
				wrong++
			}
			continue
		}
		m.Answerable++
		if o.Rank == 1 {
			h1++
		}
		if o.Rank >= 1 && o.Rank <= 5 {
			h5++
		}
		if o.Rank > 0 {
			rr += 1 / float64(o.Rank)
		}
		switch {
		case !o.Answered(t):
			noRes++
		case o.Rank == 1:
			ansOK++
		default:
			wrong++
		}
	}
	if m.Answerable > 0 {
		n := float64(m.Answerable)
		m.HitAt1, m.HitAt5, m.MRR = round4(float64(h1)/n), round4(float64(h5)/n), round4(rr/n)
		m.NoResultRate, m.AnsweredCorrect = round4(float64(noRes)/n), round4(float64(ansOK)/n)
		m.AnsweredRate = round4(1 - float64(noRes)/n)
	}
	if m.OffTopic > 0 {
		m.OffTopicNoResultRate = round4(float64(offNoRes) / float64(m.OffTopic))
	}
	if m.Answered > 0 {
		m.WrongAnswerRate = round4(float64(wrong) / float64(m.Answered))
	}
	if m.Queries > 0 {
		m.DecisionAccuracy = round4(float64(correct) / float64(m.Queries))
	}
	return m
}

// RetrievalReport is the result of a retrieval run.
type RetrievalReport struct {
	RetrievalMetrics
	Threshold float64 `json:"threshold"`
	Embedder  string  `json:"embedder,omitempty"`
	// Model is the knowledge base's model the questions were answered with: its article
	// classifier and the calibration of the embedder's scores, per language.
	Model      *kb.ModelInfo               `json:"model,omitempty"`
	ByLanguage map[string]RetrievalMetrics `json:"by_language"`
	BySplit    map[string]RetrievalMetrics `json:"by_split,omitempty"`
	// Sweep shows the decision figures at other thresholds, to choose one.
	Sweep  []ThresholdPoint `json:"threshold_sweep"`
	Misses []RetrievalMiss  `json:"misses"`
}

// ThresholdPoint is the decision quality at one threshold.
type ThresholdPoint struct {
	Threshold            float64 `json:"threshold"`
	DecisionAccuracy     float64 `json:"decision_accuracy"`
	AnsweredCorrect      float64 `json:"answered_correct_rate"`
	NoResultRate         float64 `json:"no_result_rate"`
	OffTopicNoResultRate float64 `json:"offtopic_no_result_rate"`
	WrongAnswerRate      float64 `json:"wrong_answer_rate"`
	AnsweredRate         float64 `json:"answered_rate"`
}

// RetrievalMiss is a question whose first result is not the expected article, or an off-topic
// question answered anyway.
type RetrievalMiss struct {
	Query    string  `json:"query"`
	Language string  `json:"language"`
	Expected string  `json:"expected"`
	Got      string  `json:"got"`
	Score    float64 `json:"score"`
	Rank     int     `json:"expected_rank"`
}

// Progress is told how many cases are done out of how many.
type Progress func(done, total int)

// RunRetrieval searches every case the way the bot does (its language, the top results) and
// reports at threshold.
func RunRetrieval(ctx context.Context, s Searcher, cases []RetrievalCase, threshold float64, progress Progress) (RetrievalReport, error) {
	outs := make([]RetrievalOutcome, 0, len(cases))
	for i, c := range cases {
		if c.Language == "" {
			c.Language = QueryLanguage(c.Query)
		}
		if c.Split == "" {
			c.Split = DefaultSplit(c.Query)
		}
		res, err := s.Search(ctx, c.Query, kb.SearchOptions{Language: c.Language, K: 10})
		if err != nil {
			return RetrievalReport{}, fmt.Errorf("evals: search %q: %w", c.Query, err)
		}
		o := RetrievalOutcome{Case: c}
		if len(res) > 0 {
			o.Top, o.TopScore = res[0].Title, res[0].Score
		}
		if c.Article != "" {
			for j, r := range res {
				if r.Title == c.Article {
					o.Rank = j + 1
					break
				}
			}
		}
		outs = append(outs, o)
		if progress != nil {
			progress(i+1, len(cases))
		}
	}
	return Report(outs, threshold), nil
}

// Report summarises outcomes at threshold, by language and split, with a threshold sweep.
func Report(outs []RetrievalOutcome, threshold float64) RetrievalReport {
	rep := RetrievalReport{
		RetrievalMetrics: RetrievalMetricsAt(outs, threshold),
		Threshold:        threshold,
		ByLanguage:       map[string]RetrievalMetrics{},
		Misses:           []RetrievalMiss{},
	}
	byLang := map[string][]RetrievalOutcome{}
	bySplit := map[string][]RetrievalOutcome{}
	for _, o := range outs {
		byLang[o.Case.Language] = append(byLang[o.Case.Language], o)
		if o.Case.Split != "" {
			bySplit[o.Case.Split] = append(bySplit[o.Case.Split], o)
		}
		wrongTop := o.Case.Article != "" && o.Rank != 1
		offAnswered := o.Case.Article == "" && o.Answered(threshold)
		if wrongTop || offAnswered {
			rep.Misses = append(rep.Misses, RetrievalMiss{Query: o.Case.Query, Language: o.Case.Language,
				Expected: o.Case.Article, Got: o.Top, Score: round4(o.TopScore), Rank: o.Rank})
		}
	}
	for l, os := range byLang {
		rep.ByLanguage[l] = RetrievalMetricsAt(os, threshold)
	}
	if len(bySplit) > 0 {
		rep.BySplit = map[string]RetrievalMetrics{}
		for s, os := range bySplit {
			rep.BySplit[s] = RetrievalMetricsAt(os, threshold)
		}
	}
	for t := 0.05; t < 0.951; t += 0.05 {
		m := RetrievalMetricsAt(outs, t)
		rep.Sweep = append(rep.Sweep, ThresholdPoint{Threshold: round4(t), DecisionAccuracy: m.DecisionAccuracy,
			AnsweredCorrect: m.AnsweredCorrect, NoResultRate: m.NoResultRate,
			OffTopicNoResultRate: m.OffTopicNoResultRate, WrongAnswerRate: m.WrongAnswerRate, AnsweredRate: m.AnsweredRate})
	}
	sort.SliceStable(rep.Misses, func(i, j int) bool { return rep.Misses[i].Language < rep.Misses[j].Language })
	return rep
}

// DefaultSplit halves question sets that name no split, by a hash of the question: "tune" or
// "test". Tuning reads the tune half only (kb/faqtune_test.go computes the same halves).
func DefaultSplit(q string) string {
	h := fnv.New32a()
	h.Write([]byte(q))
	if h.Sum32()%2 == 0 {
		return "tune"
	}
	return "test"
}

// QueryLanguage picks the language the bot would search in: Chinese as soon as the text has a
// Chinese character (customers mix English words into Chinese), else English.
func QueryLanguage(q string) string {
	for _, r := range q {
		if r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF {
			return "zh"
		}
	}
	return "en"
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }
