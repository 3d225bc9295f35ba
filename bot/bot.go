// Package bot takes the bot's turn on a customer message. It recognises the customer's intent
// with a calibrated classifier trained on the bot definition's examples, hands off at once on a
// request for a person, a complaint or strong anger, fills a task's slots over several turns
// (re-asking invalid values, taking corrections, cancelling, answering a FAQ in between and
// resuming), runs the task's action, and answers questions from the knowledge base with a
// citation. When it is unsure it says so and offers a person instead of guessing.
package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/intent/slots"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/kb"
)

// Retriever finds knowledge-base articles for a question.
type Retriever interface {
	Search(ctx context.Context, q string, opt kb.SearchOptions) ([]kb.Result, error)
}

// State is what the bot remembers of a conversation between turns; it is stored with the
// conversation, so a task survives a restart.
type State struct {
	OfferedHuman   bool            `json:"offered_human,omitempty"`
	LowConfStreak  int             `json:"low_conf_streak,omitempty"`
	LastUnanswered string          `json:"last_unanswered,omitempty"`
	Task           *Task           `json:"task,omitempty"`
	Switch         *PendingSwitch  `json:"switch,omitempty"`
	Clarify        *PendingClarify `json:"clarify,omitempty"`
}

// Task is an intent whose slots are being filled.
type Task struct {
	Intent     string               `json:"intent"`
	Confidence float64              `json:"confidence"`
	Slots      map[string]SlotValue `json:"slots"`
	// Asking is the slot the last bot message asked for.
	Asking string `json:"asking,omitempty"`
	// Retries counts invalid or unrecognised answers to Asking.
	Retries int `json:"retries,omitempty"`
	// Asked lists optional slots already asked once (they are not asked again).
	Asked []string `json:"asked,omitempty"`
	// Confirming: the action's confirmation question is waiting for yes or no.
	Confirming bool `json:"confirming,omitempty"`
}

// SlotValue is a filled slot: the canonical value and the words the customer used.
type SlotValue struct {
	Value string `json:"value"`
	Raw   string `json:"raw,omitempty"`
}

// PendingSwitch is a different task the customer seemed to start in the middle of one; the bot
// asked whether to switch.
type PendingSwitch struct {
	Intent     string  `json:"intent"`
	Confidence float64 `json:"confidence"`
	Text       string  `json:"text"`
}

// PendingClarify is the question "did you mean A or B?" waiting for an answer.
type PendingClarify struct {
	Options []string `json:"options"`
	Text    string   `json:"text"`
}

// Meta is what the bot understood when it wrote a message; it is stored with the message.
type Meta struct {
	// Kind of reply: answer (from the KB), reply (an intent's reply), ask (for a slot), reask (an
	// invalid value), confirm, clarify, switch, action (a task's result), cancelled, dont_know, handoff.
	Kind       string            `json:"kind"`
	Intent     string            `json:"intent,omitempty"`
	Confidence float64           `json:"confidence,omitempty"`
	Task       string            `json:"task,omitempty"`
	Asking     string            `json:"asking,omitempty"`
	Slots      map[string]string `json:"slots,omitempty"`
	Reason     string            `json:"reason,omitempty"`
	Sentiment  float64           `json:"sentiment,omitempty"`
	Source     string            `json:"source,omitempty"`
	// Understood is the intent this turn's message was read as (classifier or LLM, above the
	// threshold), whatever the reply does with it; "" = out of scope. Evaluations score it.
	Understood string `json:"understood,omitempty"`
	// Answer is how a KB answer was written: offline or llm (see KBAnswer.Mode); Fallback says
	// why an LLM's answer gave way to the offline one (llm_timeout, llm_error, llm_invalid).
	Answer   string `json:"answer,omitempty"`
	Fallback string `json:"fallback,omitempty"`
}

// Reply is one bot message.
type Reply struct {
	Text      string
	Citations []conversation.Citation
	Meta      Meta
}

// HandoffRequest asks for a person, with what the bot gathered.
type HandoffRequest struct {
	Reason   string // human_request, complaint, negative_sentiment, low_confidence, vip, action_failed, retries_exhausted, intent_rule
	Question string // the customer's unanswered question, "" when there is none
	// Message is what the customer wrote that handed the conversation off ("太差了，我要投诉"),
	// which the agent sees when there is no question to show.
	Message string
	// Skill is the queue the handoff goes to ("" = the service's default).
	Skill      string
	Priority   int
	Intent     string
	Confidence float64
	Slots      map[string]string
	Sentiment  intent.Sentiment
}

// Outcome is the bot's decision for one turn.
type Outcome struct {
	Replies []Reply
	Handoff *HandoffRequest
	State   State
	// Language is the language the bot answered in.
	Language string
	// NLU is what the bot understood of the customer's message.
	NLU Understanding
}

// Understanding is the bot's reading of one customer message.
type Understanding struct {
	Intent     string            `json:"intent,omitempty"`
	Confidence float64           `json:"confidence"`
	Ranked     []intent.Scored   `json:"ranked,omitempty"`
	Slots      map[string]string `json:"slots,omitempty"`
	Source     string            `json:"source"`
	Sentiment  intent.Sentiment  `json:"sentiment"`
}

// Customer is what the bot knows of who is writing.
type Customer struct {
	Name    string
	VIPTier string
}

// Input is one turn's customer message with its conversation.
type Input struct {
	Text     string
	ConvLang string
	State    State
	Customer Customer
}

// NLU reads intents and slots some other way than the built-in classifier (an LLM).
type NLU interface {
	Understand(ctx context.Context, e *Engine, text string, st State) (Understanding, error)
}

