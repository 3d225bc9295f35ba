package evals

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Check is one expectation and how it went.
type Check struct {
	What string `json:"what"`
	OK   bool   `json:"ok"`
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
}

// TurnResult is one customer message, the bot's answer and the checks on it.
type TurnResult struct {
	User    string     `json:"user"`
	Line    int        `json:"line"`
	Replies []ObsReply `json:"replies"`
	// Intent is what the bot read the message as (its replies' meta.understood), "oos" for none.
	Intent string `json:"intent"`
	// Kind is the kind of the last reply.
	Kind string `json:"kind,omitempty"`
	// Handoff is the handoff this turn made, if any.
	Handoff *TraceHandoff `json:"handoff,omitempty"`
	// Slots hold the task's values after the turn (or those the finished task acted on).
	Slots     map[string]string `json:"slots,omitempty"`
	Expect    *Expect           `json:"expect,omitempty"`
	Checks    []Check           `json:"checks,omitempty"`
	LatencyMS float64           `json:"latency_ms"`
	// Answered: the bot answered (an FAQ answer, an intent's reply or a task's result) rather than
	// hand off, ask, clarify or say it does not know. WrongAnswer: it answered and an answer
	// expectation failed, or it should not have answered at all.
	Answered    bool     `json:"answered"`
	WrongAnswer bool     `json:"wrong_answer"`
	JudgeScore  *float64 `json:"judge_score,omitempty"`
	JudgeNote   string   `json:"judge_note,omitempty"`
}

// CaseResult is one case's run.
type CaseResult struct {
	Suite     string       `json:"suite"`
	Case      string       `json:"case"`
	File      string       `json:"file"`
	Line      int          `json:"line"`
	Language  string       `json:"language"`
	Tags      []string     `json:"tags,omitempty"`
	Passed    bool         `json:"passed"`
	Error     string       `json:"error,omitempty"`
	Turns     []TurnResult `json:"turns"`
	EndChecks []Check      `json:"end_checks,omitempty"`
	// HandedOff: some turn handed the conversation to a person.
	HandedOff bool   `json:"handed_off"`
	EndStatus string `json:"end_status,omitempty"`
	// ExpectResolvedByBot is the case's expect_end.resolved_by_bot, kept for the handoff metrics.
	ExpectResolvedByBot *bool `json:"expect_resolved_by_bot,omitempty"`
}

// Key names the case across runs: suite / case.
func (c *CaseResult) Key() string { return c.Suite + " / " + c.Case }

// Judge grades a free-text reply against a reference answer: a score 0..1 and a short reason.
type Judge interface {
	Grade(ctx context.Context, question, reference, answer, lang string) (score float64, note string, err error)
}

// JudgePass is the judge score a reply needs.
const JudgePass = 0.5

// Instance is a running Baton to run suites against, and how to stop it.
type Instance struct {
	Client *Client
	Close  func()
}

// Launcher starts an isolated Baton with a suite's bot definition and knowledge base ("" for
// the built-in demo ones).
type Launcher func(ctx context.Context, botPath, kbPath string) (*Instance, error)

// RunOptions tune Run.
type RunOptions struct {
	// Parallel is how many cases run at once on one instance (default 4).
	Parallel int
	// Tags, when set, keep only cases with at least one of them.
	Tags []string
	// Client runs every suite against this server (--url) instead of launching instances; the
	// suites' bot and kb are then ignored.
	Client *Client
	Launch Launcher
	Judge  Judge
	// Progress is called after each case.
	Progress func(done, total int, r *CaseResult)
	// Log receives notes for the person running (which instance starts, warnings).
	Log func(format string, a ...any)
}

// Run plays every case and scores the run. Suites that share a bot and knowledge base share an
// instance; each case is its own conversation, so cases are independent of each other and of
// the order they run in.
func Run(ctx context.Context, suites []*Suite, opt RunOptions) (*RunReport, error) {
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	logf := opt.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	type job struct {
		suite *Suite
		c     *Case
		idx   int
	}
	groups := map[[2]string][]job{}
	var order [][2]string
	total := 0
	for _, s := range suites {
		key := [2]string{s.BotPath, s.KBPath}
		if opt.Client != nil {
			key = [2]string{}
			if s.BotPath != "" || s.KBPath != "" {
				logf("note: %s names its own bot or kb; against --url the server's own are used\n", s.Path)
			}
		}
		for i := range s.Cases {
			if !hasAnyTag(s.Cases[i].Tags, opt.Tags) {
				continue
			}
			if _, seen := groups[key]; !seen {
				order = append(order, key)
			}
			groups[key] = append(groups[key], job{suite: s, c: &s.Cases[i], idx: total})
			total++
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("no cases to run (check --tags)")
	}
	started := time.Now()
	results := make([]CaseResult, total)
	var mu sync.Mutex
	done := 0
	for _, key := range order {
		cl := opt.Client
		if cl == nil {
			if opt.Launch == nil {
				return nil, fmt.Errorf("evals: no launcher and no --url")
			}
			logf("starting an isolated Baton (bot: %s, kb: %s)…\n", orDefault(key[0], "demo"), orDefault(key[1], "demo"))
			inst, err := opt.Launch(ctx, key[0], key[1])
			if err != nil {
				return nil, err
			}
			defer inst.Close()
			cl = inst.Client
		}
		jobs := make(chan job)
		var wg sync.WaitGroup
		for w := 0; w < opt.Parallel; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					r := runCase(ctx, cl, j.suite, j.c, opt.Judge)
					mu.Lock()
					results[j.idx] = r
					done++
					if opt.Progress != nil {
						opt.Progress(done, total, &results[j.idx])
					}
					mu.Unlock()
				}
			}()
		}
		for _, j := range groups[key] {
			select {
			case jobs <- j:
			case <-ctx.Done():
			}
		}
		close(jobs)
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	rep := NewRunReport(results)
	rep.DurationSeconds = round3(time.Since(started).Seconds())
	rep.StartedAt = started.UTC()
	for _, s := range suites {
		rep.Suites = append(rep.Suites, s.Name)
	}
	return rep, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func hasAnyTag(have, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if contains(have, w) {
			return true
		}
	}
	return false
}

