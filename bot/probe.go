package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/baton-cs/baton/kb"
)

// HandoffProbe plays one customer message against a bot on its own, with no database, knowledge
// base or business system, and reports the handoff it gives. It is how `baton eval triggers`
// measures which messages reach a person: on a first message, and in the middle of a task.
type HandoffProbe struct {
	bot  *Bot
	task *Intent
}

// NewHandoffProbe probes e. Mid-task messages interrupt task (an intent with slots; "" = the
// definition's first one with a free-text slot, which swallows the most, else its first with slots).
func NewHandoffProbe(e *Engine, task string) (*HandoffProbe, error) {
	h := &Holder{}
	h.Store(e)
	p := &HandoffProbe{bot: &Bot{KB: noKB{}, Engines: h, HTTP: &http.Client{Transport: emptyOK{}}}}
	for i := range e.Def.Intents {
		in := &e.Def.Intents[i]
		if !in.IsTask() || len(in.Slots) == 0 || task != "" && in.Name != task {
			continue
		}
		if p.task == nil {
			p.task = in
		}
		if task == "" && hasTextSlot(in) {
			p.task = in
			break
		}
	}
	if p.task == nil && task != "" {
		return nil, fmt.Errorf("bot: probe: %q is not an intent with slots", task)
	}
	return p, nil
}

// Task names the intent mid-task messages interrupt ("" when the definition has none).
func (p *HandoffProbe) Task() string {
	if p.task == nil {
		return ""
	}
	return p.task.Name
}

// First returns the handoff reason ("" for none) the bot gives text as a conversation's first message.
func (p *HandoffProbe) First(ctx context.Context, text, lang string) (string, error) {
	out, err := p.bot.Decide(ctx, Input{Text: text, ConvLang: lang})
	if err != nil || out.Handoff == nil {
		return "", err
	}
	return out.Handoff.Reason, nil
}

// Slots names the task's slots, in the order it asks for them.
func (p *HandoffProbe) Slots() []string {
	if p.task == nil {
		return nil
	}
	out := make([]string, len(p.task.Slots))
	for i, s := range p.task.Slots {
		out[i] = s.Name
	}
	return out
}

// MidTask returns the handoff reason ("" for none) the bot gives text while the probe's task is
// asking for slot: the task is opened with its first example in lang, turned to ask for slot, and
// then text is said. A handoff must carry the task: one without it is reported as "lost_task".
func (p *HandoffProbe) MidTask(ctx context.Context, slot, text, lang string) (string, error) {
	if p.task == nil || p.task.Slot(slot) == nil {
		return "", fmt.Errorf("bot: probe: no task asking for %q", slot)
	}
	ex := p.task.Examples[lang]
	for _, l := range []string{"zh", "en"} {
		if len(ex) == 0 {
			ex = p.task.Examples[l]
		}
	}
	if len(ex) == 0 {
		return "", fmt.Errorf("bot: probe: intent %s has no example to open it with", p.task.Name)
	}
	open, err := p.bot.Decide(ctx, Input{Text: ex[0], ConvLang: lang})
	if err != nil {
		return "", err
	}
	st := open.State
	if st.Task == nil || st.Task.Intent != p.task.Name {
		return "", fmt.Errorf("bot: probe: %q does not open task %s", ex[0], p.task.Name)
	}
	st.Task.Asking = slot
	delete(st.Task.Slots, slot)
	out, err := p.bot.Decide(ctx, Input{Text: text, ConvLang: lang, State: st})
	if err != nil || out.Handoff == nil {
		return "", err
	}
	if out.Handoff.Intent != p.task.Name {
		return "lost_task", nil
	}
	return out.Handoff.Reason, nil
}

func hasTextSlot(in *Intent) bool {
	for _, s := range in.Slots {
		if s.Kind == "text" {
			return true
		}
	}
	return false
}

// noKB finds nothing: whether a message reaches a person must not hang on the knowledge base.
type noKB struct{}

func (noKB) Search(context.Context, string, kb.SearchOptions) ([]kb.Result, error) { return nil, nil }

// emptyOK answers every action call with 200 {}: an action that runs is not a handoff.
type emptyOK struct{}

func (emptyOK) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}