// Bot decides turns.
type Bot struct {
	KB Retriever
	// Threshold is the lowest retrieval score the bot answers from.
	Threshold float64
	// Engines serves the compiled bot definition; with none loaded the bot only answers from the KB.
	Engines *Holder
	// LLM, when set, reads intents and slots; on error the classifier does.
	LLM NLU
	// Writer, when set, writes KB answers from the top passages; on error the offline answer is given.
	Writer AnswerWriter
	// HTTP calls business systems for actions (default: a client without its own timeout; each
	// action has one).
	HTTP *http.Client
	// Now is the clock for relative dates (default time.Now).
	Now func() time.Time
	// MaxLowConfidence is used when no engine is loaded (default 2).
	MaxLowConfidence int
}

// minHandoffConfidence is how sure the classifier must be before an always-handoff intent (a
// complaint, a request for a person) sends the conversation to a person without a trigger phrase.
const minHandoffConfidence = 0.5

// turn carries one Decide call's working state.
type turn struct {
	b    *Bot
	ctx  context.Context
	e    *Engine
	in   Input
	text string
	lang string
	st   State
	u    Understanding
	out  Outcome
}

// Decide takes the bot's turn on a customer message.
func (b *Bot) Decide(ctx context.Context, in Input) (Outcome, error) {
	t := &turn{b: b, ctx: ctx, in: in, text: strings.TrimSpace(in.Text), st: in.State}
	if b.Engines != nil {
		t.e = b.Engines.Load()
	}
	t.lang = replyLanguage(t.text, in.ConvLang)
	t.out.Language = t.lang
	t.u = t.understand()
	t.out.NLU = t.u
	if t.e != nil && t.st.Task != nil && t.e.Def.Intent(t.st.Task.Intent) == nil {
		t.st.Task = nil // the definition changed under this task
	}
	err := t.decide()
	if err != nil {
		return Outcome{}, err
	}
	for i := range t.out.Replies {
		t.out.Replies[i].Meta.Understood = t.u.Intent
	}
	t.out.State = t.st
	return t.out, nil
}

func (t *turn) understand() Understanding {
	u := Understanding{Sentiment: intent.AnalyzeSentiment(t.text), Source: "classifier"}
	if t.e == nil {
		u.Source = ""
		return u
	}
	if t.b.LLM != nil {
		lu, err := t.b.LLM.Understand(t.ctx, t.e, t.text, t.st)
		if err == nil {
			lu.Sentiment = u.Sentiment
			return lu
		}
	}
	p := t.e.Model.Predict(t.text)
	u.Intent, u.Confidence, u.Ranked = p.Intent, p.Confidence, p.Ranked
	if u.Confidence < t.e.Threshold {
		u.Intent = ""
	}
	return u
}

func (t *turn) decide() error {
	// 1. A person, at once, whatever else is going on.
	if t.handoffTriggers() {
		return nil
	}
	if t.e != nil && t.e.vipMode() == "always" && t.isVIP() {
		t.handoff("vip", t.say(msgVIP), t.question())
		return nil
	}
	// 2. Answers to the bot's own questions.
	if t.st.OfferedHuman {
		switch {
		case isYes(t.text):
			q := t.st.LastUnanswered
			t.handoff("low_confidence", t.say(msgHandoff), q)
			return nil
		case isNo(t.text):
			t.st = State{Task: t.st.Task}
			t.reply(t.say(msgNoThanks), Meta{Kind: "reply"})
			return nil
		}
		t.st.OfferedHuman = false
	}
	if t.e == nil {
		return t.kbOnly()
	}
	if sw := t.st.Switch; sw != nil {
		t.st.Switch = nil
		switch {
		case isYes(t.text):
			t.st.Task = nil
			return t.startTask(t.e.Def.Intent(sw.Intent), sw.Text, sw.Confidence)
		case isNo(t.text):
			t.reply(t.say(msgKeepTask), Meta{Kind: "reply"})
			return t.advance()
		}
	}
	if cl := t.st.Clarify; cl != nil {
		t.st.Clarify = nil
		if choice := t.pickOption(cl.Options); choice != "" {
			return t.fresh(choice, cl.Text, t.u.Confidence)
		}
		if t.u.Intent == "" || onlyValues(t.text) {
			// "A1234567" instead of a choice: the option that takes it, read with the question
			if in, p := t.taskForValue(cl.Text, t.text, cl.Options); in != nil {
				t.understood(in.Name)
				return t.startTask(in, cl.Text+"\n"+t.text, p)
			}
		}
	}
	if t.st.Task != nil {
		return t.continueTask()
	}
	if isCancel(t.text) {
		t.reply(t.say(msgNothingToCancel), Meta{Kind: "reply"})
		return nil
	}
	return t.fresh(t.u.Intent, t.text, t.u.Confidence)
}

// handoffTriggers hands off on a request for a person, a complaint or strong negative sentiment,
// whatever the bot is doing (a slot question included: the handoff carries the task's intent and
// slots), or on a confident always-handoff intent the classifierHandoff rule accepts. A rule of the
// definition's own (an always-handoff intent with another reason, say legal threats to the legal
// team) is the most specific and goes first.
func (t *turn) handoffTriggers() bool {
	var in *Intent
	if t.e != nil && t.u.Intent != "" {
		in = t.e.Def.Intent(t.u.Intent)
	}
	ruled := t.classifierHandoff(in, t.u.Confidence) && !t.answersTask()
	if ruled && !detectedReason(in.Handoff.Reason) {
		t.intentHandoff(in)
		return true
	}
	switch trig := intent.DetectTrigger(t.text); trig {
	case intent.TriggerComplaint:
		t.handoff("complaint", t.say(msgComplaint), t.question())
		return true
	case intent.TriggerHumanRequest:
		t.handoff("human_request", t.say(msgHandoff), t.question())
		return true
	}
	if t.u.Sentiment.Strong && (t.e == nil || t.e.sentimentHandoff()) {
		t.handoff("negative_sentiment", t.say(msgSentiment), t.question())
		return true
	}
	if ruled {
		t.intentHandoff(in)
	}
	return ruled
}