func runCase(ctx context.Context, cl *Client, s *Suite, c *Case, judge Judge) CaseResult {
	r := CaseResult{Suite: s.Name, Case: c.Name, File: s.Path, Line: c.Line, Language: c.Language,
		Tags: c.Tags, Turns: []TurnResult{}}
	if c.ExpectEnd != nil {
		r.ExpectResolvedByBot = c.ExpectEnd.ResolvedByBot
	}
	fail := func(err error) CaseResult {
		r.Error = err.Error()
		r.Passed = false
		return r
	}
	conv, err := cl.Start(ctx, c.Language, c.Customer)
	if err != nil {
		return fail(err)
	}
	sum := sha256.Sum256([]byte(s.Name + "\x00" + c.Name))
	id := hex.EncodeToString(sum[:6])
	handoffs := 0
	var trace Trace
	for i, t := range c.Turns {
		replies, took, err := cl.Say(ctx, conv, t.User, fmt.Sprintf("eval-%s-%d", id, i+1))
		if err != nil {
			return fail(fmt.Errorf("turn %d: %w", i+1, err))
		}
		trace, err = cl.Trace(ctx, conv)
		if err != nil {
			return fail(fmt.Errorf("turn %d: %w", i+1, err))
		}
		tr := TurnResult{User: t.User, Line: t.Line, Replies: replies, Expect: t.Expect,
			LatencyMS: float64(took.Microseconds()) / 1000}
		if len(trace.Handoffs) > handoffs {
			h := trace.Handoffs[len(trace.Handoffs)-1]
			tr.Handoff = &h
			handoffs = len(trace.Handoffs)
			r.HandedOff = true
		}
		observe(&tr, trace)
		if t.Expect != nil {
			check(ctx, &tr, t.Expect, c.Language, judge)
		}
		tr.WrongAnswer = tr.Answered && wrongAnswer(&tr)
		r.Turns = append(r.Turns, tr)
	}
	r.EndStatus = trace.Status
	if e := c.ExpectEnd; e != nil {
		if e.ResolvedByBot != nil {
			r.EndChecks = append(r.EndChecks, Check{What: "resolved_by_bot", OK: *e.ResolvedByBot == !r.HandedOff,
				Want: strconv.FormatBool(*e.ResolvedByBot), Got: strconv.FormatBool(!r.HandedOff)})
		}
		if e.Status != "" {
			r.EndChecks = append(r.EndChecks, Check{What: "status", OK: e.Status == trace.Status, Want: e.Status, Got: trace.Status})
		}
	}
	r.Passed = true
	for _, t := range r.Turns {
		for _, ch := range t.Checks {
			r.Passed = r.Passed && ch.OK
		}
	}
	for _, ch := range r.EndChecks {
		r.Passed = r.Passed && ch.OK
	}
	return r
}

var answerKinds = []string{"answer", "reply", "action"}

// observe fills what the bot did in the turn.
func observe(tr *TurnResult, trace Trace) {
	// The intent the message was read as (meta.understood, on every reply of the turn).
	tr.Intent = "oos"
	if len(tr.Replies) > 0 && tr.Replies[0].Meta.Understood != "" {
		tr.Intent = tr.Replies[0].Meta.Understood
	}
	if n := len(tr.Replies); n > 0 {
		tr.Kind = tr.Replies[n-1].Meta.Kind
	}
	switch {
	case trace.Task != nil:
		tr.Slots = trace.Task.Slots
	default:
		for _, rp := range tr.Replies {
			if len(rp.Meta.Slots) > 0 {
				tr.Slots = rp.Meta.Slots
			}
		}
	}
	answered, declined := false, tr.Handoff != nil
	for _, rp := range tr.Replies {
		switch {
		case contains(answerKinds, rp.Meta.Kind):
			answered = true
		case rp.Meta.Kind == "handoff" || rp.Meta.Kind == "clarify" || rp.Meta.Kind == "dont_know":
			declined = true
		}
	}
	tr.Answered = answered && !declined
}