// classifierHandoff says whether in, an always-handoff intent the classifier is confident of, sends
// the conversation to a person on its word. For a complaint or a request for a person the trigger
// detector reads the message too; the classifier, trained on a handful of examples, also reads
// "你们有实体店吗" as a complaint (0.82), so where the detector found nothing it must be seconded by
// a negative tone ("I'm very disappointed"). Intents with other reasons are the definition's own rules.
func (t *turn) classifierHandoff(in *Intent, conf float64) bool {
	if in == nil || in.Handoff == nil || !in.Handoff.Always || conf < minHandoffConfidence {
		return false
	}
	return !detectedReason(in.Handoff.Reason) || t.u.Sentiment.Label == "negative"
}

// detectedReason: the trigger detector looks for this handoff reason itself.
func detectedReason(reason string) bool { return reason == "complaint" || reason == "human_request" }

// answersTask: the message fills a slot of the task under way; it only sounded like something else.
func (t *turn) answersTask() bool {
	return t.st.Task != nil && len(t.extract(t.e.Def.Intent(t.st.Task.Intent), true).filled) > 0
}

// intentHandoff hands off by in's always-handoff rule.
func (t *turn) intentHandoff(in *Intent) {
	reason := in.Handoff.Reason
	if reason == "" {
		reason = "intent_rule"
	}
	text := in.Handoff.Reply.In(t.lang)
	if text == "" {
		text = t.say(msgHandoff)
		if reason == "complaint" {
			text = t.say(msgComplaint)
		}
	}
	t.handoff(reason, text, t.question())
}

// fresh handles a message outside any task, read as intent name (may be "").
func (t *turn) fresh(name, text string, conf float64) error {
	if name == t.u.Intent && onlyValues(text) {
		// A bare order number: what the examples' numbers lean to says nothing; the question
		// refused before it, or the definition's order, does (see taskForValue).
		if task, p := t.taskForValue(t.st.LastUnanswered, text, nil); task != nil {
			t.understood(task.Name)
			return t.startTask(task, strings.TrimSpace(t.st.LastUnanswered+"\n"+text), p)
		}
	}
	if name == t.u.Intent {
		if asked, err := t.ambiguous(); asked || err != nil {
			return err
		}
	}
	in := t.e.Def.Intent(name)
	if in != nil && in.Handoff != nil && in.Handoff.Always && !t.classifierHandoff(in, conf) {
		// Not enough to send a person on the classifier's word alone; the triggers didn't fire.
		// Nor is it what the message was read as: a later handoff (a VIP's unanswered question)
		// goes to the default queue, not to the complaint's.
		in = nil
		t.understood("")
	}
	if in != nil && in.isReply() && conf < smallTalkSure && holdsReference(text) {
		// "see bill #12588" shares a word with "see you", but small talk carries no numbers
		in = nil
		t.understood("")
	}
	if in == nil {
		// An order number the classifier could not place: the task that takes it, rather than
		// "I don't know" (again). LastUnanswered is the question refused just before, if any;
		// what it said counts too ("the shoes are too small" then "A1234567").
		if task, p := t.taskForValue(t.st.LastUnanswered, text, nil); task != nil {
			t.understood(task.Name)
			return t.startTask(task, strings.TrimSpace(t.st.LastUnanswered+"\n"+text), p)
		}
		ok, err := t.answerFromKB(text, t.kbMin(nil, conf), "")
		if err != nil || ok {
			return err
		}
		return t.unanswered()
	}
	switch {
	case in.Handoff != nil && in.Handoff.Always:
		reason := in.Handoff.Reason
		if reason == "" {
			reason = "intent_rule"
		}
		t.handoff(reason, firstNonEmpty(in.Handoff.Reply.In(t.lang), t.say(msgHandoff)), t.question())
		return nil
	case in.KB:
		ok, err := t.answerFromKB(text, t.kbMin(in, conf), in.Name)
		if err != nil || ok {
			return err
		}
		return t.unanswered()
	case in.IsTask():
		return t.startTask(in, text, conf)
	default:
		// Small talk often carries a question ("你好，能自提吗？"): a good KB answer wins, unless the
		// message is plainly small talk ("你好" matches any article that greets the reader).
		if conf < smallTalkSure || !plainSmallTalk(text) {
			ok, err := t.answerFromKB(text, t.b.Threshold, "")
			if err != nil || ok {
				return err
			}
		}
		t.st.LowConfStreak = 0
		t.reply(render(in.Action.Reply.In(t.lang), t.data(nil, nil), nil), Meta{Kind: "reply", Intent: in.Name, Confidence: conf})
		return nil
	}
}

// understood records that the bot read this turn's message as intent name ("" = none) after all,
// whatever the classifier said: a task the message's order number points to, or not the small
// talk it resembled.
func (t *turn) understood(name string) {
	t.u.Intent = name
	t.out.NLU.Intent = name
}