func replyText(tr *TurnResult) string {
	parts := make([]string, len(tr.Replies))
	for i, rp := range tr.Replies {
		parts[i] = rp.Text
	}
	return strings.Join(parts, "\n")
}

// NormIntent maps the spellings of "no intent" to "oos".
func NormIntent(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "oos", "none", "out_of_scope", "out-of-scope":
		return "oos"
	}
	return strings.TrimSpace(s)
}

func normValue(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func check(ctx context.Context, tr *TurnResult, e *Expect, lang string, judge Judge) {
	add := func(what string, ok bool, want, got string) {
		tr.Checks = append(tr.Checks, Check{What: what, OK: ok, Want: want, Got: got})
	}
	text := replyText(tr)
	lower := strings.ToLower(text)
	if e.Intent != "" {
		want := NormIntent(e.Intent)
		add("intent", want == tr.Intent, want, tr.Intent)
	}
	for _, s := range e.AnswerContains {
		add("answer_contains", strings.Contains(lower, strings.ToLower(s)), s, Snip(text, 160))
	}
	for _, s := range e.AnswerNotContains {
		add("answer_not_contains", !strings.Contains(lower, strings.ToLower(s)), s, Snip(text, 160))
	}
	if e.Cites != "" {
		var titles []string
		ok := false
		for _, rp := range tr.Replies {
			for _, ct := range rp.Citations {
				titles = append(titles, ct.Title)
				ok = ok || strings.EqualFold(strings.TrimSpace(ct.Title), strings.TrimSpace(e.Cites))
			}
		}
		add("cites", ok, e.Cites, orDefault(strings.Join(titles, "; "), "(no citation)"))
	}
	if h := e.Handoff; h != nil {
		got := tr.Handoff != nil
		add("handoff", got == h.Want, strconv.FormatBool(h.Want), strconv.FormatBool(got))
		if h.Want && got {
			if h.Reason != "" {
				add("handoff.reason", h.Reason == tr.Handoff.Reason, h.Reason, tr.Handoff.Reason)
			}
			if h.Skill != "" {
				add("handoff.skill", h.Skill == tr.Handoff.Skill, h.Skill, tr.Handoff.Skill)
			}
			if h.Priority != nil {
				add("handoff.priority", *h.Priority == tr.Handoff.Priority, strconv.Itoa(*h.Priority), strconv.Itoa(tr.Handoff.Priority))
			}
		}
	}
	if e.AsksFor != "" {
		asking := ""
		for _, rp := range tr.Replies {
			if rp.Meta.Asking != "" {
				asking = rp.Meta.Asking
			}
		}
		add("asks_for", asking == e.AsksFor, e.AsksFor, orDefault(asking, "(asks for nothing)"))
	}
	if len(e.Slots) > 0 {
		names := make([]string, 0, len(e.Slots))
		for k := range e.Slots {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			got, ok := tr.Slots[k]
			add("slots."+k, ok && normValue(got) == normValue(e.Slots[k]), e.Slots[k], orDefault(got, "(unset)"))
		}
	}
	if e.Kind != "" {
		var kinds []string
		ok := false
		for _, rp := range tr.Replies {
			kinds = append(kinds, rp.Meta.Kind)
			ok = ok || rp.Meta.Kind == e.Kind
		}
		add("kind", ok, e.Kind, orDefault(strings.Join(kinds, ","), "(no reply)"))
	}
	if e.Reference != "" && judge != nil {
		score, note, err := judge.Grade(ctx, tr.User, e.Reference, text, lang)
		if err != nil {
			add("judge", false, e.Reference, "judge error: "+err.Error())
		} else {
			s := round3(score)
			tr.JudgeScore, tr.JudgeNote = &s, note
			add("judge", score >= JudgePass, fmt.Sprintf("≥ %.2f against the reference", JudgePass), fmt.Sprintf("%.2f: %s", score, note))
		}
	}
}

// answerChecks are the checks on what the bot said.
var answerChecks = map[string]bool{"answer_contains": true, "answer_not_contains": true, "cites": true, "judge": true}

// wrongAnswer: the bot answered, and what it said failed a check, or it should not have
// answered (a handoff, "I don't know" or a clarifying question was expected).
func wrongAnswer(tr *TurnResult) bool {
	for _, ch := range tr.Checks {
		if answerChecks[ch.What] && !ch.OK {
			return true
		}
	}
	if e := tr.Expect; e != nil {
		if e.Handoff != nil && e.Handoff.Want {
			return true
		}
		if e.Kind == "dont_know" || e.Kind == "clarify" || e.Kind == "handoff" {
			return true
		}
	}
	return false
}

// Snip shortens s to n runes with an ellipsis.
func Snip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