// ambiguous asks "A or B?" when the two best intents are close and not both FAQs (which the
// knowledge base tells apart by itself). Between a task and a FAQ the knowledge base answers
// first if it can ("tracking info not updating"): an answer costs the customer nothing, while a
// task begun wrongly asks for an order number. It reports whether it replied.
func (t *turn) ambiguous() (bool, error) {
	r := t.u.Ranked
	if t.u.Source != "classifier" || len(r) < 2 {
		return false, nil
	}
	p1, p2 := r[0].Prob, r[1].Prob
	if p1-p2 >= t.e.margin() || p1+p2 < t.e.Threshold+t.e.margin() || p2 < 0.15 {
		return false, nil
	}
	a, b := t.e.Def.Intent(r[0].Intent), t.e.Def.Intent(r[1].Intent)
	// Only tasks and FAQs are offered, and never two FAQs (which the knowledge base tells apart by
	// itself): a complaint or a request for a person is the triggers' call, not a menu option, and
	// small talk is no answer to "which did you mean?".
	option := func(in *Intent) bool { return in != nil && (in.IsTask() || in.KB) }
	if !option(a) || !option(b) || a.KB && b.KB {
		return false, nil
	}
	if said := saysLabel(t.text, a, b); said != nil {
		// "I want to track an order": the customer already said which, in the words the
		// clarifying question would use
		if said == a {
			return false, nil
		}
		err := t.fresh(b.Name, t.text, p2)
		t.understood(b.Name)
		return true, err
	}
	for i, faq := range []*Intent{a, b} {
		if other := []*Intent{b, a}[i]; faq.KB && other.IsTask() {
			if ok, err := t.answerFromKB(t.text, t.kbMin(faq, r[i].Prob), faq.Name); ok || err != nil {
				return true, err
			}
		}
	}
	opts := []string{a.Name, b.Name}
	t.st.Clarify = &PendingClarify{Options: opts, Text: t.text}
	list := fmt.Sprintf("1) %s; 2) %s", a.DisplayName(t.lang), b.DisplayName(t.lang))
	if t.lang == "zh" {
		list = fmt.Sprintf("1)%s;2)%s", a.DisplayName(t.lang), b.DisplayName(t.lang))
	}
	t.reply(fmt.Sprintf(t.say(msgClarify), list), Meta{Kind: "clarify", Intent: a.Name, Confidence: p1})
	return true, nil
}

// saysLabel returns the one of a and b whose label (zh or en) the text holds, or nil when it
// holds neither or both.
func saysLabel(text string, a, b *Intent) *Intent {
	n := intent.Normalize(text)
	holds := func(in *Intent) bool {
		for _, l := range []string{in.Label.ZH, in.Label.EN} {
			if l := intent.Normalize(l); l != "" && strings.Contains(n, l) {
				return true
			}
		}
		return false
	}
	switch ha, hb := holds(a), holds(b); {
	case ha && !hb:
		return a
	case hb && !ha:
		return b
	}
	return nil
}

// pickOption reads the answer to a clarifying question: "1", "the second", a label, or the intent.
func (t *turn) pickOption(opts []string) string {
	n := strings.Trim(intent.Normalize(t.text), " .!?,。!?,)")
	ordinals := [][]string{{"1", "一", "第一个", "第一", "前者", "first", "the first", "the first one", "first one"},
		{"2", "二", "第二个", "第二", "后者", "second", "the second", "the second one", "second one"}}
	for i, words := range ordinals {
		for _, w := range words {
			if n == w && i < len(opts) {
				return opts[i]
			}
		}
	}
	for _, o := range opts {
		in := t.e.Def.Intent(o)
		if in == nil {
			continue
		}
		for _, l := range []string{in.Label.ZH, strings.ToLower(in.Label.EN)} {
			if l != "" && strings.Contains(n, strings.ToLower(l)) {
				return o
			}
		}
	}
	for _, o := range opts {
		if t.u.Intent == o {
			return o
		}
	}
	return ""
}

// startTask begins in, taking every slot value text already holds.
func (t *turn) startTask(in *Intent, text string, conf float64) error {
	if in == nil {
		return errors.New("bot: start task: unknown intent")
	}
	t.st.LowConfStreak = 0
	t.st.LastUnanswered = "" // the customer moved on from the question the bot could not answer
	t.st.Task = &Task{Intent: in.Name, Confidence: round3(conf), Slots: map[string]SlotValue{}}
	saved := t.text
	t.text = text
	res := t.extract(in, false)
	t.text = saved
	for name, v := range res.filled {
		t.st.Task.Slots[name] = v
	}
	if len(res.filled) == 0 && len(res.invalid) > 0 {
		for _, s := range in.Slots { // the first slot in the definition, so the reply is the same every time
			if reason, ok := res.invalid[s.Name]; ok {
				t.st.Task.Asking = s.Name
				t.st.Task.Retries = 1
				t.reply(reason+" "+s.Prompt.In(t.lang), t.meta("reask", s.Name))
				return nil
			}
		}
	}
	return t.advance()
}

// continueTask handles a message while a task is under way.
func (t *turn) continueTask() error {
	task := t.st.Task
	in := t.e.Def.Intent(task.Intent)
	if s := in.Slot(task.Asking); s != nil && s.Optional && !task.Confirming && (isNo(t.text) || isSkip(t.text)) {
		t.reply(t.say(msgSkipped), t.meta("reply", ""))
		return t.advance() // "不用了" to an optional question skips it rather than the task
	}
	if isCancel(t.text) {
		t.st.Task = nil
		t.reply(t.say(msgCancelled), Meta{Kind: "cancelled", Task: in.Name})
		return nil
	}
	res := t.extract(in, true)
	if task.Confirming {
		switch {
		case len(res.filled) > 0:
			t.apply(res.filled)
			task.Confirming = false
			t.reply(t.say(msgUpdated), t.meta("reply", ""))
			return t.advance()
		case isYes(t.text):
			task.Confirming = false
			return t.runAction(in)
		case isNo(t.text):
			t.st.Task = nil
			t.reply(t.say(msgConfirmCancelled), Meta{Kind: "cancelled", Task: in.Name})
			return nil
		}
	}
	if len(res.filled) > 0 {
		changed := t.apply(res.filled)
		if _, ok := res.filled[task.Asking]; ok {
			task.Retries = 0
		}
		if changed {
			t.reply(t.say(msgUpdated), t.meta("reply", ""))
		}
		return t.advance()
	}
	if reason, ok := res.invalid[task.Asking]; ok {
		return t.reask(in, reason)
	}
	if s := in.Slot(task.Asking); s != nil && !task.Confirming && isDontKnow(t.text) {
		if s.Optional {
			t.reply(t.say(msgSkipped), t.meta("reply", ""))
			return t.advance()
		}
		return t.reask(in, t.say(msgNeedValue)) // "no idea" is a failed answer, not a question
	}
	if task.Confirming {
		return t.reask(in, t.say(msgConfirmAgain))
	}
	// Not an answer to the question: another task, a FAQ, small talk, or nothing we understand.
	if other := t.e.Def.Intent(t.u.Intent); other != nil && other.Name != in.Name && other.IsTask() {
		t.st.Switch = &PendingSwitch{Intent: other.Name, Confidence: t.u.Confidence, Text: t.text}
		t.reply(fmt.Sprintf(t.say(msgSwitch), other.DisplayName(t.lang), in.DisplayName(t.lang)),
			Meta{Kind: "switch", Intent: other.Name, Confidence: t.u.Confidence, Task: in.Name})
		return nil
	}
	if other := t.e.Def.Intent(t.u.Intent); other != nil && other.Name != in.Name && other.Action != nil && !other.IsTask() {
		t.reply(render(other.Action.Reply.In(t.lang), t.data(nil, nil), nil), Meta{Kind: "reply", Intent: other.Name, Confidence: t.u.Confidence})
		return t.resume(in)
	}
	ok, err := t.answerFromKB(t.text, t.kbMin(t.e.Def.Intent(t.u.Intent), t.u.Confidence), t.u.Intent)
	if err != nil {
		return err
	}
	if ok {
		return t.resume(in)
	}
	return t.reask(in, t.say(msgNotUnderstood))
}

// reask repeats the current question with why the answer didn't do, or hands off when the
// customer has tried too often.
func (t *turn) reask(in *Intent, reason string) error {
	task := t.st.Task
	task.Retries++
	if task.Retries > t.e.maxRetries() {
		t.handoff("retries_exhausted", t.say(msgRetriesExhausted), "")
		return nil
	}
	if task.Confirming {
		t.reply(reason+" "+render(in.Action.Confirm.In(t.lang), t.data(in, nil), nil), t.meta("confirm", ""))
		return nil
	}
	s := in.Slot(task.Asking)
	if s == nil {
		return t.advance()
	}
	t.reply(strings.TrimSpace(reason+" "+render(s.Prompt.In(t.lang), t.data(in, nil), nil)), t.meta("reask", s.Name))
	return nil
}

// resume asks again what the task was waiting for, after an answer to something else.
func (t *turn) resume(in *Intent) error {
	task := t.st.Task
	if task.Confirming {
		t.reply(t.say(msgResume)+" "+render(in.Action.Confirm.In(t.lang), t.data(in, nil), nil), t.meta("confirm", ""))
		return nil
	}
	if s := in.Slot(task.Asking); s != nil {
		t.reply(t.say(msgResume)+" "+render(s.Prompt.In(t.lang), t.data(in, nil), nil), t.meta("ask", s.Name))
		return nil
	}
	return t.advance()
}

// advance asks for the next missing slot, or confirms, or runs the action.
func (t *turn) advance() error {
	task := t.st.Task
	in := t.e.Def.Intent(task.Intent)
	for _, s := range in.Slots {
		if _, ok := task.Slots[s.Name]; ok || s.Optional {
			continue
		}
		return t.ask(in, s)
	}
	for _, s := range in.Slots {
		if _, ok := task.Slots[s.Name]; ok || !s.Optional || contains(task.Asked, s.Name) {
			continue
		}
		task.Asked = append(task.Asked, s.Name)
		return t.ask(in, s)
	}
	if !in.Action.Confirm.IsZero() && !task.Confirming {
		task.Confirming = true
		task.Asking = ""
		task.Retries = 0
		t.reply(render(in.Action.Confirm.In(t.lang), t.data(in, nil), nil), t.meta("confirm", ""))
		return nil
	}
	return t.runAction(in)
}

func (t *turn) ask(in *Intent, s Slot) error {
	task := t.st.Task
	if task.Asking != s.Name {
		task.Asking = s.Name
		task.Retries = 0
	}
	t.reply(render(s.Prompt.In(t.lang), t.data(in, nil), nil), t.meta("ask", s.Name))
	return nil
}

// runAction calls the business system (if any) and says the result. Failures hand off with the
// slots gathered; a status the intent knows (404 → re-ask the order number) is answered.
func (t *turn) runAction(in *Intent) error {
	task := t.st.Task
	var result map[string]any
	if h := in.Action.HTTP; h != nil {
		client := t.b.HTTP
		if client == nil {
			client = http.DefaultClient
		}
		res, err := callHTTP(t.ctx, client, h, t.data(in, nil))
		if err == nil && res.Status/100 != 2 {
			rule, ok := h.OnStatus[res.Status]
			if !ok {
				err = fmt.Errorf("%w: status %d", errAction, res.Status)
			} else {
				text := render(rule.Reply.In(t.lang), t.data(in, res.Body), nil)
				if rule.Reask == "" {
					t.st.Task = nil
					t.reply(text, Meta{Kind: "action", Intent: in.Name, Confidence: task.Confidence, Task: in.Name, Slots: slotMap(task)})
					return nil
				}
				delete(task.Slots, rule.Reask)
				task.Asking = rule.Reask
				return t.reask(in, text)
			}
		}
		if err != nil {
			if t.ctx.Err() != nil {
				return t.ctx.Err()
			}
			t.handoff("action_failed", t.say(msgActionFailed), "")
			return nil
		}
		result = res.Body
	}
	text := render(in.Action.Reply.In(t.lang), t.data(in, result), nil)
	m := Meta{Kind: "action", Intent: in.Name, Confidence: task.Confidence, Task: in.Name, Slots: slotMap(task)}
	t.st.Task = nil
	t.reply(text, m)
	return nil
}

// extracted is what a message holds for a task's slots.
type extracted struct {
	filled  map[string]SlotValue
	invalid map[string]string // slot → the reason, in the turn's language
}

// extract runs the task's slot extractors over the message. Free-text slots are only taken for
// the slot being asked (withText), from what is left once the typed values are cut out, and not
// when the message is plainly something else (a confident other intent, yes/no, cancel).
func (t *turn) extract(in *Intent, withText bool) extracted {
	out := extracted{filled: map[string]SlotValue{}, invalid: map[string]string{}}
	if in == nil || len(in.Slots) == 0 {
		return out
	}
	env := slots.Env{Now: t.now(), Loc: t.e.loc, Lang: t.lang}
	var typed []slots.Extractor
	var textSlot *Slot
	asking := ""
	if t.st.Task != nil && t.st.Task.Intent == in.Name {
		asking = t.st.Task.Asking
	}
	for i, s := range in.Slots {
		if s.Kind == "text" {
			if withText && s.Name == asking {
				textSlot = &in.Slots[i]
			}
			continue
		}
		typed = append(typed, t.e.extractors[in.Name][s.Name])
	}
	text := stripCorrection(t.text)
	results := slots.ExtractAll(text, env, typed)
	var spans [][2]int
	for _, x := range typed {
		name := x.Spec().Name
		r := results[name]
		if len(r.Matches) > 0 {
			m := r.Matches[len(r.Matches)-1] // "not A1, it's A2": the last one said
			out.filled[name] = SlotValue{Value: m.Value, Raw: m.Raw}
			for _, mm := range r.Matches {
				spans = append(spans, [2]int{mm.Start, mm.End})
			}
			continue
		}
		if len(r.Invalid) > 0 {
			out.invalid[name] = r.Invalid[0].Reason.In(t.lang)
		}
	}
	for i := range in.Slots {
		s := &in.Slots[i]
		if s.Kind != slots.KindText || s == textSlot || t.plainlySomethingElse(in) {
			continue
		}
		// a value the message introduces itself ("地址改成 …", "send it to …"), asked or not
		if m, ok := slots.Cued(t.e.extractors[in.Name][s.Name], text, spans); ok {
			out.filled[s.Name] = SlotValue{Value: m.Value, Raw: m.Raw}
		}
	}
	if textSlot != nil && !t.plainlySomethingElse(in) {
		rest := cutSpans(text, spans)
		r := t.e.extractors[in.Name][textSlot.Name].Extract(rest, env)
		switch {
		case len(r.Matches) > 0 && meaningfulRunes(r.Matches[0].Value) > 0:
			out.filled[textSlot.Name] = SlotValue{Value: r.Matches[0].Value, Raw: r.Matches[0].Raw}
		case len(r.Invalid) > 0 && len(out.filled) == 0:
			out.invalid[textSlot.Name] = r.Invalid[0].Reason.In(t.lang)
		}
	}
	// Values an LLM read, checked and made canonical by the same extractors.
	for name, raw := range t.u.Slots {
		if _, done := out.filled[name]; done {
			continue
		}
		s := in.Slot(name)
		if s == nil || (s.Kind == "text" && (!withText || name != asking)) {
			continue
		}
		r := t.e.extractors[in.Name][name].Extract(raw, env)
		if len(r.Matches) > 0 {
			out.filled[name] = SlotValue{Value: r.Matches[0].Value, Raw: raw}
			delete(out.invalid, name)
		}
	}
	if asking != "" {
		// An enum answer that matches nothing is worth a re-ask listing the choices.
		if s := in.Slot(asking); s != nil && s.Kind == "enum" && len(out.filled) == 0 && len(out.invalid) == 0 &&
			!t.plainlySomethingElse(in) && looksLikeAnswer(t.text) {
			out.invalid[asking] = enumHint(s, t.lang)
		}
	}
	return out
}

// plainlySomethingElse: the message is yes/no/cancel, or confidently another intent.
func (t *turn) plainlySomethingElse(in *Intent) bool {
	if isYes(t.text) || isNo(t.text) || isCancel(t.text) || isSkip(t.text) {
		return true
	}
	if t.u.Intent == "" || t.u.Intent == in.Name {
		return false
	}
	return t.u.Confidence >= max(t.e.Threshold, 0.5)
}

// apply stores filled slots; it reports whether an already-filled slot changed (a correction).
func (t *turn) apply(filled map[string]SlotValue) bool {
	changed := false
	for name, v := range filled {
		if old, ok := t.st.Task.Slots[name]; ok && old.Value != v.Value {
			changed = true
		}
		t.st.Task.Slots[name] = v
	}
	return changed
}

// smallTalkSure is the confidence above which a short reply-intent message (greeting, thanks) is
// answered with its reply without looking in the knowledge base.
const smallTalkSure = 0.8

// plainSmallTalk: a message too short to carry a question besides the greeting ("你好", "在吗",
// "thanks a lot"): at most 6 characters of Chinese, or 3 words.
func plainSmallTalk(text string) bool {
	cjk, words := 0, len(strings.Fields(text))
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			cjk++
		}
	}
	if cjk > 0 {
		return cjk <= 6
	}
	return words <= 3
}

// kbMin is the probability an answer from the knowledge base needs (see kb.Result.Score) for a
// message read as in (nil: out of scope) with confidence conf. The knowledge base's own model
// weighs whether a question is off-topic (its article classifier knows general off-topic
// questions); the bot definition's reading adds nothing there: on the tune half of the demo
// questions played through the bot (`baton eval run`), raising the threshold by 0.1 for messages
// the definition called out of scope kept the same 3 wrong answers and lost 12 right ones.
func (t *turn) kbMin(in *Intent, conf float64) float64 {
	switch {
	case letters(t.text) < 2:
		return 2 // "123", "?": no question to look up (a number matches any article quoting it)
	case t.e != nil && in != nil && in.KB:
		return t.faqMin(conf)
	}
	return t.b.Threshold
}

// letters counts the letters (Latin, CJK, …) in s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// faqMin is the probability a FAQ intent's answer needs: a confident intent (≥ 0.6) vouches for
// the question being one the help centre covers, so a somewhat weaker retrieval score will do;
// a hesitant one does not, and the usual threshold applies (on the tune half played through the
// bot: 103 right answers at 0.85 × the threshold, 101 without, the same 3 wrong).
func (t *turn) faqMin(intentConf float64) float64 {
	if intentConf >= 0.6 {
		return t.b.Threshold * 0.85
	}
	return t.b.Threshold
}

// answerFromKB answers from the knowledge base when its best article scores at least min (see
// AnswerKB); false when it does not, or the LLM finds no answer in the passages.
func (t *turn) answerFromKB(q string, min float64, intentName string) (bool, error) {
	a, err := t.b.AnswerKB(t.ctx, q, t.lang, min)
	if err != nil || !a.Answered {
		return false, err
	}
	t.st.LowConfStreak = 0
	t.st.OfferedHuman = false
	t.st.LastUnanswered = ""
	m := Meta{Kind: "answer", Intent: intentName, Confidence: round3(t.u.Confidence), Answer: a.Mode, Fallback: a.Reason}
	if intentName == "" {
		m.Confidence = 0
	}
	t.out.Replies = append(t.out.Replies, Reply{Text: a.Text, Citations: a.Citations, Meta: m})
	return true, nil
}

// unanswered: say so and offer a person; the second time in a row, or for a VIP, hand off.
func (t *turn) unanswered() error {
	if t.e != nil && t.e.vipMode() == "unanswered" && t.isVIP() {
		t.handoff("vip", t.say(msgVIP), t.text)
		return nil
	}
	maxLow := t.b.MaxLowConfidence
	if t.e != nil {
		maxLow = t.e.maxLowConfidence()
	}
	if maxLow <= 0 {
		maxLow = DefaultMaxLowConfidence
	}
	t.st.LowConfStreak++
	if t.st.LowConfStreak >= maxLow {
		t.handoff("low_confidence", t.say(msgHandoffUnsure), t.text)
		return nil
	}
	t.st.OfferedHuman = true
	t.st.LastUnanswered = t.text
	t.reply(t.say(msgDontKnow), Meta{Kind: "dont_know", Confidence: round3(t.u.Confidence)})
	return nil
}

// kbOnly is the bot without a definition: knowledge-base answers and the low-confidence path.
func (t *turn) kbOnly() error {
	ok, err := t.answerFromKB(t.text, t.b.Threshold, "")
	if err != nil || ok {
		return err
	}
	return t.unanswered()
}

// handoff ends the bot's part: it says text and asks for a person, carrying the task's intent
// and slots so the agent never has to ask again.
func (t *turn) handoff(reason, text, question string) {
	h := &HandoffRequest{Reason: reason, Question: question, Message: strings.TrimSpace(t.text), Sentiment: t.u.Sentiment,
		Intent: t.u.Intent, Confidence: round3(t.u.Confidence)}
	var rule *HandoffRule
	if t.e != nil {
		name := t.u.Intent
		if t.st.Task != nil {
			name = t.st.Task.Intent
			h.Intent, h.Confidence = t.st.Task.Intent, t.st.Task.Confidence
			h.Slots = slotMap(t.st.Task)
		}
		if in := t.e.Def.Intent(name); in != nil {
			rule = in.Handoff
		}
		if rule == nil && t.st.Task == nil {
			rule = t.e.reasonRule(reason) // "叫你们领导出来", read as no intent, goes where complaints go
		}
		if rule != nil && rule.Skill != "" {
			h.Skill = rule.Skill
		} else {
			h.Skill = t.e.defaultSkill("")
		}
		if rule != nil {
			h.Priority += rule.Priority
		}
		if t.isVIP() {
			h.Priority += t.e.vipPriority()
		}
	}
	t.out.Handoff = h
	t.reply(text, Meta{Kind: "handoff", Reason: reason, Intent: h.Intent, Confidence: h.Confidence, Slots: h.Slots,
		Sentiment: t.u.Sentiment.Score})
	t.st = State{}
}

// question is what the customer actually asked, for the agent and the KB suggestion.
func (t *turn) question() string {
	if q := intent.Substance(t.text); q != "" {
		return q
	}
	return t.st.LastUnanswered
}

func (t *turn) isVIP() bool {
	v := strings.ToLower(strings.TrimSpace(t.in.Customer.VIPTier))
	return v != "" && v != "none" && v != "0" && v != "regular"
}

func (t *turn) reply(text string, m Meta) {
	if m.Sentiment == 0 {
		m.Sentiment = t.u.Sentiment.Score
	}
	if m.Source == "" {
		m.Source = t.u.Source
	}
	t.out.Replies = append(t.out.Replies, Reply{Text: text, Meta: m})
}

func (t *turn) meta(kind, asking string) Meta {
	m := Meta{Kind: kind, Asking: asking}
	if task := t.st.Task; task != nil {
		m.Task, m.Intent, m.Confidence, m.Slots = task.Intent, task.Intent, task.Confidence, slotMap(task)
	}
	return m
}

func (t *turn) data(in *Intent, result map[string]any) tmplData {
	d := tmplData{Slots: map[string]string{}, Result: result, Customer: map[string]string{"name": t.in.Customer.Name,
		"vip_tier": t.in.Customer.VIPTier}}
	if t.e != nil {
		d.Env = t.e.env
	}
	if t.st.Task != nil {
		for k, v := range t.st.Task.Slots {
			d.Slots[k] = v.Value
		}
	}
	return d
}

func (t *turn) say(k msgKey) string { return say(t.lang, k) }

func (t *turn) now() time.Time {
	if t.b.Now != nil {
		return t.b.Now()
	}
	return time.Now()
}

func slotMap(task *Task) map[string]string {
	if task == nil || len(task.Slots) == 0 {
		return nil
	}
	m := make(map[string]string, len(task.Slots))
	for k, v := range task.Slots {
		m[k] = v.Value
	}
	return m
}

func enumHint(s *Slot, lang string) string {
	var vals []string
	for _, v := range s.Values {
		label := v.Value
		for _, syn := range v.Synonyms {
			if (lang == "zh") == hasHan(syn) {
				label = syn
				break
			}
		}
		vals = append(vals, label)
	}
	if lang == "zh" {
		return "请从这些选项中选择:" + strings.Join(vals, "、") + "。"
	}
	return "Please choose one of: " + strings.Join(vals, ", ") + "."
}

// looksLikeAnswer: a short message that isn't a question is probably an attempt at the slot.
func looksLikeAnswer(text string) bool {
	return utf8.RuneCountInString(text) <= 30 && !strings.ContainsAny(text, "??吗")
}

func cutSpans(text string, spans [][2]int) string {
	if len(spans) == 0 {
		return text
	}
	b := []byte(text)
	for _, s := range spans {
		for i := s[0]; i < s[1] && i < len(b); i++ {
			b[i] = ' '
		}
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

var correctionPrefixes = []string{"不对,", "不对，", "不对", "错了,", "错了，", "错了", "不是,", "不是，", "应该是", "改成", "改为",
	"no, it's", "no it's", "no, it is", "no,", "actually,", "actually", "sorry,", "i meant", "correction:", "wrong,"}

// stripCorrection drops a leading "不对," / "no, it's" so it isn't read as part of a value.
func stripCorrection(text string) string {
	t := strings.TrimSpace(text)
	lower := strings.ToLower(t)
	for _, p := range correctionPrefixes {
		if strings.HasPrefix(lower, p) {
			return strings.TrimSpace(t[len(p):])
		}
	}
	return t
}

func meaningfulRunes(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// replyLanguage answers in the language the customer writes in, falling back to the conversation's.
func replyLanguage(text, convLang string) string {
	han, latin := 0, 0
	for _, r := range text {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
			han++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			latin++
		}
	}
	switch {
	case han > 0:
		return "zh"
	case latin >= 2 && !onlyCodes(text):
		return "en"
	case convLang == "zh":
		return "zh"
	}
	return "en"
}

// onlyCodes: a message of order numbers and digits ("A1234567") says nothing about language.
func onlyCodes(text string) bool {
	for _, f := range strings.Fields(text) {
		letters := 0
		for _, r := range f {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters > 3 {
			return false
		}
	}
	return true
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

var yesWords = []string{"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "please", "please do", "yes please", "correct", "right", "confirm",
	"是", "是的", "好", "好的", "好啊", "可以", "行", "嗯", "嗯嗯", "要", "需要", "对", "对的", "没错", "确认", "确定", "没问题"}
var noWords = []string{"no", "n", "nope", "no thanks", "not now", "不", "不是", "不用", "不用了", "不要", "没事", "否", "不对", "不行"}
var skipWords = []string{"skip", "none", "nothing", "no photo", "n/a", "没有", "无", "没", "跳过", "没有照片", "不需要", "不用补充"}
var cancelWords = []string{"算了", "不办了", "不弄了", "不用了", "取消", "cancel", "never mind", "nevermind", "forget it", "stop"}
var cancelTails = []string{"", "吧", "了", "啦", "掉", "吧谢谢", "it", "that", "this", "please", "thanks"}

func isYes(text string) bool  { return matchesShort(text, yesWords) }
func isNo(text string) bool   { return matchesShort(text, noWords) }
func isSkip(text string) bool { return matchesShort(text, skipWords) }

// isCancel: "算了", "取消吧", "cancel it", "never mind", "不用了，取消吧" — the whole message, not
// "取消订单怎么操作".
func isCancel(text string) bool { return isCancelWhole(text) || isCancelClauses(text) }

func isCancelWhole(text string) bool {
	t := strings.Trim(intent.Normalize(text), " .!?,。!?,~")
	for _, w := range cancelWords {
		if rest, ok := strings.CutPrefix(t, w); ok {
			rest = strings.TrimSpace(rest)
			if contains(cancelTails, rest) {
				return true
			}
			tails := strings.Fields(rest) // "cancel it please"
			for len(tails) > 0 && contains(cancelTails, tails[0]) {
				tails = tails[1:]
			}
			if len(tails) == 0 && !hasHan(rest) {
				return true
			}
		}
	}
	return false
}

func matchesShort(text string, words []string) bool {
	t := strings.Trim(intent.Normalize(text), " .!?,。!?,~")
	for _, w := range words {
		if t == w {
			return true
		}
	}
	return false
}
